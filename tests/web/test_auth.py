from sqlmodel import select

from tests.web.conftest import ADA, PASSWORD, VAL, csrf_of, login
from tracker.db import session_scope
from tracker.models import User


def test_pages_need_sign_in(as_role):
    client = as_role(None)
    for path in ("/", "/opportunities", "/needs", "/bids", "/sources", "/users", "/schedules", "/account"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path


def test_login_sets_hardened_cookie_and_logout_ends_every_copy(app, engine):
    client = login(app, VAL)
    cookie = client.cookies.get("tracker_session")
    r = client.get("/")
    assert r.status_code == 200 and VAL in r.text
    set_cookie = client.post("/login", data={"email": VAL, "password": PASSWORD, "csrf_token": client.csrf},
                             follow_redirects=False).headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie
    client = login(app, VAL)
    cookie = client.cookies.get("tracker_session")
    stolen = type(client)(app)
    stolen.cookies.set("tracker_session", cookie)
    assert stolen.get("/", follow_redirects=False).status_code == 200
    assert client.post_form("/logout").status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303
    assert stolen.get("/", follow_redirects=False).status_code == 303  # the copied cookie is dead too
    with session_scope(engine) as s:
        assert s.exec(select(User).where(User.email == VAL)).one().session_epoch == 1


def test_wrong_password_is_refused(as_role, app):
    client = as_role(None)
    r = client.post("/login", data={"email": ADA, "password": "wrong password!", "csrf_token": client.csrf})
    assert r.status_code == 401 and "Enter a correct email address and password" in r.text
    r = client.post("/login", data={"email": "nobody@council.example", "password": "x", "csrf_token": client.csrf})
    assert r.status_code == 401


def test_login_is_rate_limited_per_email_and_address(as_role):
    client = as_role(None)
    for _ in range(5):
        r = client.post("/login", data={"email": ADA, "password": "guess guess", "csrf_token": client.csrf})
        assert r.status_code == 401
    r = client.post("/login", data={"email": ADA, "password": PASSWORD, "csrf_token": client.csrf})
    assert r.status_code == 429 and "Too many failed attempts" in r.text
    r = client.post("/login", data={"email": VAL, "password": PASSWORD, "csrf_token": client.csrf},
                    follow_redirects=False)
    assert r.status_code == 303  # another account is not locked


def test_login_without_csrf_is_refused(as_role):
    client = as_role(None)
    r = client.post("/login", data={"email": ADA, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403


def test_next_is_local_only(app):
    client = type(login(app, None))(app)
    token = csrf_of(client)
    r = client.post("/login", data={"email": ADA, "password": PASSWORD, "csrf_token": token,
                                    "next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_deactivated_user_is_signed_out(app, engine):
    client = login(app, VAL)
    with session_scope(engine) as s:
        s.exec(select(User).where(User.email == VAL)).one().active = False
    assert client.get("/", follow_redirects=False).status_code == 303
