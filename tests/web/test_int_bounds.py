"""Numbers from a URL or a form that no database column can hold (10**30, -1) get the
plain 404/422 page (JSON under /api/), never a 500: every route with an integer, found
by walking the app's routers, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute

import tracker.web
from tracker.bounds import INT_MAX

OUT_OF_RANGE = (10**30, INT_MAX + 1, -1)  # too big for SQLite, too big for PostgreSQL, negative
LIST_PARAMS = ("page", "per_page", "min_amount", "max_amount")


def _routes() -> Iterator[APIRoute]:
    for info in pkgutil.iter_modules(tracker.web.__path__):
        module = importlib.import_module(f"tracker.web.{info.name}")
        for router in (getattr(module, "router", None), getattr(module, "docs_router", None)):
            for route in getattr(router, "routes", []):
                if isinstance(route, APIRoute):
                    yield route


def _is_int(param) -> bool:  # noqa: ANN001
    """int, int | None, or an Annotated int (before and after the bounded type)."""
    return re.search(r"\bint\b", str(param.field_info.annotation)) is not None


def _int_path_routes() -> list[tuple[str, str, str]]:
    found = []
    for route in _routes():
        for param in route.dependant.path_params:
            if _is_int(param):
                found += [(method, route.path, param.name) for method in sorted(route.methods)]
    return found


PATH_ROUTES = _int_path_routes()
API_QUERY = [(route.path, p.name) for route in _routes() for p in route.dependant.query_params if _is_int(p)]


def test_the_walk_finds_the_routes() -> None:
    paths = {path for _, path, _ in PATH_ROUTES}
    assert {"/opportunities/{opp_id}", "/bids/{bid_id}", "/api/opportunities/{opp_id}", "/users/{user_id}",
            "/sources/{source_id}", "/matches/{match_id}/dismiss", "/account/tokens/{token_id}/revoke"} <= paths
    assert {("/api/opportunities", name) for name in LIST_PARAMS} <= set(API_QUERY)


@pytest.fixture
def admin(as_role):  # noqa: ANN201
    client = as_role("admin")
    client.post_form("/account/tokens", {"name": "bounds"})
    client.headers["Authorization"] = "Bearer " + re.search(r'id="new-token">([^<]+)<',
                                                             client.get("/account").text).group(1)
    return client


def _assert_plain_error(r, *statuses: int) -> None:  # noqa: ANN001
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    if r.request.url.path.startswith("/api/"):
        assert isinstance(r.json()["detail"], str | list)
    else:
        assert "Page not found" in r.text or "Check your answers" in r.text
        assert "Traceback" not in r.text


@pytest.mark.parametrize("value", [10**30, -1])
@pytest.mark.parametrize("method, path, name", PATH_ROUTES, ids=[f"{m} {p}" for m, p, _ in PATH_ROUTES])
def test_every_integer_in_a_path(admin, method, path, name, value) -> None:
    url = path.replace("{" + name + "}", str(value))
    if method == "GET":
        r = admin.get(url)
    elif url.startswith("/api/"):
        r = admin.post(url, json={"status": "applied"})
    else:
        r = admin.post_form(url, {"status": "applied"})
    _assert_plain_error(r, 404, 422)


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("path, name", API_QUERY)
def test_every_integer_in_an_api_query(admin, path, name, value) -> None:
    _assert_plain_error(admin.get(f"{path}?{name}={value}"), 422)


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("name", LIST_PARAMS)
@pytest.mark.parametrize("path", ["/opportunities", "/opportunities.csv"])
def test_list_and_csv_ignore_unusable_numbers(admin, path, name, value) -> None:
    """The list page reads its filters leniently (like page=abc): an impossible number is
    ignored, so the page still shows every call."""
    r = admin.get(f"{path}?{name}={value}")
    assert r.status_code == 200
    assert r.text == admin.get(path).text


def test_the_largest_page_is_just_empty(admin) -> None:
    assert admin.get(f"/api/opportunities?page={INT_MAX}&per_page=100").json()["items"] == []
    assert admin.get(f"/opportunities?page={INT_MAX}&per_page=100").status_code == 200


@pytest.mark.parametrize("value", [str(10**30), str(INT_MAX + 1)])
@pytest.mark.parametrize("field", ["owner_id", "amount_requested", "amount_awarded"])
def test_bid_form_numbers(admin, seeded, field, value) -> None:
    r = admin.post_form(f"/bids/{seeded['bid']}", {field: value})
    _assert_plain_error(r, 422)
    assert value not in admin.get(f"/bids/{seeded['bid']}").text


@pytest.mark.parametrize("field", ["amount_min", "amount_max"])
def test_need_form_amounts(admin, field) -> None:
    r = admin.post_form("/needs", {"id": "big", "title": "Big", "area": "Peterborough",
                                   "applicant": "local_authority", field: str(10**30)})
    assert r.status_code == 422 and field in r.text
    assert admin.get("/needs/big").status_code == 404
