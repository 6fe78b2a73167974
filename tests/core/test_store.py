"""Upsert by canonical URL: new, changed (with a revision), unchanged (only last_seen)."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from tracker.dedupe import link_duplicates
from tracker.models import Funder, Opportunity, OpportunityRevision, Source
from tracker.normalize.facts import Facts
from tracker.store import refresh_statuses, upsert_call, upsert_calls


def _facts(**kw) -> Facts:
    base = dict(url="https://pcc.example/grants/youth", title="Youth Fund", funder="PCC",
                deadline=date(2027, 3, 14), amount_min=500, amount_max=5000, status="open",
                areas=["Cambridgeshire"], themes=["youth"])
    base.update(kw)
    return Facts(**base)


def test_new_unchanged_changed(engine) -> None:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    with Session(engine) as s:
        opp, outcome = upsert_call(s, _facts(), None, now=t0)
        s.commit()
        assert outcome == "new"
    with Session(engine) as s:
        opp, outcome = upsert_call(s, _facts(), None, now=t0 + timedelta(days=1))
        s.commit()
        assert outcome == "unchanged"
        assert s.exec(select(OpportunityRevision)).all() == []
    with Session(engine) as s:
        opp, outcome = upsert_call(s, _facts(deadline=date(2027, 4, 1), amount_max=8000), None,
                                   now=t0 + timedelta(days=2))
        s.commit()
        assert outcome == "changed"
        rev = s.exec(select(OpportunityRevision)).one()
        assert rev.changes == {"deadline": ["2027-03-14", "2027-04-01"], "amount_max": [5000, 8000]}
        row = s.exec(select(Opportunity)).one()
        assert row.first_seen == t0
        assert row.last_seen == t0 + timedelta(days=2)
        assert row.deadline == date(2027, 4, 1)


def test_a_batch_stores_new_changed_and_unchanged_calls_like_single_upserts(engine) -> None:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    other = "https://pcc.example/grants/cctv"
    with Session(engine) as s:
        upsert_calls(s, [_facts(), _facts(url=other, title="CCTV Fund")], None, now=t0)
        s.commit()
    batch = [_facts(amount_max=8000), _facts(url=other, title="CCTV Fund"),
             _facts(url="https://pcc.example/grants/new", title="New Fund")]
    with Session(engine) as s:
        assert upsert_calls(s, batch, None, crawl_run_id=None, now=t0 + timedelta(days=1)) == [
            "changed", "unchanged", "new"]
        s.commit()
        rev = s.exec(select(OpportunityRevision)).one()
        assert rev.changes == {"amount_max": [5000, 8000]}
        rows = {o.url: o for o in s.exec(select(Opportunity))}
        assert len(rows) == 3 and rows[other].last_seen == t0 + timedelta(days=1)
        assert rows[other].first_seen == t0


def test_statuses_follow_the_calendar(engine) -> None:
    with Session(engine) as s:
        upsert_call(s, _facts(url="https://a.example/1", deadline=date(2026, 11, 20)), None)
        upsert_call(s, _facts(url="https://a.example/2", status="upcoming", opens=date(2026, 11, 25),
                              deadline=date(2027, 1, 5)), None)
        upsert_call(s, _facts(url="https://a.example/3", rolling=True, deadline=None), None)
        s.commit()
        assert refresh_statuses(s, date(2026, 11, 26)) == 2
        s.commit()
        status = {o.url[-1]: o.status for o in s.exec(select(Opportunity))}
        assert status == {"1": "closed", "2": "open", "3": "open"}


def test_a_passed_deadline_moves_on_to_the_next_one_the_page_gave(engine) -> None:
    quarterly = [date(2026, 10, 31), date(2027, 1, 31), date(2027, 4, 30)]
    with Session(engine) as s:
        upsert_calls(s, [_facts(url="https://a.example/panels", deadline=date(2026, 10, 31), deadlines=quarterly)],
                     None)
        s.commit()
        assert refresh_statuses(s, date(2026, 11, 26)) == 1
        s.commit()
        row = s.exec(select(Opportunity)).one()
        assert (row.deadline, row.status) == (date(2027, 1, 31), "open")
        assert row.deadlines == ["2026-10-31", "2027-01-31", "2027-04-30"]
        assert s.exec(select(OpportunityRevision)).one().changes == {"deadline": ["2026-10-31", "2027-01-31"]}
        # a re-crawl keeps the list current without a revision of its own
        upsert_call(s, _facts(url="https://a.example/panels", deadline=date(2027, 1, 31), deadlines=quarterly[1:]),
                    None)
        s.commit()
        assert s.exec(select(Opportunity)).one().deadlines == ["2027-01-31", "2027-04-30"]


def test_same_programme_on_two_sources_is_linked_to_the_owner(engine) -> None:
    with Session(engine) as s:
        pcc = Funder(name="PCC")
        s.add(pcc)
        s.flush()
        own = Source(name="pcc", kind="html", url="https://pcc.example/", funder_id=pcc.id)
        feed = Source(name="cf feed", kind="rss", url="https://cf.example/feed")
        agg = Source(name="aggregator", kind="html", url="https://agg.example/")
        s.add_all([own, feed, agg])
        s.flush()
        upsert_call(s, _facts(url="https://cf.example/pcc-youth", title="PCC's Youth Fund"), feed)
        upsert_call(s, _facts(url="https://pcc.example/youth", title="Youth Fund"), own)
        upsert_call(s, _facts(url="https://agg.example/youth-fund", title="Youth Fund"), agg)
        # same name, other round: not a duplicate
        upsert_call(s, _facts(url="https://agg.example/youth-2025", title="Youth Fund 2025",
                              deadline=date(2025, 3, 1)), agg)
        # same title, other funder, other terms: a different fund
        upsert_call(s, _facts(url="https://agg.example/other", title="Youth Fund", funder="Home Office",
                              amount_max=90000), agg)
        # a foundation re-publishing the PCC's fund under its own name, same terms: a copy
        upsert_call(s, _facts(url="https://cf.example/youth-copy", title="Police and Crime Commissioner's Youth Fund",
                              funder="Community Foundation"), feed)
        s.commit()
        assert link_duplicates(s) == 3
        s.commit()
        by_url = {o.url: o for o in s.exec(select(Opportunity))}
        owner = by_url["https://pcc.example/youth"]
        assert owner.duplicate_of_id is None
        assert by_url["https://cf.example/pcc-youth"].duplicate_of_id == owner.id
        assert by_url["https://agg.example/youth-fund"].duplicate_of_id == owner.id
        assert by_url["https://cf.example/youth-copy"].duplicate_of_id == owner.id
        assert by_url["https://agg.example/youth-2025"].duplicate_of_id is None
        assert by_url["https://agg.example/other"].duplicate_of_id is None


def test_a_national_programme_worth_billions_is_stored_whole(engine) -> None:
    """£3 billion is over PostgreSQL's 32-bit integer: it used to fail the crawl's whole batch."""
    with Session(engine) as s:
        upsert_calls(s, [_facts(amount_min=1_000_000, amount_max=3_000_000_000, total_pot=3_000_000_000),
                         _facts(url="https://pcc.example/grants/cctv", title="CCTV Fund")], None)
        s.commit()
    with Session(engine) as s:
        rows = {o.title: (o.amount_max, o.total_pot) for o in s.exec(select(Opportunity))}
    assert rows == {"Youth Fund": (3_000_000_000, 3_000_000_000), "CCTV Fund": (5000, None)}
