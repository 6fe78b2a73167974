"""One raw 360Giving grant checked and turned into a grant_record row, or the reason it is bad.

Required, as the standard requires them: id, fundingOrganization id, amountAwarded (a number,
kept as whole pounds rounded half up), awardDate (a date), currency (a three-letter code).
The recipient's district is, in order: recipientDistrictGeoCode where the publisher or GrantNav
gave it; else GrantNav's locationLookup for the recipient's postcode. Former codes of merged
councils become the current council's code.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tracker.gazetteer import load_gazetteer
from tracker.grants.sources import Raw
from tracker.grants.stats import current_district

COLUMNS = ("title", "description", "amount", "currency", "award_date", "programme", "funder_org_id", "funder_name",
           "recipient_org_id", "recipient_name", "recipient_type", "recipient_charity_number",
           "recipient_company_number", "recipient_postcode", "recipient_district_code", "recipient_district_name",
           "recipient_ward_code", "beneficiary_codes", "publisher", "data_source")

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_GSS = re.compile(r"^[EKNSW]\d{8}$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# What an org id's registry says about the organisation, where the publisher gave no type.
_ID_TYPES = (("GB-CHC-", "Registered charity"), ("GB-SC-", "Registered charity"), ("GB-NIC-", "Registered charity"),
             ("GB-COH-", "Company"), ("GB-MPR-", "Mutual society"), ("GB-EDU-", "School"),
             ("GB-SCOTEDU-", "School"), ("GB-NIEDU-", "School"), ("GB-WALEDU-", "School"),
             ("GB-NHS-", "NHS body"), ("GB-LAE-", "Local authority"), ("GB-LAS-", "Local authority"),
             ("GB-LANI-", "Local authority"), ("GB-PLA-", "Local authority"), ("GB-GOR-", "Government body"),
             ("GB-UKPRN-", "University or college"))


class BadRow(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"field {field}: {problem}")


def to_record(raw: Raw) -> dict[str, Any]:
    """The grant_record columns (id included) for a raw grant; BadRow names the first bad field."""
    v, names = raw.values, raw.names
    if "_not_object" in v:
        raise BadRow("grant", f"a {v['_not_object']}, not an object")
    gid = _text(raw, "id", required=True)
    funder_id = _text(raw, "funder_id", required=True)
    amount = _amount(raw)
    awarded = _date(raw)
    currency = _text(raw, "currency", required=True).upper()
    if not _CURRENCY.match(currency):
        raise BadRow(names["currency"], f"{_show(v['currency'])} is not a currency code (GBP)")
    recipient_id = _text(raw, "recipient_id")
    district = _gss(_text(raw, "district")) or _gss(raw.lookup_district or "")
    district_name = None
    if district:
        district = current_district(district)
        area = load_gazetteer().by_key.get(district)
        district_name = area.name if area else (_text(raw, "district_name") or None)
    beneficiaries = list(dict.fromkeys(
        code for c in raw.beneficiary_codes for code in (c.strip(), current_district(c.strip())) if code))
    recipient_type = _text(raw, "recipient_type") or _text(raw, "org_type_primary") or _id_type(recipient_id)
    postcode = " ".join(_text(raw, "postcode").upper().split()) or None
    return {
        "id": gid,
        "title": _text(raw, "title"),
        "description": _text(raw, "description"),
        "amount": amount,
        "currency": currency,
        "award_date": awarded,
        "programme": _text(raw, "programme"),
        "funder_org_id": funder_id,
        "funder_name": _text(raw, "funder_name") or funder_id,
        "recipient_org_id": recipient_id,
        "recipient_name": _text(raw, "recipient_name"),
        "recipient_type": recipient_type or None,
        "recipient_charity_number": _text(raw, "charity_number") or registry_number(recipient_id, "CHC", "SC", "NIC"),
        "recipient_company_number": _text(raw, "company_number") or registry_number(recipient_id, "COH"),
        "recipient_postcode": postcode,
        "recipient_district_code": district or None,
        "recipient_district_name": district_name,
        "recipient_ward_code": _gss(_text(raw, "ward")) or None,
        "beneficiary_codes": beneficiaries,
        "publisher": _text(raw, "publisher") or _text(raw, "funder_name") or funder_id,
        "data_source": _text(raw, "data_source") or None,
    }


def _text(raw: Raw, key: str, *, required: bool = False) -> str:
    value = raw.values.get(key)
    if value is None:
        if required:
            raise BadRow(_required_name(raw, key), "missing")
        return ""
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise BadRow(raw.names[key], f"{_show(value)} is not text")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's number cell holding a charity number or id
    return str(value).strip()


def _amount(raw: Raw) -> int:
    value = raw.values.get("amount")
    if value is None:
        raise BadRow(_required_name(raw, "amount"), "missing")
    if isinstance(value, bool):
        raise BadRow(raw.names["amount"], f"{_show(value)} is not a number")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "").removeprefix("£")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadRow(raw.names["amount"], f"{_show(raw.values['amount'])} is not a number") from None
    if not number.is_finite():
        raise BadRow(raw.names["amount"], f"{_show(raw.values['amount'])} is not a number")
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _date(raw: Raw) -> date:
    value = raw.values.get("award_date")
    if value is None:
        raise BadRow(_required_name(raw, "award_date"), "missing")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        # the day as published: "2015-06-10T00:00:00+01:00" is 10 June, whatever UTC says
        return date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else _uk_date(text)
    except ValueError:
        raise BadRow(raw.names["award_date"], f"{_show(value)} is not a date (YYYY-MM-DD)") from None


def _uk_date(text: str) -> date:
    m = _UK_DATE.match(text)
    if not m:
        raise ValueError(text)
    return date(int(m[3]), int(m[2]), int(m[1]))  # Excel in the UK saves dates day first


def _gss(code: str) -> str:
    code = code.strip().upper()
    return code if _GSS.match(code) else ""


def _id_type(org_id: str) -> str:
    return next((kind for prefix, kind in _ID_TYPES if org_id.upper().startswith(prefix)), "")


def registry_number(org_id: str, *registers: str) -> str | None:
    for register in registers:
        prefix = f"GB-{register}-"
        if org_id.upper().startswith(prefix) and len(org_id) > len(prefix):
            return org_id[len(prefix):]
    return None


_JSON_NAMES = {"id": "id", "funder_id": "fundingOrganization.id", "amount": "amountAwarded",
               "award_date": "awardDate", "currency": "currency"}


def _required_name(raw: Raw, key: str) -> str:
    return raw.names.get(key) or _JSON_NAMES.get(key, key)


def _show(value: Any) -> str:
    text = str(value)
    return repr(text[:60] + "…" if len(text) > 60 else text)
