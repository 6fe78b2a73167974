"""Working-day arithmetic (England and Wales bank holidays) and start-by dates."""

from datetime import date

import pytest

from tracker.startby import start_by
from tracker.workdays import is_working_day, subtract_working_days, working_days_between


def test_weekends_and_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2027, 3, 26))  # Good Friday
    assert not is_working_day(date(2027, 3, 29))  # Easter Monday
    assert not is_working_day(date(2027, 12, 27)) and not is_working_day(date(2027, 12, 28))  # substitutes
    assert not is_working_day(date(2027, 3, 27))  # Saturday
    assert is_working_day(date(2027, 3, 25)) and is_working_day(date(2027, 3, 30))


def test_counting_back_over_easter_and_the_clock_change():
    # Clocks go forward on Sunday 28 March 2027, inside the Easter weekend: Thursday 1 April
    # less 3 working days skips Wednesday, Tuesday, Easter Monday, Sunday, Saturday, Good Friday.
    assert subtract_working_days(date(2027, 4, 1), 3) == date(2027, 3, 25)
    assert working_days_between(date(2027, 3, 25), date(2027, 4, 1)) == 3
    # and the October change (31 October 2027) is just a Sunday
    assert subtract_working_days(date(2027, 11, 1), 1) == date(2027, 10, 29)


def test_counting_back_over_christmas_substitute_days():
    # Christmas Day and Boxing Day 2027 fall at the weekend: Monday 27 and Tuesday 28 are off
    # 1 January 2028 is a Saturday: Monday 3 January is off too
    assert subtract_working_days(date(2028, 1, 4), 5) == date(2027, 12, 23)
    assert subtract_working_days(date(2027, 12, 29), 1) == date(2027, 12, 24)


def test_a_deadline_on_a_weekend_counts_from_the_working_day_before():
    assert subtract_working_days(date(2027, 3, 14), 0) == date(2027, 3, 12)  # Sunday → Friday
    assert subtract_working_days(date(2027, 3, 14), 1) == date(2027, 3, 11)
    with pytest.raises(ValueError):
        subtract_working_days(date(2027, 3, 14), -1)


def test_start_by_adds_preparation_and_sign_off_days():
    planned = start_by(date(2027, 4, 16), 10, 5)  # 15 working days back cross Easter and the clock change
    assert planned.day == date(2027, 3, 24)
    assert planned.words(date(2027, 3, 17)) == "start by 24 March 2027"
    assert planned.words(date(2027, 3, 24)) == "start today"
    assert planned.words(date(2027, 3, 25)) == "tight: start by 24 March 2027 has passed"
    assert planned.tight(date(2027, 3, 25)) and not planned.tight(date(2027, 4, 17))  # closed is not tight
    assert "10 working days to prepare and 5 for sign-off" in planned.explain()
    assert start_by(None, 10, 5) is None
    assert start_by(date(2027, 4, 30), None, 0).day == date(2027, 4, 30)
