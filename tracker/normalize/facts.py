"""The normalised facts of one call: what is stored, matched and exported."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, time
from typing import Any, Literal

Status = Literal["open", "upcoming", "closed"]


@dataclass
class Facts:
    url: str
    title: str
    funder: str | None = None
    summary: str = ""
    deadline: date | None = None
    deadline_time: time | None = None
    deadlines: list[date] = field(default_factory=list)  # every closing date the page gives (quarterly panels)
    rolling: bool = False
    opens: date | None = None
    amount_min: int | None = None  # whole pounds
    amount_max: int | None = None
    total_pot: int | None = None
    currency: str = "GBP"
    status: Status = "open"
    eligible_org_types: list[str] = field(default_factory=list)  # vocabulary org_types keys
    excluded_org_types: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)  # vocabulary area keys
    themes: list[str] = field(default_factory=list)  # vocabulary themes keys
    eligibility_text: str = ""  # the "who can apply" prose, kept for matching and display
    body: str = ""  # the call's main text (capped), for matching; not part of the change history
    problems: list[str] = field(default_factory=list)  # "deadline: unreadable 'TBA soon'" etc.

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
