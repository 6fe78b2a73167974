"""A one-click link from a delivered digest, end to end across processes: `tracker digest
send` mails the digest to aiosmtpd on loopback, the link is taken from the message the
server received and followed into a running `tracker serve` (a separate process sharing
the secret: TRACKER_SECRET_KEY, or the key file in the data folder). The first click acts
once; a second click is refused and changes nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from tests.loopback import served_url, start, stop
from tracker.models import Bid, Match, Need, Opportunity, User

TRACKER = str(Path(sys.executable).with_name("tracker"))
LEAD = "lead@council.example"
TITLE = "Youth Diversion Fund 2027/28"


def _config(path: Path, smtp_port: int, base_url: str) -> Path:
    path.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\n'
                    f'from_address = "tracker@council.example"\n\n[digest]\nbase_url = "{base_url}"\n',
                    encoding="utf-8")
    return path


def _seed(engine) -> int:  # noqa: ANN001
    with Session(engine) as s:
        s.add_all([User(email=LEAD, name="Team lead", role="staff", digest=True),
                   Need(id="N1", title="Youth diversion", themes=["youth"])])
        opp = Opportunity(url="https://funder.example/youth", title=TITLE, funder="Fen Valley PCC",
                          deadline=date.today() + timedelta(days=60), themes=["youth"], areas=["England"])
        s.add(opp)
        s.flush()
        match = Match(need_id="N1", opportunity_id=opp.id, score=0.9, rank=1, eligible=True,
                      reasons=["Theme: youth"])
        s.add(match)
        s.commit()
        return match.id


def _link(message, base_url: str) -> str:  # noqa: ANN001
    """The 'interested' action link of the digest, as the recipient's mail client shows it."""
    text = message.get_body(("plain",)).get_content()
    links = re.findall(re.escape(base_url) + r"/actions/[A-Za-z0-9_.\-]+", text)
    assert links, text[:3000]
    labelled = [line for line in text.splitlines() if "/actions/" in line and "nterested" in line]
    return re.search(r"http\S+/actions/[A-Za-z0-9_.\-]+", labelled[0]).group(0) if labelled else links[0]


def _click(base_url: str, link: str) -> httpx.Response:
    """What a person does: open the link (a confirmation page), then press its button."""
    with httpx.Client(timeout=30) as browser:
        page = browser.get(link)
        if page.status_code != 200:
            return page
        form = re.search(r'<form[^>]*action="([^"]+)"', page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert form and csrf, page.text[:2000]
        return browser.post(httpx.URL(link).join(form.group(1)), data={"csrf_token": csrf.group(1)})


@pytest.mark.parametrize("secret", ["environment", "key file"])
def test_digest_link_is_followed_into_the_running_web_app_once(tmp_path, db_url, engine, smtp, secret) -> None:
    match_id = _seed(engine)
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_HOME=str(home), TRACKER_DATABASE_URL=db_url, COLUMNS="200")
    if secret == "environment":
        env["TRACKER_SECRET_KEY"] = "a shared secret for both processes"
    config = _config(tmp_path / "config.toml", smtp.port, "http://127.0.0.1:1")
    web, out = start([TRACKER, "serve", "--port", "0", "--workers", "1", "--config", str(config)], env)
    try:
        base_url = served_url(out)
        _config(config, smtp.port, base_url)  # the public address, as an admin sets it
        sent = subprocess.run([TRACKER, "digest", "send", "--config", str(config)], env=env, capture_output=True,
                              text=True, timeout=120)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        if secret == "key file":
            assert (home / "secret_key").exists()
        [message] = smtp.handler.to(LEAD)
        link = _link(message, base_url)

        first = _click(base_url, link)
        assert first.status_code == 200 and "The bid is now interested" in first.text, first.text[:2000]
        with Session(engine) as s:
            bids = s.exec(select(Bid)).all()
            assert [(b.opportunity_id, b.need_id, b.status) for b in bids] == [
                (s.get(Match, match_id).opportunity_id, "N1", "interested")]
            before = [(b.id, b.status, b.updated_at) for b in bids]

        again = _click(base_url, link)
        assert again.status_code == 409 and "already been used" in again.text
        with httpx.Client(timeout=30) as replay:  # the button pressed again, from a kept page
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', replay.get(base_url + "/login").text).group(1)
            r = replay.post(link, data={"csrf_token": csrf})
            assert r.status_code == 409 and "Nothing was changed" in r.text
        with Session(engine) as s:
            assert [(b.id, b.status, b.updated_at) for b in s.exec(select(Bid))] == before
    finally:
        stop(web)
