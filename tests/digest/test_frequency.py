"""Weekly, daily or off: the scheduler's digest jobs send each recipient the digest they
chose, once per period (ISO week, or day), and nothing when it is off."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from tests.digest.conftest import ADA, NOW, SAM, VAL
from tests.digest.test_send_smtp import rows, send
from tracker.db import session_scope
from tracker.models import Match, Opportunity, User

WEDNESDAY = NOW + timedelta(days=2)  # NOW is Monday 30 Nov 2026, 08:00 in London


def choose(engine, email: str, frequency: str) -> None:
    with session_scope(engine) as s:
        user = s.exec(select(User).where(User.email == email)).one()
        user.digest, user.digest_frequency = frequency != "off", frequency if frequency != "off" else "weekly"
        s.add(user)


def new_call(engine, title: str) -> None:
    with session_scope(engine) as s:
        o = Opportunity(url=f"https://funder.example/{title}", title=title, funder="Trust")
        s.add(o)
        s.flush()
        s.add(Match(need_id="N1", opportunity_id=o.id, score=0.6, eligible=True))


def test_daily_weekly_and_off_each_get_what_they_chose(engine, seeded, settings, smtp_server):
    choose(engine, SAM, "daily")
    choose(engine, VAL, "off")
    got = smtp_server.handler
    # Wednesday: the daily run sends sam's daily digest only
    report = send(engine, settings, now=WEDNESDAY, frequency="daily")
    assert report.sent == 1 and [r for _f, rs in got.envelopes for r in rs] == [SAM]
    assert got.messages[0]["Subject"].endswith("(Wed 2 December 2026)")
    assert rows(engine)[SAM].period == "2026-12-02"
    # the weekly run on Monday sends ada's weekly digest, not sam's (daily) or val's (off)
    send(engine, settings, now=NOW + timedelta(days=7), frequency="weekly")
    assert [r for _f, rs in got.envelopes for r in rs] == [SAM, ADA]
    assert "(week of 7 December 2026)" in got.messages[1]["Subject"]
    # the next day's daily run: sam again if there is news, exactly once however often it runs
    new_call(engine, "Thursday fund")
    for _ in range(2):
        send(engine, settings, now=WEDNESDAY + timedelta(days=1), frequency="daily")
    assert [r for _f, rs in got.envelopes for r in rs] == [SAM, ADA, SAM]
    assert "Thursday fund" in got.messages[2].get_body(("plain",)).get_content()
    assert "Youth Diversion Fund" not in got.messages[2].get_body(("plain",)).get_content()  # sent Wednesday
    assert VAL not in [r for _f, rs in got.envelopes for r in rs]


def test_a_daily_digest_with_no_news_is_not_sent(engine, seeded, settings, smtp_server):
    choose(engine, SAM, "daily")
    send(engine, settings, now=WEDNESDAY, frequency="daily")
    report = send(engine, settings, now=WEDNESDAY + timedelta(days=1), frequency="daily")
    # Safer Streets still closes within 14 days, but that is no news a day later
    assert report.skipped_empty == 1 and len(smtp_server.handler.messages) == 1


@pytest.mark.parametrize(("when", "job", "who"), [
    ("2026-12-02 08:00", "daily_digest", [SAM]),  # a Wednesday
    ("2026-11-30 08:00", "weekly_digest", [ADA]),  # the weekly run (Monday)
])
def test_the_scheduler_jobs_send_by_frequency(engine, seeded, settings, smtp_server, when, job, who):
    from jobs import tasks

    choose(engine, SAM, "daily")
    choose(engine, VAL, "off")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    tasks.configure(settings, engine)
    from tracker.digest import tokens

    settings.data_dir.joinpath("secret_key").write_text("job-secret", encoding="utf-8")
    assert tokens.load_secret(settings) == "job-secret"
    with time_machine.travel(f"{when}Z", tick=False):
        getattr(tasks, job)("run-now")
    assert [r for _f, rs in smtp_server.handler.envelopes for r in rs] == who


def test_retry_of_a_week_skips_it_once_a_later_daily_digest_was_delivered(engine, seeded, settings, smtp_server):
    from tests.digest.conftest import FAST, SECRET
    from tracker.digest import retry_digests

    smtp_server.handler.refuse[SAM] = "550 5.1.1 no such mailbox"
    send(engine, settings)  # week 2026-W49: ada gets hers, sam's fails
    assert rows(engine)[SAM].status == "failed"
    smtp_server.handler.refuse = {}
    choose(engine, SAM, "daily")
    new_call(engine, "Wednesday fund")
    send(engine, settings, now=WEDNESDAY, frequency="daily")  # reaches sam, with all news since
    report = retry_digests(engine, settings, WEDNESDAY, period="2026-W49", options=FAST, secret=SECRET)
    # a date does not sort after an ISO week as text; when each was recorded does
    assert report.sent == 0 and any("superseded by the digest of 2026-12-02" in line for line in report.lines)
    assert len(smtp_server.handler.to(SAM)) == 1
