"""The whole main job through the CLI on the bundled demo: crawl → store → match → digest,
then export; on SQLite and on PostgreSQL."""

import email
import json
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = json.loads((ROOT / "tracker" / "demo" / "expected.json").read_text())


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_demo_runs_the_main_job_end_to_end(run_tracker) -> None:
    done = run_tracker("demo")
    assert "calls found: 23" in done.stdout
    assert "digest written to" in done.stdout

    outbox = run_tracker.home / "outbox"
    emls = sorted(outbox.glob("*.eml"))
    assert len(emls) == 1
    msg = email.message_from_bytes(emls[0].read_bytes(), policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Youth Diversion Fund" in text and "Youth Diversion Fund" in html
    # the call with HTML specials in its title is shown as text, never as markup
    assert "<Pilot>" not in html
    assert "&lt;Pilot&gt;" in html or "Night Owl" not in html

    exported = json.loads(run_tracker("opportunities", "export", "--format", "json").stdout)
    by_path = {_path(o["url"]): o for o in exported}
    for want in EXPECTED["opportunities"]:
        got = by_path.get(want["url"])
        assert got is not None, f"demo call not found: {want['url']}"
        for field in ("deadline", "amount_min", "amount_max", "status"):
            assert got[field] == want[field], (want["url"], field, got[field], want[field])
    non_calls = {u["url"] if isinstance(u, dict) else u for u in EXPECTED["non_calls"]}
    assert not non_calls & set(by_path)

    matches = json.loads(run_tracker("matches", "list", "--format", "json").stdout)
    eligible = {m["need_id"] for m in matches if m["eligible"]}
    assert eligible == {"D1", "D2", "D3", "D4"}
    for m in matches:
        assert {"need_id", "url", "score", "rank", "eligible", "reasons"} <= set(m)
        if m["eligible"]:
            assert m["reasons"], m

    # A second run finds the same calls unchanged and sends nothing new.
    again = run_tracker("demo")
    assert "calls found: 23" in again.stdout
    assert len(list(outbox.glob("*.eml"))) == 1


def test_export_contract_fields_in_json_and_csv(run_tracker) -> None:
    run_tracker("demo")
    rows = json.loads(run_tracker("opportunities", "export", "--format", "json").stdout)
    fields = ["url", "title", "funder", "source", "deadline", "deadline_time", "rolling", "opens", "amount_min",
              "amount_max", "total_pot", "currency", "status", "eligible_org_types", "excluded_org_types", "areas",
              "themes", "first_seen", "last_seen", "duplicate_of"]
    assert all(list(r) == fields for r in rows)
    csv_text = run_tracker("opportunities", "export", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == ",".join(fields)
    assert len(csv_text.strip().splitlines()) == len(rows) + 1
