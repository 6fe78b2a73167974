"""Triggers and job sync: crontab weekdays, clock changes, schedules kept across syncs,
pauses, and missed runs after downtime (with controlled time)."""

import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import Session

from jobs.scheduler import build_scheduler, sync_jobs
from tests.loopback import wait_until
from tracker.config import Settings
from tracker.cron import cron_trigger
from tracker.models import JobControl, Source

LONDON = ZoneInfo("Europe/London")


def fires(trigger, start: datetime, n: int) -> list[datetime]:
    out, prev, now = [], None, start
    for _ in range(n):
        nxt = trigger.get_next_fire_time(prev, now)
        out.append(nxt)
        prev, now = nxt, nxt + timedelta(seconds=1)
    return out


def test_crontab_weekday_numbers_mean_what_crontab_means() -> None:
    trigger = cron_trigger("30 6 * * 1-5", "Europe/London")
    days = {t.strftime("%a") for t in fires(trigger, datetime(2027, 1, 4, tzinfo=LONDON), 10)}
    assert days == {"Mon", "Tue", "Wed", "Thu", "Fri"}
    sunday = fires(cron_trigger("0 9 * * 0", "Europe/London"), datetime(2027, 1, 4, tzinfo=LONDON), 1)[0]
    assert sunday.strftime("%a") == "Sun"


def test_bad_cron_is_refused_with_the_expression() -> None:
    with pytest.raises(ValueError, match="'0 25 \\* \\* \\*'"):
        cron_trigger("0 25 * * *")
    with pytest.raises(ValueError, match="5 fields"):
        cron_trigger("daily")


@pytest.mark.parametrize("start", [datetime(2027, 3, 26, tzinfo=LONDON), datetime(2027, 10, 29, tzinfo=LONDON)])
def test_daily_job_keeps_local_time_across_clock_changes(start: datetime) -> None:
    runs = fires(cron_trigger("0 8 * * *", "Europe/London"), start, 5)
    assert [r.astimezone(LONDON).hour for r in runs] == [8] * 5
    utc_hours = {r.astimezone(UTC).hour for r in runs}
    assert utc_hours == {7, 8}  # the UTC hour shifts with the clocks, the local one does not


def test_job_in_the_skipped_hour_still_runs_once_that_day() -> None:
    runs = fires(cron_trigger("30 1 * * *", "Europe/London"), datetime(2027, 3, 27, 12, tzinfo=LONDON), 2)
    assert runs[0].date().isoformat() == "2027-03-28"  # 01:30 does not exist that night; it is not skipped
    assert runs[1].date().isoformat() == "2027-03-29"


def _settings() -> Settings:
    s = Settings()
    s.schedule.crawl = "0 6 * * *"
    return s


def test_sync_creates_jobs_keeps_next_runs_and_applies_controls(sqlite_engine) -> None:
    settings = _settings()
    with Session(sqlite_engine) as s:
        s.add(Source(name="pcc", kind="html", url="https://pcc.example/"))
        s.add(Source(name="feed", kind="rss", url="https://cf.example/feed", schedule="15 7 * * 1"))
        s.add(Source(name="off", kind="html", url="https://off.example/", enabled=False))
        s.commit()
    scheduler = build_scheduler(sqlite_engine, settings)
    scheduler.start(paused=True)
    try:
        sync_jobs(scheduler, sqlite_engine, settings)
        ids = {j.id for j in scheduler.get_jobs()}
        assert ids == {"crawl:pcc", "crawl:feed", "digest:weekly", "digest:daily", "reminders:daily", "health:weekly",
                       "mail:retry"}
        digest = scheduler.get_job("digest:weekly")
        assert digest.next_run_time.astimezone(LONDON).strftime("%a %H:%M") == "Mon 08:00"
        daily = scheduler.get_job("digest:daily")  # daily digests: working days at the digest time
        assert "day_of_week='mon-fri'" in str(daily.trigger) and "hour='8'" in str(daily.trigger)
        assert daily.next_run_time.astimezone(LONDON).strftime("%a %H:%M")[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri")
        before = scheduler.get_job("crawl:pcc").next_run_time
        assert sync_jobs(scheduler, sqlite_engine, settings) == []  # nothing changed: next runs kept
        assert scheduler.get_job("crawl:pcc").next_run_time == before
        with Session(sqlite_engine) as s:
            s.add(JobControl(job_id="crawl:feed", paused=True))
            s.add(JobControl(job_id="reminders:daily", schedule="0 9 * * *"))
            s.commit()
        changes = sync_jobs(scheduler, sqlite_engine, settings)
        assert "paused crawl:feed" in changes and "rescheduled reminders:daily" in changes
        assert scheduler.get_job("crawl:feed").next_run_time is None
        assert scheduler.get_job("reminders:daily").next_run_time.astimezone(LONDON).hour == 9
    finally:
        scheduler.shutdown(wait=False)


def test_missed_runs_after_downtime_run_once(sqlite_engine, tmp_path, monkeypatch) -> None:
    counter = tmp_path / "count"
    monkeypatch.setenv("TRACKER_TEST_COUNTER", str(counter))
    settings = _settings()
    with time_machine.travel(datetime(2027, 1, 8, 12, tzinfo=LONDON), tick=True):
        scheduler = build_scheduler(sqlite_engine, settings)
        scheduler.start(paused=True)
        scheduler.add_job("tests.jobs.counter:bump", trigger=cron_trigger("0 6 * * *", "Europe/London"),
                          id="daily", replace_existing=True)
        scheduler.shutdown()
    # The machine was off all weekend: three 06:00 slots were missed.
    with time_machine.travel(datetime(2027, 1, 11, 9, tzinfo=LONDON), tick=True):
        scheduler = build_scheduler(sqlite_engine, settings)
        scheduler.start()
        tomorrow = datetime(2027, 1, 12, 6, tzinfo=LONDON)
        # The missed slots are handled in one pass that ends with the next slot set; then
        # shutting down waits for whatever that pass started.
        wait_until(lambda: counter.exists() and scheduler.get_job("daily").next_run_time == tomorrow, 10,
                   "the missed run and the next slot")
        next_run = scheduler.get_job("daily").next_run_time
        scheduler.shutdown(wait=True)
    assert counter.read_text().count("run") == 1
    assert next_run.astimezone(LONDON) == datetime(2027, 1, 12, 6, tzinfo=LONDON)
    assert os.environ["TRACKER_TEST_COUNTER"] == str(counter)
