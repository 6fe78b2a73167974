"""What `tracker serve` and `tracker run` share: bind the port before saying where, and warn
when `[digest] base_url` (the address emails and calendar feeds link to) is not that place."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from tracker.cli.common import err_console, fail, styled
from tracker.config import Settings

_LOCAL_NAMES = {"localhost", "localhost.localdomain"}
_WILDCARDS = {"0.0.0.0", "::", ""}


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: one the kernel picks). Bound here, not by uvicorn,
    so a busy port is a one-line error and the address reported is the one really held."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)  # connections wait in the backlog until the workers accept them
    except OSError as exc:
        sock.close()
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    sock.set_inheritable(True)  # uvicorn's worker processes receive it
    return sock


def served_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _is_local(host: str) -> bool:
    if host in _LOCAL_NAMES:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def base_url_problem(settings: Settings, sock: socket.socket) -> str | None:
    """Why links in emails and calendar feeds would miss this server, or None.

    A base_url on a public name is taken as the reverse proxy's address and never questioned;
    one on an address or localhost must be the address and port served here."""
    base = settings.digest.base_url
    served = served_url(sock)
    if "base_url" not in settings.digest.model_fields_set:
        return (f"[digest] base_url is not set: links in emails and calendar feeds use {base}; "
                f"set it to the address people open (this server listens on {served}/)")
    parts = urlsplit(base)
    base_host = (parts.hostname or "").lower()
    if not _is_local(base_host):
        return None
    base_port = parts.port or (443 if parts.scheme == "https" else 80)
    host, port = sock.getsockname()[:2]
    same_host = host in _WILDCARDS or base_host == host or (
        base_host in _LOCAL_NAMES and ipaddress.ip_address(host).is_loopback)
    if base_port == port and same_host:
        return None
    where = f" in {settings.config_path}" if settings.config_path else ""
    return (f"[digest] base_url{where} is {base} but this server listens on {served}/: "
            "links in emails and calendar feeds will not reach it")


def warn_base_url(settings: Settings, sock: socket.socket) -> None:
    problem = base_url_problem(settings, sock)
    if problem:
        err_console.print(styled(("warning:", "bold yellow"), " ", problem), highlight=False, soft_wrap=True)
