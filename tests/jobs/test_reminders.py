"""Deadline reminders: bids still open for work get one email per threshold (7, 3, 1
days) to the bid's owner, delivered through a real SMTP server on loopback."""

import email
from datetime import date, timedelta
from email import policy

import pytest
from sqlmodel import Session

from tests.loopback import LoopbackSMTP
from tracker.models import Bid, Need, Opportunity, User
from tracker.reminders import send_reminders, threshold_for

TODAY = date(2027, 3, 1)


class Collect:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    handler = Collect()
    controller = LoopbackSMTP(handler)
    controller.start()
    yield controller.port, handler
    controller.stop()


def test_thresholds() -> None:
    assert [threshold_for(d) for d in (8, 7, 5, 3, 2, 1, 0, -1)] == [None, 7, 7, 3, 3, 1, 1, None]


def test_each_threshold_is_sent_once_to_the_owner(settings, engine, smtp) -> None:
    port, handler = smtp
    settings.smtp.host, settings.smtp.port, settings.smtp.security = "127.0.0.1", port, "none"
    with Session(engine) as s:
        sam = User(email="sam@council.example", name="Sam", role="staff")
        val = User(email="val@council.example", role="viewer")
        s.add_all([sam, val])
        s.flush()
        calls = {}
        for key, days in {"seven": 7, "two": 2, "far": 30, "applied": 3}.items():
            opp = Opportunity(url=f"https://f.example/{key}", title=f"Fund <{key}>", deadline=TODAY + timedelta(days))
            s.add(opp)
            s.flush()
            calls[key] = opp
        s.add(Bid(opportunity_id=calls["seven"].id, owner_id=sam.id, status="interested"))
        s.add(Bid(opportunity_id=calls["two"].id, owner_id=sam.id, status="preparing"))
        s.add(Bid(opportunity_id=calls["far"].id, owner_id=sam.id, status="interested"))
        s.add(Bid(opportunity_id=calls["applied"].id, owner_id=val.id, status="applied"))
        s.commit()
    sent = send_reminders(engine, settings, TODAY)
    assert len(sent) == 2 and len(handler.messages) == 2
    subjects = sorted(m["Subject"] for _, m in handler.messages)
    assert subjects == ["2 days left: Fund <two>", "7 days left: Fund <seven>"]
    for rcpts, msg in handler.messages:
        assert rcpts == ["sam@council.example"]
        assert "&lt;" in msg.get_body(("html",)).get_content()  # scraped titles are escaped in HTML
    assert send_reminders(engine, settings, TODAY) == []  # same day again: nothing new
    assert send_reminders(engine, settings, TODAY + timedelta(days=4)) == ["sam@council.example: Fund <seven> (3 days)"]
    assert len(handler.messages) == 3


def test_a_start_by_reminder_then_the_deadline_ones(settings, engine, smtp) -> None:
    port, handler = smtp
    settings.smtp.host, settings.smtp.port, settings.smtp.security = "127.0.0.1", port, "none"
    settings.planning.signoff_working_days = 5
    with Session(engine) as s:
        sam = User(email="sam@council.example", name="Sam", role="staff")
        need = Need(id="N1", title="Youth diversion", prep_days=10)
        opp = Opportunity(url="https://f.example/easter", title="Fund <easter>", funder="Trust",
                          deadline=date(2027, 4, 16))
        s.add_all([sam, need, opp])
        s.flush()
        s.add(Bid(opportunity_id=opp.id, owner_id=sam.id, need_id="N1", status="interested"))
        s.commit()
    # 15 working days before Friday 16 April 2027, over Easter and the clock change: 24 March
    assert send_reminders(engine, settings, date(2027, 3, 23)) == []
    started = send_reminders(engine, settings, date(2027, 3, 24))
    assert started == ["sam@council.example: Fund <easter> (start by 2027-03-24)"]
    assert send_reminders(engine, settings, date(2027, 3, 25)) == []  # once
    assert send_reminders(engine, settings, date(2027, 4, 9)) == ["sam@council.example: Fund <easter> (7 days)"]
    subjects = [m["Subject"] for _, m in handler.messages]
    assert subjects == ["Start bid: Fund <easter>", "7 days left: Fund <easter>"]
    start = handler.messages[0][1]
    assert "work should start by 24 March 2027" in start.get_body(("plain",)).get_content()
    html = start.get_body(("html",)).get_content()
    assert "Fund &lt;easter&gt;" in html and "10 working days to prepare and 5 for sign-off" in html


def test_a_bid_started_after_its_start_by_date_gets_the_start_reminder_once(settings, engine, smtp) -> None:
    port, handler = smtp
    settings.smtp.host, settings.smtp.port, settings.smtp.security = "127.0.0.1", port, "none"
    with Session(engine) as s:  # no need: only the default 15 sign-off days; 20 days left is tight
        sam = User(email="sam@council.example", role="staff")
        opp = Opportunity(url="https://f.example/tight", title="Tight fund", deadline=TODAY + timedelta(days=20))
        s.add_all([sam, opp])
        s.flush()
        s.add(Bid(opportunity_id=opp.id, owner_id=sam.id, status="preparing"))
        s.commit()
    assert len(send_reminders(engine, settings, TODAY)) == 1
    assert send_reminders(engine, settings, TODAY + timedelta(days=1)) == []
    assert handler.messages[0][1]["Subject"] == "Start bid: Tight fund"
