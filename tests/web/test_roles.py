"""Every state-changing route, for every role: anonymous → sign in; a role below the
route's → 403; no CSRF token → 403; the right role → done. Every refusal leaves every
database row as it was and starts no job. A meta-test makes sure no POST route is missing
from this table."""

import re

import pytest
from fastapi.routing import APIRoute

from tests.web.conftest import FakeCrawler, api_token, background_jobs, db_rows

ORDER = ["viewer", "staff", "admin"]
NEED_FORM = {"title": "New need", "area": "Peterborough", "applicant": "local_authority", "themes": "youth"}
# (route path, concrete path, form data, least role)
ROUTES = [
    ("/needs", "/needs", {**NEED_FORM, "id": "N9"}, "staff"),
    ("/needs/{need_id}", "/needs/N1", NEED_FORM, "staff"),
    ("/needs/{need_id}/archive", "/needs/N1/archive", {}, "staff"),
    ("/matches/{match_id}/dismiss", "/matches/{m_youth}/dismiss", {"choice": "no_bid:not_relevant"}, "staff"),
    ("/opportunities/{opp_id}/decisions", "/opportunities/{o_youth}/decisions",
     {"need_id": "N1", "choice": "bid:strong_fit"}, "staff"),
    ("/matches/{match_id}/restore", "/matches/{m_youth}/restore", {}, "staff"),
    ("/matches/{match_id}/interested", "/matches/{m_youth}/interested", {}, "staff"),
    ("/bids/{bid_id}/status", "/bids/{bid}/status", {"status": "preparing"}, "staff"),
    ("/opportunities/{opp_id}/assign", "/opportunities/{o_youth}/assign", {"assignee_id": "{u_staff}"}, "staff"),
    ("/assignments/{assignment_id}/answer", "/assignments/{assignment}/answer", {"action": "look"}, "staff"),
    ("/opportunities/{opp_id}/comments", "/opportunities/{o_youth}/comments", {"body": "@ada have a look"},
     "staff"),
    ("/opportunities/{opp_id}/follow", "/opportunities/{o_youth}/follow", {"follow": "true"}, "viewer"),
    ("/bids/{bid_id}", "/bids/{bid}", {"notes": "call the funder", "amount_requested": "1000"}, "staff"),
    ("/opportunities/{opp_id}/bid", "/opportunities/{o_youth}/bid", {"status": "applied", "need_id": "N1"}, "staff"),
    ("/sources/preview", "/sources/preview", {"name": "new", "kind": "html", "url": "https://f.example/"}, "admin"),
    ("/sources", "/sources", {"name": "new", "kind": "html", "url": "https://f.example/"}, "admin"),
    ("/sources/{source_id}/enabled", "/sources/{source}/enabled", {}, "admin"),
    ("/sources/{source_id}/run", "/sources/{source}/run", {}, "admin"),
    ("/sources/{source_id}", "/sources/{source}", {"name": "renamed", "kind": "html", "url": "https://f.example/"},
     "admin"),
    ("/sources/{source_id}/remove", "/sources/{source}/remove", {}, "admin"),
    ("/sources/{source_id}/test", "/sources/{source}/test", {}, "admin"),
    ("/sources/{source_id}/link-pattern", "/sources/{source}/link-pattern", {"link_pattern": "/funding/[^/]+$"},
     "admin"),
    ("/users/{user_id}/active", "/users/{u_viewer}/active", {"active": "false"}, "admin"),
    ("/users", "/users", {"email": "new@council.example", "role": "viewer", "password": "long enough pw"},
     "admin"),
    ("/users/{user_id}", "/users/{u_viewer}", {"role": "viewer", "active": "true", "digest": "true"}, "admin"),
    ("/schedules/{job_id}", "/schedules/digest:weekly", {"paused": "true", "schedule": "0 9 * * mon"}, "admin"),
    ("/schedules/{job_id}/run", "/schedules/digest:weekly/run", {}, "admin"),
    ("/account/tokens", "/account/tokens", {"name": "laptop"}, "viewer"),
    ("/account/calendar", "/account/calendar", {}, "viewer"),
    ("/account/digest", "/account/digest", {"frequency": "daily"}, "viewer"),
    ("/account/name", "/account/name", {"name": "Val Viewer"}, "viewer"),
    ("/logout", "/logout", {}, "viewer"),
    ("/opportunities/{opp_id}/funder-link", "/opportunities/{o_youth}/funder-link", {"action": "none"}, "admin"),
    ("/needs/{need_id}/partners", "/needs/N1/partners", {"org_id": "GB-CHC-1"}, "staff"),
    ("/needs/{need_id}/partners/remove", "/needs/N1/partners/remove", {"org_id": "GB-CHC-1"}, "staff"),
]
# Routes with their own authentication, tested elsewhere.
OWN_AUTH = {"/login", "/actions/{token}", "/api/bids/{bid_id}/status", "/account/tokens/{token_id}/revoke",
            "/email/preferences/{token}", "/email/unsubscribe/{token}"}  # signed links: test_digest_preferences


def _path(template: str, seeded: dict) -> str:
    values = {"bid": seeded["bid"], "source": seeded["source"], "assignment": seeded["assignment"]}
    values |= {f"m_{k}": v for k, v in seeded["matches"].items()}
    values |= {f"o_{k}": v for k, v in seeded["opps"].items()}
    values |= {f"u_{k}": v for k, v in seeded["users"].items()}
    return template.format(**values)


def _routes(routes):  # noqa: ANN001, ANN202 - FastAPI nests included routers
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def test_every_post_route_is_in_the_table(app):
    posts = {r.path for r in _routes(app.routes)
             if isinstance(r, APIRoute) and {"POST", "PUT", "PATCH", "DELETE"} & r.methods}
    assert "/needs" in posts and "/api/bids/{bid_id}/status" in posts
    assert posts - OWN_AUTH == {r[0] for r in ROUTES}


@pytest.mark.parametrize(("route", "path", "data", "least"), ROUTES, ids=[r[0] for r in ROUTES])
def test_roles_and_csrf(as_role, seeded, engine, route, path, data, least, crawler: FakeCrawler):
    path = _path(path, seeded)
    data = {key: _path(value, seeded) for key, value in data.items()}
    anon = as_role(None)
    clients = {role: as_role(role) for role in ORDER}  # signed in before the snapshot
    before = db_rows(engine)
    r = anon.post_form(path, data)
    assert r.status_code == 303 and r.headers["location"].startswith("/login"), r.text
    for role in ORDER[: ORDER.index(least)]:
        r = clients[role].post_form(path, data)
        assert r.status_code == 403, (role, r.status_code)
        assert "Your role does not allow this" in r.text
    client = clients[least]
    r = client.post(path, data=data, follow_redirects=False)  # no CSRF token
    assert r.status_code == 403 and "form has expired" in r.text
    r = client.post(path, data={**data, "csrf_token": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    assert db_rows(engine) == before, "a refused request changed the database"
    assert background_jobs() == [] and crawler.calls == [], "a refused request started work"
    r = client.post_form(path, data)
    assert r.status_code in (200, 303), (r.status_code, r.text[:2000])


def test_viewer_cannot_add_a_source(as_role, engine):
    from sqlmodel import select

    from tracker.db import session_scope
    from tracker.models import Source

    r = as_role("viewer").post_form("/sources", {"name": "x", "kind": "html", "url": "https://f.example/"})
    assert r.status_code == 403
    r = as_role("staff").post_form("/sources", {"name": "x", "kind": "html", "url": "https://f.example/"})
    assert r.status_code == 403
    with session_scope(engine) as s:
        assert s.exec(select(Source).where(Source.name == "x")).first() is None


@pytest.mark.parametrize("path", ["/sources", "/sources/new", "/users", "/schedules", "/digests", "/funders"])
def test_admin_pages_refuse_staff_and_viewers(as_role, path):
    for role in ("viewer", "staff"):
        assert as_role(role).get(path).status_code == 403
    assert as_role("admin").get(path).status_code == 200


@pytest.mark.parametrize("path", ["/needs/new", "/needs/N1/edit"])
def test_staff_forms_refuse_viewers(as_role, path):
    assert as_role("viewer").get(path).status_code == 403
    assert as_role("staff").get(path).status_code == 200


def test_refused_api_calls_change_nothing(as_role, seeded, engine):
    staff, viewer = as_role("staff"), as_role("viewer")
    viewer_token = api_token(viewer)
    api_token(staff)
    staff_token_id = re.search(r"/account/tokens/(\d+)/revoke", staff.get("/account").text).group(1)
    before = db_rows(engine)
    move = f"/api/bids/{seeded['bid']}/status"
    anon = as_role(None)
    assert anon.post(move, json={"status": "applied"}).status_code == 401  # no token
    assert anon.post(move, json={"status": "applied"}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert staff.post(move, json={"status": "applied"}).status_code == 401  # a session cookie is not a token
    r = anon.post(move, json={"status": "applied"}, headers={"Authorization": f"Bearer {viewer_token}"})
    assert r.status_code == 403  # viewers read only
    assert viewer.post_form(f"/account/tokens/{staff_token_id}/revoke").status_code == 404  # not theirs
    assert db_rows(engine) == before, "a refused request changed the database"

