"""The funder's record on a call page (figures from the real Power to Change file, checked
against values computed here from the raw file), the grants list it links to, the admin's
confirm or fix of the link (staff and viewers refused), and a need's shortlist of partners."""

from __future__ import annotations

import re
import statistics
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlmodel import select

from tests.funders.grants import local_grants
from tests.funders.loader import load
from tests.web.conftest import TODAY
from tracker.db import session_scope
from tracker.format import long_date, money
from tracker.grants.stats import area_codes
from tracker.models import FunderLink, Match, NeedPartner, Opportunity

PTC = "Power to Change Trust"


def _text(html: str) -> str:
    return re.sub(r"\s+([,.;])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


@pytest.fixture
def ptc_call(engine, seeded) -> dict:
    """The real Power to Change grants, and a call by "Power to Change" matching need N1
    (Peterborough) whose page prints the trust's charity number."""
    with session_scope(engine) as s:
        grants = load(s, "power-to-change-grants.json", PTC)
        opp = Opportunity(url="https://f.example/ptc", title="Community Business Fund", funder="Power to Change",
                          deadline=TODAY + timedelta(days=30), areas=["England"],
                          body="Power to Change Trust is a registered charity (number 1159982).")
        s.add(opp)
        s.flush()
        s.add(Match(need_id="N1", opportunity_id=opp.id, score=50, rank=3, eligible=True, reasons=["themes youth"]))
        return {"id": opp.id, "grants": grants}


def _figures(grants: list[dict], place: str | None) -> dict:
    codes = area_codes(place) if place else None
    here = [g for g in grants if codes is None or g.get("recipientDistrictGeoCode") in codes
            or codes & {b.get("geoCode") for b in g.get("beneficiaryLocation", [])}]
    amounts = sorted(round(g["amountAwarded"]) for g in here)
    latest = max(here, key=lambda g: (g["awardDate"], g["id"]))
    # pounds, halves rounded up (as the page writes money)
    median = int(Decimal(str(statistics.median(amounts))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {"n": len(here), "median": median, "min": amounts[0], "max": amounts[-1],
            "latest": latest}


def test_call_page_shows_the_funders_record_here_and_nationally(as_role, ptc_call) -> None:
    page = as_role("viewer").get(f"/opportunities/{ptc_call['id']}")
    assert page.status_code == 200
    text = _text(page.text)
    local, national = _figures(ptc_call["grants"], "Peterborough"), _figures(ptc_call["grants"], None)
    assert local["n"] == 2 and national["n"] == 870
    assert "Linked to Power to Change Trust GB-CHC-1159982" in text
    assert "by the charity number on its pages" in text
    assert (f"In Peterborough {local['n']} grants, median {money(local['median'])}, "
            f"range {money(local['min'])} to {money(local['max'])}") in text
    latest = local["latest"]
    assert (f"Latest: {money(round(latest['amountAwarded']))} to {latest['recipientOrganization'][0]['name']}, "
            f"{long_date(latest['awardDate'][:10])}") in text
    assert (f"Nationally {national['n']} grants, median {money(national['median'])}, "
            f"range {money(national['min'])} to {money(national['max'])}") in text
    assert "Data: Power to Change Trust, 360Giving, CC BY 4.0" in text
    assert 'href="/funders/GB-CHC-1159982/grants?area=Peterborough"' in page.text
    # the need asks up to its amount_max; the largest grant here is far less
    assert "Who could lead the bid with us" in text


def test_no_link_is_said_briefly(as_role, seeded, ptc_call) -> None:
    page = as_role("viewer").get(f"/opportunities/{seeded['opps']['youth']}")  # Home Office: no 360Giving data
    assert "No 360Giving grant data is linked to Home Office." in _text(page.text)
    assert "funder-figures" not in page.text


def test_grants_list_is_paged_and_credited(as_role, ptc_call) -> None:
    viewer = as_role("viewer")
    local = viewer.get("/funders/GB-CHC-1159982/grants?area=Peterborough")
    text = _text(local.text)
    assert "Grants by Power to Change Trust in Peterborough" in text and "2 grants" in text
    assert text.count("Peterborough") >= 2 and "Data: Power to Change Trust, 360Giving, CC BY 4.0" in text
    first = viewer.get("/funders/GB-CHC-1159982/grants")
    assert "870 grants" in _text(first.text) and "Page 1 of 35" in _text(first.text)
    rows = re.findall(r'<td data-label="Awarded">([^<]+)</td>', first.text)
    assert len(rows) == 25
    newest = max(g["awardDate"][:10] for g in ptc_call["grants"])
    assert rows[0] == long_date(newest)
    last = viewer.get("/funders/GB-CHC-1159982/grants?page=35")
    assert len(re.findall(r'data-label="Awarded"', last.text)) == 870 - 34 * 25
    assert viewer.get("/funders/GB-NOPE/grants").status_code == 404


def test_admin_confirms_or_fixes_the_link_and_others_are_refused(as_role, engine, ptc_call) -> None:
    path = f"/opportunities/{ptc_call['id']}/funder-link"
    for role in ("viewer", "staff"):
        assert as_role(role).post_form(path, {"action": "none"}).status_code == 403
    with session_scope(engine) as s:
        assert s.get(FunderLink, "power to change") is None
    admin = as_role("admin")
    assert "Confirm or fix this link" in admin.get(f"/opportunities/{ptc_call['id']}").text
    assert "Confirm or fix this link" not in as_role("staff").get(f"/opportunities/{ptc_call['id']}").text
    assert admin.post_form(path, {"action": "confirm"}).status_code == 303
    with session_scope(engine) as s:
        row = s.get(FunderLink, "power to change")
        assert (row.org_id, row.confirmed, row.confirmed_by) == ("GB-CHC-1159982", True, "ada@council.example")
    r = admin.post_form(path, {"action": "set", "org_id": "GB-CHC-000"})
    assert r.status_code == 303
    assert "no imported 360Giving funder has the org id" in admin.get(r.headers["location"]).text
    admin.post_form(path, {"action": "none"})
    page = _text(admin.get(f"/opportunities/{ptc_call['id']}").text)
    assert "Power to Change publishes no 360Giving data (confirmed by ada@council.example)" in page
    admin.post_form(path, {"action": "set", "org_id": "GB-CHC-1159982"})
    assert "confirmed by ada@council.example" in _text(admin.get(f"/opportunities/{ptc_call['id']}").text)
    listing = _text(admin.get("/funders").text)
    assert "Power to Change Power to Change Trust GB-CHC-1159982 confirmed" in listing


def test_partners_page_and_shortlist_by_role(as_role, engine, seeded) -> None:
    with session_scope(engine) as s:
        s.add_all(local_grants())
    viewer, staff = as_role("viewer"), as_role("staff")
    page = viewer.get("/needs/N1/partners")
    names = re.findall(r'<a href="/recipients/[^"]+">([^<]+)</a>', page.text)
    assert names[:2] == ["Peterborough Youth Trust", "Fenland Youth Outreach"]
    assert "Add to shortlist" not in page.text  # viewers see, staff add
    assert viewer.post_form("/needs/N1/partners", {"org_id": "GB-CHC-1111111"}).status_code == 403
    assert "Add to shortlist" in staff.get("/needs/N1/partners").text
    assert staff.post_form("/needs/N1/partners", {"org_id": "GB-CHC-1111111"}).status_code == 303
    need_page = viewer.get("/needs/N1")
    assert re.search(r'id="shortlist">\s*<li><a href="/recipients/GB-CHC-1111111">Peterborough Youth Trust</a>',
                     need_page.text)
    assert "Remove</button>" not in need_page.text
    record = _text(viewer.get("/recipients/GB-CHC-1111111").text)
    assert "Grants to Peterborough Youth Trust" in record and "Charity number 1111111" in record
    assert "Detached youth work" in record and "Youth club evenings" in record
    assert viewer.post_form("/needs/N1/partners/remove", {"org_id": "GB-CHC-1111111"}).status_code == 403
    assert staff.post_form("/needs/N1/partners/remove", {"org_id": "GB-CHC-1111111"}).status_code == 303
    with session_scope(engine) as s:
        assert s.exec(select(NeedPartner)).all() == []
