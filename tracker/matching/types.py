"""Plain inputs and outputs of matching: a project need, an opportunity, a scored match."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.normalize.facts import Facts


@dataclass
class NeedSpec:
    id: str
    title: str
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)  # vocabulary theme keys
    area: str = "United Kingdom"  # vocabulary area key (the place the work happens)
    applicant: str = "local_authority"  # org type of the team's own organisation
    partners: list[str] = field(default_factory=list)  # org types the team can bid through
    amount_min: int | None = None
    amount_max: int | None = None
    prep_days: int = 21
    active: bool = True


@dataclass
class OppSpec:
    key: str  # url or id
    title: str
    summary: str = ""
    text: str = ""  # eligibility / body text
    funder: str | None = None
    deadline: date | None = None
    deadline_time: time | None = None
    rolling: bool = False
    opens: date | None = None
    status: str = "open"  # open | upcoming | closed
    amount_min: int | None = None
    amount_max: int | None = None
    total_pot: int | None = None
    eligible_org_types: list[str] = field(default_factory=list)
    excluded_org_types: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    duplicate_of: str | None = None

    @classmethod
    def from_facts(cls, facts: Facts, duplicate_of: str | None = None, text: str = "") -> OppSpec:
        """Build from normalised Facts; `text` defaults to the eligibility prose."""
        return cls(
            key=facts.url, title=facts.title, summary=facts.summary,
            text=text or facts.eligibility_text, funder=facts.funder, deadline=facts.deadline,
            deadline_time=facts.deadline_time, rolling=facts.rolling, opens=facts.opens,
            status=facts.status, amount_min=facts.amount_min, amount_max=facts.amount_max,
            total_pot=facts.total_pot, eligible_org_types=list(facts.eligible_org_types),
            excluded_org_types=list(facts.excluded_org_types), areas=list(facts.areas),
            themes=list(facts.themes), duplicate_of=duplicate_of,
        )


@dataclass(slots=True)  # slots: a batch makes tens of thousands
class MatchResult:
    need_id: str
    opp_key: str
    score: float  # 0-100, one decimal place
    eligible: bool
    too_tight: bool = False
    reasons: list[str] = field(default_factory=list)  # plain English, most important first
    rank: int | None = None  # 1-based among eligible primaries; None otherwise
