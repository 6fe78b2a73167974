"""Builders for needs and opportunities with sensible defaults."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tracker.matching import NeedSpec, OppSpec

TODAY = date(2026, 11, 26)


def need(**kw: Any) -> NeedSpec:
    base: dict[str, Any] = dict(
        id="youth-violence", title="Youth violence prevention",
        description="Detached youth work and mentoring to stop young people carrying knives.",
        themes=["youth", "serious_violence"], area="Peterborough", applicant="local_authority",
        partners=["charity"], amount_min=20000, amount_max=60000,
    )
    return NeedSpec(**{**base, **kw})


def opp(key: str = "/calls/a", **kw: Any) -> OppSpec:
    base: dict[str, Any] = dict(
        title="Youth Violence Prevention Fund",
        summary="Grants for projects that steer young people away from knife crime and serious violence.",
        text="Councils and charities may apply for youth work, mentoring and diversion.",
        deadline=date(2027, 3, 14), status="open", amount_min=5000, amount_max=50000,
        eligible_org_types=["local_authority", "charity"], areas=["England"],
        themes=["serious_violence", "youth"],
    )
    return OppSpec(key=key, **{**base, **kw})


def filler(n: int = 6) -> list[OppSpec]:
    """Unrelated calls, so text statistics are not computed over one document."""
    return [opp(f"/calls/filler-{i}", title=f"Heritage buildings grant {i}", summary="Repair of listed chapels.",
                text="Museums and heritage trusts may apply.", themes=["heritage"]) for i in range(n)]


@pytest.fixture
def today() -> date:
    return TODAY
