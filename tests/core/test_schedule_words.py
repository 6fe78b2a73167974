"""Cron lines in words, and the simple schedule form that writes them."""

import pytest

from tracker.schedule_words import cron_from_form, describe, simple_form


@pytest.mark.parametrize(("cron", "words"), [
    ("0 6 * * *", "every day at 06:00"),
    ("0 8 * * mon", "every Monday at 08:00"),
    ("0 8 * * 1", "every Monday at 08:00"),
    ("0 7 * * 0", "every Sunday at 07:00"),
    ("30 7 * * 1-5", "every weekday (Monday to Friday) at 07:30"),
    ("0 9 * * mon,thu", "every Monday and Thursday at 09:00"),
    ("15 * * * *", "every hour at 15 minutes past"),
    ("0 * * * *", "every hour, on the hour"),
    ("*/20 * * * *", "every 20 minutes"),
    ("0 6 1 * *", "on the 1st of every month at 06:00"),
    ("0 6 1 1 *", "custom: 0 6 1 1 *"),
])
def test_cron_in_words(cron, words):
    assert describe(cron) == words


@pytest.mark.parametrize(("form", "cron"), [
    (("daily", "monday", "06:00"), "0 6 * * *"),
    (("weekly", "wednesday", "7.30"), "30 7 * * wed"),
    (("hourly", "monday", "00:15"), "15 * * * *"),
    (("default", "monday", ""), None),
])
def test_simple_form_writes_cron_and_reads_it_back(form, cron):
    assert cron_from_form(*form, cron="") == cron
    if cron:
        assert cron_from_form(*simple_form(cron).__dict__.values()) == cron


def test_simple_form_names_the_wrong_field():
    with pytest.raises(ValueError, match="^Time: 6pm is not a time of day"):
        cron_from_form("daily", "monday", "6pm", "")
    with pytest.raises(ValueError, match="^Day: choose a day of the week"):
        cron_from_form("weekly", "someday", "06:00", "")
