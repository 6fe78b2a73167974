import email
import re
from email import policy

from sqlmodel import select

from tests.digest.conftest import ADA, NOW, SAM, SECRET, VAL, make_settings
from tracker.db import session_scope
from tracker.digest import digest_status, preview_digests, send_digests
from tracker.models import Digest, DigestItem


def test_without_smtp_digests_go_to_the_outbox(engine, seeded, tmp_path):
    settings = make_settings(tmp_path)  # no SMTP host
    assert not settings.smtp.configured
    report = send_digests(engine, settings, now=NOW, secret=SECRET)
    assert report.transport == "outbox" and report.outbox == 3 and report.sent == 0
    assert report.outbox_dir == settings.outbox_dir and "outbox" in report.summary()
    files = sorted(p.name for p in settings.outbox_dir.glob("*.eml"))
    assert files == [f"2026-W49-{a}.eml" for a in (ADA, SAM, VAL)]
    msg = email.message_from_bytes((settings.outbox_dir / files[0]).read_bytes(), policy=policy.default)
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert {d["status"] for d in digest_status(engine)} == {"outbox"}
    with session_scope(engine) as s:
        assert len(s.exec(select(DigestItem).where(DigestItem.recipient == SAM)).all()) == 3
    again = send_digests(engine, settings, now=NOW, secret=SECRET)
    assert again.outbox == 0 and again.skipped == 3


def test_preview_writes_eml_and_html_and_records_nothing(engine, seeded, tmp_path):
    settings = make_settings(tmp_path)
    paths = preview_digests(engine, settings, tmp_path / "preview", now=NOW, secret=SECRET)
    assert sorted(p.name for p in paths) == sorted(f"{a}.{ext}" for a in (ADA, SAM, VAL) for ext in ("eml", "html"))
    msg = email.message_from_bytes((tmp_path / "preview" / f"{ADA}.eml").read_bytes(), policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert "Youth Diversion Fund" in msg.get_body(("plain",)).get_content()
    html = (tmp_path / "preview" / f"{ADA}.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "&lt;script&gt;" in html
    with session_scope(engine) as s:
        assert s.exec(select(Digest)).all() == [] and s.exec(select(DigestItem)).all() == []


def test_outbox_names_other_mail_uniquely(tmp_path):
    from email.message import EmailMessage

    from tracker.digest.transports import OutboxTransport

    box = OutboxTransport(tmp_path / "new" / "outbox")  # created on first use
    paths = set()
    for n in range(2):
        msg = EmailMessage()
        msg["Message-ID"] = f"<reminder.{n}@council.example>"
        msg.set_content("hi")
        paths.add(box.send(msg, SAM))
    assert len(paths) == 2 and all(p.endswith(".eml") for p in paths)


def test_a_pinned_today_dates_the_digest(engine, seeded, tmp_path, monkeypatch):
    """TRACKER_TODAY (a replay, an evaluation) dates the digest as it dates the web pages: the
    days left are counted from the pinned day, not from the machine's clock."""
    settings = make_settings(tmp_path)
    preview_digests(engine, settings, tmp_path / "at-now", now=NOW, secret=SECRET)
    monkeypatch.setenv("TRACKER_TODAY", NOW.date().isoformat())
    preview_digests(engine, settings, tmp_path / "pinned", secret=SECRET)

    def body(folder: str) -> str:
        msg = email.message_from_bytes((tmp_path / folder / f"{ADA}.eml").read_bytes(), policy=policy.default)
        return re.sub(r"https://\S+", "<link>", msg.get_body(("plain",)).get_content())  # tokens differ

    assert "days)" in body("at-now") and body("pinned") == body("at-now")
