"""Start-by dates: plan a bid backwards from the deadline.

start by = deadline − the need's preparation days − the organisation's sign-off lead time
(`[planning] signoff_working_days`), both counted in working days (tracker.workdays: weekends
and England and Wales bank holidays do not count). A call whose start-by date has passed but
whose deadline has not is "tight": it is flagged, never hidden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.format import long_date
from tracker.workdays import subtract_working_days


@dataclass(frozen=True)
class StartBy:
    day: date
    deadline: date
    prep_days: int
    signoff_days: int

    def tight(self, today: date) -> bool:
        """Start-by has passed and the call is still open."""
        return self.day < today <= self.deadline

    def words(self, today: date) -> str:
        """'start by 3 March 2027', 'start today' or 'tight: start by … has passed'."""
        if self.day == today:
            return "start today"
        if self.tight(today):
            return f"tight: start by {long_date(self.day)} has passed"
        return f"start by {long_date(self.day)}"

    def explain(self) -> str:
        return (f"{self.prep_days} working days to prepare and {self.signoff_days} for sign-off "
                f"before the deadline of {long_date(self.deadline)}")


def start_by(deadline: date | None, prep_days: int | None, signoff_days: int) -> StartBy | None:
    """The start-by date of a call with this deadline for a need with these preparation
    days; None for a call without a deadline (rolling, or not stated)."""
    if deadline is None:
        return None
    prep = max(prep_days or 0, 0)
    signoff = max(signoff_days, 0)
    return StartBy(subtract_working_days(deadline, prep + signoff), deadline, prep, signoff)
