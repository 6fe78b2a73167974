"""`tracker funders link` and `tracker partners suggest`: their JSON contracts and errors,
on the real Power to Change file imported by `tracker funders import`."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session

from tests.funders.grants import local_grants
from tests.funders.loader import SHARED
from tracker.db import make_engine
from tracker.models import Need, Opportunity


def _add(db_url: str, *rows) -> None:  # noqa: ANN002
    engine = make_engine(db_url)
    with Session(engine) as s:
        s.add_all(rows)
        s.commit()
    engine.dispose()


def test_funders_link_confirm_clear_and_errors(run_tracker, db_url) -> None:
    run_tracker("funders", "import", str(SHARED / "power-to-change-grants.json"))
    guessed = json.loads(run_tracker("funders", "link", "Power to Change", "--format", "json").stdout)
    assert guessed["org_id"] == "GB-CHC-1159982" and guessed["method"] == "name" and not guessed["confirmed"]
    assert 0.6 <= guessed["confidence"] < 1
    linked = json.loads(run_tracker("funders", "link", "Power to Change", "GB-CHC-1159982", "--format", "json").stdout)
    assert {k: linked[k] for k in ("org_id", "org_name", "method", "confidence", "confirmed", "confirmed_by")} == {
        "org_id": "GB-CHC-1159982", "org_name": "Power to Change Trust", "method": "admin", "confidence": 1.0,
        "confirmed": True, "confirmed_by": "cli"}
    assert "power to change -> GB-CHC-1159982 Power to Change Trust (confirmed)" in run_tracker(
        "funders", "link", "power to change").stdout
    cleared = json.loads(run_tracker("funders", "link", "Power to Change", "--clear", "--format", "json").stdout)
    assert cleared["org_id"] is None and cleared["confirmed"] is True
    assert "confirmed: no 360Giving data" in run_tracker("funders", "link", "Power to Change").stdout
    again = json.loads(run_tracker("funders", "link", "Power to Change", "--auto", "--format", "json").stdout)
    assert again["org_id"] == "GB-CHC-1159982" and again["confirmed"] is False
    bad = run_tracker("funders", "link", "Power to Change", "GB-CHC-42", check=False)
    assert bad.returncode == 2 and "no imported 360Giving funder has the org id 'GB-CHC-42'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    both = run_tracker("funders", "link", "Power to Change", "GB-CHC-1159982", "--clear", check=False)
    assert both.returncode == 2 and "one of ORG_ID, --clear or --auto" in both.stderr


def test_partners_suggest_json_contract(run_tracker, db_url) -> None:
    run_tracker("db", "upgrade")
    _add(db_url, *local_grants(), Need(id="N1", title="Youth diversion", themes=["youth", "serious_violence"],
                                       area="Peterborough"),
         Opportunity(url="https://f.example/da", title="Domestic abuse support", themes=["domestic_abuse"]))
    rows = json.loads(run_tracker("partners", "suggest", "--need", "N1", "--format", "json").stdout)
    assert [r["name"] for r in rows] == ["Peterborough Youth Trust", "Fenland Youth Outreach", "Millfield Mentors"]
    first = rows[0]
    assert {"name", "org_id", "grants", "themes", "latest_award"} <= set(first)
    assert (first["org_id"], first["grants"], first["themes"]) == ("GB-CHC-1111111", 2, ["youth", "serious_violence"])
    assert first["latest_award"]["date"] == date(2025, 5, 1).isoformat()
    assert first["latest_award"]["amount"] == 20000 and first["latest_award"]["funder"].startswith("Lloyds")
    with_call = json.loads(run_tracker("partners", "suggest", "--need", "N1", "--call", "https://f.example/da",
                                       "--format", "json").stdout)
    assert "Safe Homes Peterborough" in [r["name"] for r in with_call]  # the call's theme counts too
    text = run_tracker("partners", "suggest", "--need", "N1").stdout
    assert "Peterborough Youth Trust (GB-CHC-1111111): 2 grant(s); youth, serious_violence" in text
    missing = run_tracker("partners", "suggest", "--need", "N9", check=False)
    assert missing.returncode == 2 and "--need: no need has the id 'N9'" in missing.stderr
    nocall = run_tracker("partners", "suggest", "--need", "N1", "--call", "https://f.example/none", check=False)
    assert nocall.returncode == 2 and "--call: no stored call has the address" in nocall.stderr
