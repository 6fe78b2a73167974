"""The bids report's figures: per year, need and funder; win rate; pipeline; upcoming starts."""

from datetime import UTC, date, datetime

from tracker.db import session_scope
from tracker.models import Bid, Match, Need, Opportunity
from tracker.report import build_report

TODAY = date(2026, 12, 2)


def _seed(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as s:
        s.add_all([Need(id="N1", title="Youth diversion", prep_days=10), Need(id="N2", title="CCTV", prep_days=0)])
        calls = [
            Opportunity(url="https://f.example/a", title="A 2025", funder="Home Office", deadline=date(2025, 3, 1)),
            Opportunity(url="https://f.example/b", title="B 2025", funder="=cmd()", deadline=date(2025, 9, 1)),
            Opportunity(url="https://f.example/c", title="C 2026", funder="Home Office", deadline=date(2026, 2, 1)),
            Opportunity(url="https://f.example/d", title="D open", funder="Trust", deadline=date(2027, 1, 29),
                        amount_max=40000),
            Opportunity(url="https://f.example/e", title="E open", funder="Trust", deadline=date(2027, 6, 30)),
            Opportunity(url="https://f.example/r", title="Rolling", funder="Trust", rolling=True),
        ]
        s.add_all(calls)
        s.flush()
        a, b, c, d, e, r = (o.id for o in calls)
        s.add_all([
            Bid(opportunity_id=a, need_id="N1", status="awarded", amount_requested=50000, amount_awarded=45000),
            Bid(opportunity_id=b, need_id="N2", status="unsuccessful", amount_requested=20000, feedback="weak"),
            Bid(opportunity_id=c, need_id="N1", status="awarded", amount_requested=10000, amount_awarded=10000),
            Bid(opportunity_id=c, need_id="N2", status="withdrawn", amount_requested=99999),
            Bid(opportunity_id=d, need_id="N1", status="preparing"),  # valued at the call's most
            Bid(opportunity_id=e, status="applied", amount_requested=30000),
            Bid(opportunity_id=r, status="interested", amount_requested=5000,
                created_at=datetime(2026, 5, 1, tzinfo=UTC)),
            Match(need_id="N2", opportunity_id=e, eligible=True, score=0.5),
        ])


def test_per_year_figures_and_win_rate(engine):
    _seed(engine)
    with session_scope(engine) as s:
        report = build_report(s, TODAY, signoff_days=15)
    years = {t.key: t.as_dict() for t in report.years}
    assert years["2025"] == {"key": "2025", "secured": 45000, "requested": 70000, "bids": 2, "won": 1, "lost": 1,
                             "win_rate": 0.5}
    assert years["2026"]["secured"] == 10000 and years["2026"]["bids"] == 1 and years["2026"]["win_rate"] == 1.0
    assert years["2027"] == {"key": "2027", "secured": 0, "requested": 30000, "bids": 1, "won": 0, "lost": 0,
                             "win_rate": None}  # applied, no outcome yet
    assert report.total.secured == 55000 and report.total.win_rate == round(2 / 3, 3)
    assert {t.key: t.secured for t in report.needs} == {"Youth diversion": 55000, "CCTV": 0,
                                                        "No particular need": 0}
    assert report.funders[0].key == "Home Office" and report.funders[0].secured == 55000


def test_pipeline_by_stage_and_upcoming_start_by_dates(engine):
    _seed(engine)
    with session_scope(engine) as s:
        report = build_report(s, TODAY, signoff_days=15)
    assert {p.stage: (p.bids, p.value) for p in report.pipeline} == {
        "interested": (1, 5000), "preparing": (1, 40000), "applied": (1, 30000)}
    # D: 29 January 2027 less 25 working days (New Year, Christmas, Boxing Day observed): 22 December 2026
    # E: 30 June 2027 less 15 working days (N2 has no preparation): 9 June 2027, beyond 90 days
    assert [(u.title, u.start_by, u.need, u.why) for u in report.upcoming] == [
        ("D open", date(2026, 12, 22), "Youth diversion", "bid: preparing")]


def test_report_csv_neutralises_formula_names(engine):
    _seed(engine)
    with session_scope(engine) as s:
        text = build_report(s, TODAY, signoff_days=15).csv("funder")
    assert text.splitlines()[0] == "section,key,secured,requested,bids,won,lost,win_rate,value"
    assert "funder,'=cmd(),0,20000,1,0,1,0.0," in text
