"""The bids report: funding secured per year, per need and per funder; win rate; pipeline
value by stage; upcoming start-by dates. One set of figures for the /reports page, its CSV
downloads and `tracker report --format json|csv`.

A bid counts in the year of its call's deadline (else the year the bid was created).
Submitted bids are those applied, awarded or unsuccessful; the win rate is awarded over
decided (awarded + unsuccessful), None before any outcome. A bid in the pipeline is valued
at its amount requested, else the call's most (amount_max), else 0."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from tracker.csvout import write_csv
from tracker.models import Bid, Match, Need, Opportunity
from tracker.startby import start_by

PIPELINE_STAGES = ("interested", "preparing", "applied")
SUBMITTED = ("applied", "awarded", "unsuccessful")
UPCOMING_DAYS = 90
CSV_FIELDS = ("section", "key", "secured", "requested", "bids", "won", "lost", "win_rate", "value")


@dataclass
class Tally:
    """Bids of one year, need or funder."""

    key: str
    secured: int = 0  # pounds awarded
    requested: int = 0  # pounds asked for in submitted bids
    bids: int = 0  # submitted bids
    won: int = 0
    lost: int = 0

    @property
    def win_rate(self) -> float | None:
        decided = self.won + self.lost
        return round(self.won / decided, 3) if decided else None

    def add(self, bid: Bid) -> None:
        if bid.status not in SUBMITTED:
            return
        self.bids += 1
        self.requested += bid.amount_requested or 0
        if bid.status == "awarded":
            self.won += 1
            self.secured += bid.amount_awarded or 0
        elif bid.status == "unsuccessful":
            self.lost += 1

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "win_rate": self.win_rate}


@dataclass
class Stage:
    stage: str
    bids: int = 0
    value: int = 0


@dataclass
class Upcoming:
    start_by: date
    deadline: date
    opportunity_id: int
    title: str
    funder: str
    need: str
    why: str  # "bid: preparing" or "match"


@dataclass
class Report:
    years: list[Tally] = field(default_factory=list)
    needs: list[Tally] = field(default_factory=list)
    funders: list[Tally] = field(default_factory=list)
    pipeline: list[Stage] = field(default_factory=list)
    upcoming: list[Upcoming] = field(default_factory=list)
    total: Tally = field(default_factory=lambda: Tally("all"))

    def as_json(self) -> dict[str, Any]:
        return {"years": [{"year": int(t.key), **t.as_dict()} for t in self.years],
                "pipeline": {s.stage: {"bids": s.bids, "value": s.value} for s in self.pipeline},
                "needs": [t.as_dict() for t in self.needs], "funders": [t.as_dict() for t in self.funders],
                "total": self.total.as_dict(),
                "upcoming": [{**asdict(u), "start_by": u.start_by.isoformat(), "deadline": u.deadline.isoformat()}
                             for u in self.upcoming]}

    def csv_rows(self, section: str | None = None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for name, tallies in (("year", self.years), ("need", self.needs), ("funder", self.funders)):
            if section in (None, name):
                rows += [{"section": name, **t.as_dict()} for t in tallies]
        if section in (None, "pipeline"):
            rows += [{"section": "pipeline", "key": s.stage, "bids": s.bids, "value": s.value} for s in self.pipeline]
        return rows

    def csv(self, section: str | None = None) -> str:
        return write_csv(CSV_FIELDS, self.csv_rows(section))


def _year(bid: Bid, opp: Opportunity) -> str:
    return str((opp.deadline or bid.created_at).year)


def build_report(session: Session, today: date, signoff_days: int) -> Report:
    rows = session.exec(select(Bid, Opportunity).join(Opportunity, Opportunity.id == Bid.opportunity_id)).all()
    needs = {n.id: n for n in session.exec(select(Need))}
    report = Report()
    years: dict[str, Tally] = {}
    by_need: dict[str, Tally] = {}
    by_funder: dict[str, Tally] = {}
    stages = {s: Stage(s) for s in PIPELINE_STAGES}
    for bid, opp in rows:
        need = needs[bid.need_id].title if bid.need_id in needs else "No particular need"
        for table, key in ((years, _year(bid, opp)), (by_need, need), (by_funder, opp.funder or "Funder not stated")):
            table.setdefault(key, Tally(key)).add(bid)
        report.total.add(bid)
        if bid.status in stages:
            stages[bid.status].bids += 1
            stages[bid.status].value += bid.amount_requested or opp.amount_max or 0
    report.years = [years[k] for k in sorted(years)]
    report.needs = sorted(by_need.values(), key=lambda t: (-t.secured, -t.bids, t.key))
    report.funders = sorted(by_funder.values(), key=lambda t: (-t.secured, -t.bids, t.key))
    report.pipeline = list(stages.values())
    report.upcoming = upcoming_starts(session, today, signoff_days, needs, rows)
    return report


def upcoming_starts(session: Session, today: date, signoff_days: int, needs: dict[str, Need],
                    bid_rows: list) -> list[Upcoming]:
    """Start-by dates in the next UPCOMING_DAYS for open bids and live eligible matches (one
    line per call and need; a bid's line wins over its match)."""
    end = today + timedelta(days=UPCOMING_DAYS)
    lines: dict[tuple[int, str | None], Upcoming] = {}

    def consider(opp: Opportunity, need_id: str | None, why: str) -> None:
        if opp.deadline is None or opp.deadline < today or (opp.id, need_id) in lines:
            return
        need = needs.get(need_id) if need_id else None
        planned = start_by(opp.deadline, need.prep_days if need else 0, signoff_days)
        if planned is not None and today <= planned.day <= end:
            lines[(opp.id, need_id)] = Upcoming(planned.day, opp.deadline, opp.id, opp.title,
                                                opp.funder or "", need.title if need else "", why)

    for bid, opp in bid_rows:
        if bid.status in ("interested", "preparing"):
            consider(opp, bid.need_id, f"bid: {bid.status}")
    matched = session.exec(select(Match, Opportunity).join(Opportunity, Opportunity.id == Match.opportunity_id)
                           .where(col(Match.eligible).is_(True), col(Match.dismissed).is_(False),
                                  col(Opportunity.duplicate_of_id).is_(None), Opportunity.status != "closed",
                                  col(Opportunity.deadline) >= today))
    for match, opp in matched:
        consider(opp, match.need_id, "match")
    return sorted(lines.values(), key=lambda u: (u.start_by, u.deadline, u.opportunity_id))
