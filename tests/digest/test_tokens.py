import re
from datetime import timedelta

import pytest
import time_machine
from itsdangerous import URLSafeTimedSerializer

from tests.digest.conftest import NOW, SECRET
from tracker.db import session_scope
from tracker.digest.tokens import (
    SALT,
    TokenExpired,
    TokenInvalid,
    consume,
    is_used,
    load_secret,
    sign_action,
    sign_preferences,
    verify_action,
    verify_preferences,
)


def test_round_trip_names_user_item_and_action():
    token = verify_action(SECRET, sign_action(SECRET, 7, "match", 42, "not_relevant"))
    assert (token.user_id, token.kind, token.item_id, token.action) == (7, "match", 42, "not_relevant")
    assert token.jti


def test_each_link_has_its_own_id():
    a, b = (verify_action(SECRET, sign_action(SECRET, 1, "bid", 2, "applied")) for _ in range(2))
    assert a.jti != b.jti


def test_tampered_or_wrong_secret_is_invalid():
    token = sign_action(SECRET, 1, "match", 2, "interested")
    with pytest.raises(TokenInvalid):
        verify_action("another-secret", token)
    body, _, rest = token.partition(".")
    with pytest.raises(TokenInvalid):
        verify_action(SECRET, body[:-2] + "xx." + rest)
    with pytest.raises(TokenInvalid):
        verify_action(SECRET, "not-a-token")


def test_expires_after_max_age():
    with time_machine.travel(NOW, tick=False):
        token = sign_action(SECRET, 1, "match", 2, "interested")
    with time_machine.travel(NOW + timedelta(days=13, hours=23), tick=False):
        assert verify_action(SECRET, token).item_id == 2
    with time_machine.travel(NOW + timedelta(days=14, seconds=1), tick=False), pytest.raises(TokenExpired):
        verify_action(SECRET, token)
    with time_machine.travel(NOW + timedelta(days=2), tick=False), pytest.raises(TokenExpired):
        verify_action(SECRET, token, max_age_days=1)


def test_action_must_fit_the_item():
    with pytest.raises(ValueError):
        sign_action(SECRET, 1, "bid", 2, "not_relevant")
    with pytest.raises(ValueError):
        sign_action(SECRET, 1, "match", 2, "delete_everything")


def test_single_use(engine, seeded):
    token = verify_action(SECRET, sign_action(SECRET, 1, "match", 2, "interested"))
    with session_scope(engine) as s:
        assert not is_used(s, token)
        assert consume(s, token) is True
    with session_scope(engine) as s:
        assert is_used(s, token)
        assert consume(s, token) is False


def test_secret_from_env_or_a_private_file(tmp_path, monkeypatch):
    from tests.digest.conftest import make_settings

    settings = make_settings(tmp_path)
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    first = load_secret(settings)
    assert first and load_secret(settings) == first
    assert (settings.data_dir / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("TRACKER_SECRET_KEY", "from-env")
    assert load_secret(settings) == "from-env"


def test_links_are_short_and_every_changed_character_is_refused():
    assert len(sign_action(SECRET, 1234, "match", 98_765, "interested")) == 40  # 77 before
    token = sign_action(SECRET, 123456, "match", 9_876_543, "interested")
    assert len(token) <= 44 and re.fullmatch(r"[A-Za-z0-9_\-]+", token)
    for at in range(len(token)):
        swapped = "B" if token[at] == "A" else "A"
        with pytest.raises(TokenInvalid):
            verify_action(SECRET, token[:at] + swapped + token[at + 1:])
    with pytest.raises(TokenInvalid):
        verify_action(SECRET, token[:-1])
    with pytest.raises(TokenInvalid):
        verify_action(SECRET, token + "A")


def test_an_action_key_is_not_a_preferences_key():
    """The two kinds of link are signed under different keys: neither passes for the other."""
    with pytest.raises(TokenInvalid):
        verify_preferences(SECRET, sign_action(SECRET, 1, "match", 2, "interested"))
    with pytest.raises(TokenInvalid):
        verify_action(SECRET, sign_preferences(SECRET, 1))


def test_links_in_digests_sent_before_the_short_form_still_work():
    with time_machine.travel(NOW, tick=False):
        old = URLSafeTimedSerializer(SECRET, salt=SALT).dumps([7, "m", 42, "n", "Zm9vYmFyYmF6"])
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        token = verify_action(SECRET, old)
    assert (token.user_id, token.kind, token.item_id, token.action) == (7, "match", 42, "not_relevant")
    with time_machine.travel(NOW + timedelta(days=15), tick=False), pytest.raises(TokenExpired):
        verify_action(SECRET, old)


def test_a_link_dated_in_the_future_is_refused():
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        token = sign_action(SECRET, 1, "match", 2, "interested")
    with time_machine.travel(NOW, tick=False), pytest.raises(TokenExpired):
        verify_action(SECRET, token)
