"""Matching over the database: stored matches with reasons, ranks, dismissals that stick,
and incremental re-scoring of changed calls."""

import gc
import weakref
from datetime import date

from sqlmodel import Session, select

from tracker import matches
from tracker.matches import match_rows, run_matching
from tracker.models import Match, Need, Opportunity
from tracker.normalize.facts import Facts
from tracker.store import upsert_call

TODAY = date(2026, 11, 26)


def _call(url: str, title: str, **kw) -> Facts:
    base = dict(url=url, title=title, funder="PCC", summary=title, deadline=date(2027, 6, 1), status="open",
                amount_min=1000, amount_max=20000, areas=["Cambridgeshire"], themes=["youth", "serious_violence"],
                eligible_org_types=["local_authority", "charity"], body=f"{title}. Youth work to prevent knife crime.")
    base.update(kw)
    return Facts(**base)


def _seed(engine) -> None:
    with Session(engine) as s:
        s.add(Need(id="youth", title="Youth diversion from knife crime", description="Detached youth work in "
                   "Millfield to keep teenagers away from knife crime", themes=["youth", "serious_violence"],
                   area="Peterborough", applicant="local_authority", partners=["charity"],
                   amount_min=5000, amount_max=50000))
        upsert_call(s, _call("https://pcc.example/youth", "Youth Violence Prevention Fund"), None)
        upsert_call(s, _call("https://pcc.example/knives", "Knife Crime Community Fund"), None)
        upsert_call(s, _call("https://cumbria.example/youth", "Youth Violence Fund (Cumbria)", areas=["Cumbria"]), None)
        s.commit()


def test_matches_are_stored_ranked_and_explained(engine) -> None:
    _seed(engine)
    with Session(engine) as s:
        summary = run_matching(s, TODAY)
        s.commit()
        assert summary.eligible_by_need == {"youth": 2}
        rows = {r["url"]: r for r in match_rows(s, "youth")}
    assert {rows["https://pcc.example/youth"]["rank"], rows["https://pcc.example/knives"]["rank"]} == {1, 2}
    cumbria = rows["https://cumbria.example/youth"]
    assert not cumbria["eligible"] and cumbria["rank"] is None
    assert any("Peterborough" in reason for reason in cumbria["reasons"])
    assert all(rows[u]["reasons"] for u in rows)


def test_dismissed_match_stays_dismissed_after_the_page_changes(engine) -> None:
    _seed(engine)
    with Session(engine) as s:
        run_matching(s, TODAY)
        s.commit()
        knives = s.exec(select(Opportunity).where(Opportunity.url == "https://pcc.example/knives")).one()
        m = s.exec(select(Match).where(Match.opportunity_id == knives.id)).one()
        m.dismissed = True
        s.add(m)
        s.commit()
        # the call's page changes (deadline moved) and a new call appears
        _, outcome = upsert_call(s, _call("https://pcc.example/knives", "Knife Crime Community Fund",
                                          deadline=date(2027, 7, 1)), None)
        new, _ = upsert_call(s, _call("https://pcc.example/new", "Youth Knife Crime Outreach Fund"), None)
        s.commit()
        assert outcome == "changed"
        summary = run_matching(s, TODAY, opportunity_ids={knives.id, new.id})
        s.commit()
        m = s.exec(select(Match).where(Match.opportunity_id == knives.id)).one()
        assert m.dismissed and m.rank is None
        assert summary.eligible_by_need == {"youth": 2}  # the new call and the untouched one
        ranks = sorted(r["rank"] for r in match_rows(s, "youth") if r["rank"])
        assert ranks == [1, 2]


def test_incremental_run_over_several_needs_stores_what_a_full_run_stores(engine) -> None:
    _seed(engine)
    with Session(engine) as s:
        s.add(Need(id="cctv", title="CCTV on Lincoln Road", description="Cameras against drug dealing",
                   themes=["community_safety"], area="Peterborough", applicant="local_authority"))
        s.add(Need(id="cumbria", title="Youth violence work in Cumbria", description="Knife crime outreach",
                   themes=["youth"], area="Cumbria", applicant="charity"))
        s.commit()
        run_matching(s, TODAY)
        s.commit()
        new, _ = upsert_call(s, _call("https://pcc.example/cameras", "Safer Streets CCTV Fund",
                                      themes=["community_safety"], body="CCTV cameras on high streets."), None)
        edited = s.get(Need, "cumbria")
        edited.area = "Peterborough"  # an edited need is re-scored over every call
        s.add(edited)
        s.commit()
        run_matching(s, TODAY, opportunity_ids={new.id}, need_ids={"cumbria"})
        s.commit()
        incremental = match_rows(s)
        run_matching(s, TODAY)
        s.commit()
        full = match_rows(s)
    # scores drift a little as new calls change the word statistics (a full run re-reads them);
    # what staff see (which calls fit, in what order, and why) is the same
    assert [{**r, "score": None} for r in incremental] == [{**r, "score": None} for r in full]
    assert {r["need_id"] for r in full if r["rank"]} == {"youth", "cctv", "cumbria"}
    assert any(r["url"] == "https://pcc.example/cameras" and r["need_id"] == "cctv" and r["rank"] for r in full)


def test_the_kept_matcher_is_left_out_of_garbage_collection_and_freed_when_replaced(engine) -> None:
    # the scheduler keeps one matcher all day: its calls are frozen out of the collector's
    # full passes, and the next day's rebuild lets the old one go (frozen garbage never would be)
    _seed(engine)
    with Session(engine) as s:
        run_matching(s, TODAY, opportunity_ids=set())
        kept = matches._matchers[str(s.get_bind().url)][0]
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for o in gc.get_objects())  # frozen, so no longer walked
        gone = weakref.ref(kept)
        del kept
        run_matching(s, date(2026, 11, 27), opportunity_ids=set())  # a new day: built afresh
        assert gone() is None
