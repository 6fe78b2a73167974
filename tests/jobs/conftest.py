"""Fixtures for the jobs tests: a real SMTP server (aiosmtpd) on loopback."""

from collections.abc import Iterator

import pytest

from tests.digest.conftest import Collector
from tests.loopback import LoopbackSMTP


@pytest.fixture
def smtp() -> Iterator[LoopbackSMTP]:
    """aiosmtpd on a port it binds itself; what it accepted is in `.handler` (a Collector)."""
    controller = LoopbackSMTP(Collector())
    controller.start()
    yield controller
    controller.stop()
