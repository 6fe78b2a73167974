"""The scheduler's own jobs (jobs.tasks) end to end on their success path: a real database,
the demo funder web on loopback, a real SMTP server (aiosmtpd). What a user would see:
calls stored, matches made (only for new and changed calls after a crawl), the digest
delivered, source health updated, and every run in the job history."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
import time_machine
from sqlmodel import Session, col, select

from jobs import tasks
from tracker.demo.server import serve_site
from tracker.models import Digest, JobRun, Match, Opportunity, Source, User
from tracker.needs import import_needs
from tracker.sources import add_source

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday inside the demo site's valid dates (TRACKER_TODAY)
LEAD = "lead@council.example"
DEMO = resources.files("tracker.demo")


@pytest.fixture
def world(settings, engine, smtp, monkeypatch):
    """Two demo funders and one source that never gets crawled; the demo needs; one
    digest subscriber; SMTP on loopback."""
    monkeypatch.setenv("TRACKER_TODAY", NOW.date().isoformat())
    settings.smtp.host, settings.smtp.port, settings.smtp.security = "127.0.0.1", smtp.port, "none"
    settings.digest.base_url = "https://tracker.example"
    with serve_site() as site, Session(engine) as s:
        add_source(s, settings, name="fenvalley", kind="html", url=site.url + "/fenvalley-pcc/funding/index.html")
        add_source(s, settings, name="nene-feed", kind="rss", url=site.url + "/nene-welland-cf/feed.xml")
        add_source(s, settings, name="forgotten", kind="html", url=site.url + "/brightway/funding/index.html")
        import_needs(s, Path(str(DEMO.joinpath("needs.json"))))
        s.add(User(email=LEAD, name="Team lead", role="staff", digest=True))
        s.commit()
        tasks.configure(settings, engine)
        yield site


def _calls(engine, source: str) -> dict[int, str]:
    with Session(engine) as s:
        sid = s.exec(select(Source.id).where(Source.name == source)).one()
        return {o.id: o.title for o in s.exec(select(Opportunity).where(Opportunity.source_id == sid))}


def _matched(engine) -> dict[int, datetime]:
    """Each matched call with when its matches were last scored."""
    with Session(engine) as s:
        scored: dict[int, datetime] = {}
        for m in s.exec(select(Match)):
            scored[m.opportunity_id] = max(scored.get(m.opportunity_id, m.scored_at), m.scored_at)
        return scored


def _runs(engine) -> list[tuple[str, str, str]]:
    with Session(engine) as s:
        return [(r.job_id, r.trigger, r.outcome) for r in s.exec(select(JobRun).order_by(col(JobRun.id)))]


def test_scheduled_jobs_crawl_match_send_and_check_health(world, engine, smtp) -> None:
    # Crawl: the calls are stored and only they are matched.
    detail = tasks.crawl("fenvalley")
    fen = _calls(engine, "fenvalley")
    assert len(fen) == 5 and "Youth Diversion Fund 2027/28" in fen.values()
    assert "5 new, 0 changed" in detail and "re-scored 5 call(s)" in detail, detail
    after_fen = _matched(engine)
    assert after_fen and set(after_fen) <= set(fen)

    detail = tasks.crawl("nene-feed")
    nene = _calls(engine, "nene-feed")
    assert len(nene) == 4 and "re-scored 4 call(s)" in detail, detail
    after_nene = _matched(engine)
    assert set(after_nene) - set(after_fen) <= set(nene) and set(after_nene) & set(nene)
    # incremental: the first source's matches were not scored again
    assert {o: after_nene[o] for o in after_fen} == after_fen

    # An unchanged re-crawl stores nothing new and re-scores nothing.
    detail = tasks.crawl("fenvalley")
    assert "0 new, 0 changed" in detail and "re-scored 0 call(s)" in detail, detail
    assert _calls(engine, "fenvalley") == fen

    # Matching everything re-scores every call for every need.
    detail = tasks.match_all()
    with Session(engine) as s:
        needs = len(s.exec(select(Match.need_id).distinct()).all())
    assert detail.startswith(f"{needs} need(s) × ") and needs >= 1, detail
    assert set(_matched(engine)) == set(after_nene)

    # The weekly digest reaches the subscriber through the SMTP server. (It reads the date
    # off the clock, not TRACKER_TODAY: run it on the pinned day. The crawls above run in a
    # child process on the real clock, so the clock is moved for this job only.)
    with time_machine.travel(NOW, tick=True):
        tasks.weekly_digest()
    [message] = smtp.handler.to(LEAD)
    body = message.get_body(("plain",)).get_content()
    assert any(title in body for title in (*fen.values(), *nene.values())), body[:2000]
    with Session(engine) as s:
        digest = s.exec(select(Digest).where(Digest.recipient == LEAD)).one()
        assert digest.status == "sent" and digest.match_ids and digest.message_id == message["Message-ID"]

    # The health check flags the source that was never crawled, and only that one.
    detail = tasks.health_check()
    with Session(engine) as s:
        health = {src.name: (src.healthy, src.health_note) for src in s.exec(select(Source))}
    assert health["forgotten"] == (False, "not crawled for over a week")
    assert health["fenvalley"][0] and health["nene-feed"][0]
    assert detail == "1 unhealthy: forgotten (not crawled for over a week)"

    assert _runs(engine) == [("crawl:fenvalley", "schedule", "ok"), ("crawl:nene-feed", "schedule", "ok"),
                             ("crawl:fenvalley", "schedule", "ok"), ("match:all", "schedule", "ok"),
                             ("digest:weekly", "schedule", "ok"), ("health:weekly", "schedule", "ok")]
