"""`tracker serve` says where it serves only once it holds the port, and warns when
`[digest] base_url` (where emails and calendar feeds link) is unset or is not that address."""

import os
import socket
import urllib.request

import pytest

from tests.cli.conftest import TRACKER
from tests.loopback import served_url, start, stop
from tracker.cli.listen import base_url_problem
from tracker.config import load_settings


def _serve(tmp_path, db_url, *args: str):  # noqa: ANN001, ANN202
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_HOME=str(tmp_path / "home"), TRACKER_DATABASE_URL=db_url, COLUMNS="200")
    return start([TRACKER, "serve", "--port", "0", "--workers", "1", *args], env)


@pytest.mark.parametrize("config_text, says", [
    ("", "[digest] base_url is not set: links in emails and calendar feeds use http://127.0.0.1:8000"),
    ('[digest]\nbase_url = "http://127.0.0.1:8000"\n', "is http://127.0.0.1:8000 but this server listens on"),
])
def test_serve_warns_when_base_url_is_not_where_it_serves(tmp_path, db_url, config_text, says) -> None:
    config = tmp_path / "config.toml"
    config.write_text(config_text)
    proc, out = _serve(tmp_path, db_url, "--config", str(config))
    try:
        url = served_url(out)
        warning = out.wait_for(r"^warning: .*base_url", 30)
        assert warning and says in warning.string, out.lines
        assert f"{url}/" in warning.string  # names the address really bound, not port 0
        assert [line for line in out.lines if line.startswith("serving on")] == [f"serving on {url}/"]
        with urllib.request.urlopen(f"{url}/login", timeout=10) as page:
            assert page.status == 200
    finally:
        stop(proc)


def test_serve_on_a_busy_port_is_one_line(run_tracker) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = run_tracker("serve", "--port", str(port), check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert "serving on" not in done.stdout


def test_base_url_problem_only_when_it_misses_this_server(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path))
    config = tmp_path / "config.toml"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        for base, problem in ((f"http://127.0.0.1:{port}/", False), (f"http://localhost:{port}", False),
                              ("https://tracker.council.example", False),  # a reverse proxy's name
                              (f"http://127.0.0.1:{port + 1}", True), (f"http://10.1.2.3:{port}", True)):
            config.write_text(f'[digest]\nbase_url = "{base}"\n')
            assert (base_url_problem(load_settings(str(config)), sock) is not None) is problem, base
