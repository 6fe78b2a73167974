from datetime import UTC, date, datetime

import pytest

from tracker.digest.build import describe_changes
from tracker.digest.format import amount_range, deadline_text, period_for, safe_name


@pytest.mark.parametrize(("low", "high", "text"), [
    (5000, 50000, "£5,000 to £50,000"),
    (None, 50000, "up to £50,000"),
    (5000, None, "from £5,000"),
    (10000, 10000, "£10,000"),
    (None, None, "Amount not stated"),
])
def test_amount_range(low, high, text):
    assert amount_range(low, high) == text


def test_deadline_text():
    today = date(2026, 11, 26)
    assert deadline_text(date(2027, 3, 14), today) == "14 March 2027 (108 days)"
    assert deadline_text(date(2026, 11, 27), today) == "27 November 2026 (1 day)"
    assert deadline_text(today, today, time="17:00") == "26 November 2026 at 17:00 (today)"
    assert deadline_text(None, today, rolling=True) == "Rolling (no fixed deadline)"
    assert deadline_text(None, today) == "No deadline given"
    assert deadline_text(date(2026, 11, 1), today) == "1 November 2026 (closed)"


def test_period_uses_the_digest_timezone():
    # Sunday 23:30 UTC in summer is already Monday 00:30 in London: a new ISO week.
    assert period_for(datetime(2026, 6, 28, 23, 30, tzinfo=UTC), "Europe/London") == "2026-W27"
    assert period_for(datetime(2026, 6, 28, 23, 30, tzinfo=UTC), "UTC") == "2026-W26"


def test_describe_changes():
    lines = describe_changes({"deadline": ["2027-03-01", "2027-03-14"], "status": ["closed", "open"],
                              "amount_min": [1000, 5000], "amount_max": [20000, 50000],
                              "title": ["a", "b"]})
    assert lines == ["Deadline moved from 1 March 2027 to 14 March 2027", "Reopened",
                     "Amount changed from £1,000 to £20,000 to £5,000 to £50,000"]
    assert describe_changes({"summary": ["x", "y"]}) == []


def test_safe_name():
    assert safe_name("ada@council.example") == "ada@council.example"
    assert safe_name("../../etc/passwd") == "_.._etc_passwd"
