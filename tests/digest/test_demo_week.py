"""The demo week's digest (23 matches of 12 calls for 4 needs) is small and says it all."""

from __future__ import annotations

import re

from tests.digest.demo_week import demo_digest

KIB = 1024


def test_demo_week_digest_is_under_40_kib_with_each_call_once(tmp_path):
    raw, msg = demo_digest(tmp_path)
    assert len(raw) < 40 * KIB, f"the demo week's digest is {len(raw) / KIB:.1f} KiB"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert re.search(r"^\d+ new for you, \d+ closing in the next 14 days, \d+ of your bids due$", text, re.M)
    titles = re.findall(r"^\d+\. (.+)$", text, re.M)
    assert titles and len(titles) == len(set(titles))  # each call once
    assert "Youth Diversion Fund 2027/28" in titles
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and "/email/unsubscribe/" in msg[
        "List-Unsubscribe"]
    # fluid: no fixed pixel widths; the main table is 100% wide up to 640 px
    assert not re.search(r'width="\d+"', html) and re.search(r"max-width: ?640px", html)
    assert "<style" not in html and "@media" not in html
