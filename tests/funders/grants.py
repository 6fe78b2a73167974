"""Hand-made grants in Peterborough and elsewhere, for partner suggestions and the pages."""

from __future__ import annotations

from datetime import date

from tracker.models import GrantRecord

PETERBOROUGH, FENLAND, LEEDS = "E06000031", "E07000010", "E08000035"


def grant(gid: str, recipient: str, org_id: str, title: str, awarded: date, amount: int = 10000, *,
          district: str | None = PETERBOROUGH, funder: str = "GB-CHC-327114",
          funder_name: str = "Lloyds Bank Foundation for England and Wales", charity: str | None = None,
          beneficiaries: list[str] | None = None) -> GrantRecord:
    return GrantRecord(id=gid, title=title, amount=amount, award_date=awarded, funder_org_id=funder,
                       funder_name=funder_name, recipient_org_id=org_id, recipient_name=recipient,
                       recipient_charity_number=charity, recipient_district_code=district,
                       beneficiary_codes=beneficiaries or [], publisher="Lloyds Bank Foundation")


def local_grants() -> list[GrantRecord]:
    return [
        grant("g1", "Peterborough Youth Trust", "GB-CHC-1111111", "Detached youth work to steer young people "
              "away from knife crime", date(2025, 5, 1), 20000, charity="1111111"),
        grant("g2", "Peterborough Youth Trust", "GB-CHC-1111111", "Youth club evenings", date(2019, 1, 1), 5000,
              charity="1111111"),
        grant("g3", "Millfield Mentors", "GB-COH-07654321", "Mentoring young people at risk of knife crime",
              date(2018, 3, 1), 8000),
        grant("g4", "Safe Homes Peterborough", "GB-CHC-2222222", "Support for survivors of domestic abuse",
              date(2026, 1, 10), 30000),
        grant("g5", "The Hand and Heart", "GB-COH-IP31111R", "A community pub bought by residents", date(2026, 2, 1)),
        # a youth charity elsewhere whose work reaches Peterborough counts; one that does not, does not
        grant("g6", "Fenland Youth Outreach", "GB-CHC-3333333", "Youth work in villages", date(2024, 6, 1),
              district=FENLAND, beneficiaries=[PETERBOROUGH]),
        grant("g7", "Leeds Youth Service", "GB-CHC-4444444", "Youth work and knife crime", date(2026, 6, 1),
              district=LEEDS),
    ]
