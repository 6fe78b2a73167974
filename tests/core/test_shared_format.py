"""One way of writing money, dates and scores for the web, the emails and the CLI."""

from datetime import UTC, date, datetime

from tracker import format as fmt
from tracker.digest import format as digest_fmt


def test_dates_are_written_out_in_full():
    assert fmt.long_date(date(2027, 3, 3)) == "3 March 2027"
    assert fmt.long_date("2027-03-03") == "3 March 2027"
    assert fmt.date_time(datetime(2026, 7, 1, 13, 5, tzinfo=UTC)) == "1 July 2026, 14:05"  # BST
    assert digest_fmt.short_date(date(2027, 3, 3)) == fmt.long_date(date(2027, 3, 3))


def test_money_and_ranges_read_the_same_everywhere():
    assert fmt.money(5000) == "£5,000"
    assert fmt.amount_range(5000, 50000) == digest_fmt.amount_range(5000, 50000) == "£5,000 to £50,000"
    assert fmt.amount_range(None, 50000) == "up to £50,000"


def test_scores_are_whole_numbers():
    assert fmt.score(78.1) == "78"
    assert fmt.score(78.5) == "79"
    assert fmt.score(None) == ""
