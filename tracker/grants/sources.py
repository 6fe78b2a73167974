"""Reading 360Giving files as a stream of raw grants, whatever the format: the JSON package
({"grants": [...]}, parsed with ijson so a 500 MB file takes constant memory), GrantNav's
CSV export and the 360Giving spreadsheet template (CSV or XLSX, read row by row).

The format is told by the file's content, never its name. Each raw grant comes out as
(row number, {field: value}) in one flat shape (``Raw``) whichever format it came from;
tracker.grants.rows checks and converts it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import ijson


class NotGrantsFile(ValueError):
    """The file is not 360Giving data at all (or is broken as a whole): nothing is imported."""


@dataclass
class Raw:
    """One grant's fields as published. ``names`` gives the field name the publisher used for
    each key (a JSON path or a spreadsheet column), so errors name what the user can find."""

    values: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    beneficiary_codes: list[str] = field(default_factory=list)
    lookup_district: str | None = None  # GrantNav's locationLookup for the recipient's postcode
    grant_id_hint: str = ""

    def put(self, key: str, value: Any, name: str) -> None:
        self.names.setdefault(key, name)  # a blank required column is named in its error too
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        self.values[key] = value
        self.names[key] = name


class CountingReader(io.RawIOBase):
    """A binary file that reports how many bytes have been read (for the progress bar)."""

    def __init__(self, fh: BinaryIO, on_read: Callable[[int], None] | None = None) -> None:
        self._fh = fh
        self._on_read = on_read
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._fh.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = self._fh.seek(offset, whence)
        if self._on_read:
            self._on_read(self.position)
        return self.position

    def tell(self) -> int:
        return self._fh.tell()

    def readinto(self, buffer) -> int:  # noqa: ANN001 - memoryview or bytearray
        data = self._fh.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.position += n
        if self._on_read:
            self._on_read(self.position)
        return n

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.position += len(data)
        if self._on_read:
            self._on_read(self.position)
        return data


def sniff(path: Path) -> str:
    """'json', 'csv' or 'xlsx' from the first bytes; NotGrantsFile for anything else."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise NotGrantsFile("the file is empty")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                if "xl/workbook.xml" in z.namelist():
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise NotGrantsFile("a zip file that is not an Excel workbook (.xlsx)")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "json"
    if text.startswith(b"["):
        raise NotGrantsFile('JSON that is a list, not a 360Giving package ({"grants": [...]})')
    if text.startswith(b"<"):
        raise NotGrantsFile("an HTML or XML page, not 360Giving data (JSON, CSV or XLSX)")
    return "csv"


# --- JSON -------------------------------------------------------------------------------

def read_json(fh: BinaryIO) -> Iterator[tuple[int, Raw]]:
    _skip_bom(fh)
    try:
        n = 0
        for n, grant in enumerate(ijson.items(fh, "grants.item"), start=1):
            yield n, json_grant(grant)
    except ijson.JSONError as exc:
        raise NotGrantsFile(f"not valid JSON near byte {_pos(fh)}: {_first_line(exc)}") from None
    if n == 0:
        _skip_bom(fh)
        if not _has_grants_list(fh):
            raise NotGrantsFile('JSON without a "grants" list: not a 360Giving package')


def _skip_bom(fh: BinaryIO) -> None:
    """To the start of the JSON text, past a UTF-8 byte order mark (Windows tools write one)."""
    fh.seek(0)
    if fh.read(3) != b"\xef\xbb\xbf":
        fh.seek(0)


def _has_grants_list(fh: BinaryIO) -> bool:
    try:
        events = ijson.parse(fh)
        for prefix, event, value in events:
            if prefix == "" and event == "map_key" and value == "grants":
                return next(events)[1] == "start_array"
    except ijson.JSONError:
        return False
    return False


def json_grant(grant: Any) -> Raw:
    raw = Raw()
    if not isinstance(grant, dict):
        raw.put("_not_object", type(grant).__name__, "grant")
        return raw
    for key, name in (("id", "id"), ("title", "title"), ("description", "description"), ("currency", "currency"),
                      ("amount", "amountAwarded"), ("award_date", "awardDate"), ("data_source", "dataSource")):
        raw.put(key, grant.get(name), name)
    raw.grant_id_hint = str(grant.get("id") or "")
    funder = _first(grant.get("fundingOrganization"))
    raw.put("funder_id", funder.get("id"), "fundingOrganization.id")
    raw.put("funder_name", funder.get("name"), "fundingOrganization.name")
    recipient = _first(grant.get("recipientOrganization"))
    if recipient:
        raw.put("recipient_id", recipient.get("id"), "recipientOrganization.id")
        raw.put("recipient_name", recipient.get("name"), "recipientOrganization.name")
        raw.put("charity_number", recipient.get("charityNumber"), "recipientOrganization.charityNumber")
        raw.put("company_number", recipient.get("companyNumber"), "recipientOrganization.companyNumber")
        raw.put("postcode", recipient.get("postalCode"), "recipientOrganization.postalCode")
        raw.put("recipient_type", recipient.get("organisationType"), "recipientOrganization.organisationType")
    else:
        individual = grant.get("recipientIndividual")
        individual = individual if isinstance(individual, dict) else _first(individual)
        if individual:
            raw.put("recipient_id", individual.get("id"), "recipientIndividual.id")
            raw.put("recipient_name", individual.get("name") or "Individual", "recipientIndividual.name")
            raw.put("recipient_type", "Individual", "recipientIndividual")
    programme = _first(grant.get("grantProgramme"))
    raw.put("programme", programme.get("title"), "grantProgramme.title")
    extra = grant.get("additional_data") if isinstance(grant.get("additional_data"), dict) else {}
    for source in (extra, grant):  # the grant's own fields win over GrantNav's additions
        raw.put("district", source.get("recipientDistrictGeoCode"), "recipientDistrictGeoCode")
        raw.put("district_name", source.get("recipientDistrictName"), "recipientDistrictName")
        raw.put("ward", source.get("recipientWardNameGeoCode"), "recipientWardNameGeoCode")
    infos = _first(extra.get("recipientOrgInfos"))
    raw.put("org_type_primary", infos.get("organisationTypePrimary"), "recipientOrgInfos.organisationTypePrimary")
    for place in grant.get("beneficiaryLocation") or ():
        if isinstance(place, dict) and isinstance(place.get("geoCode"), str):
            raw.beneficiary_codes.append(place["geoCode"])
    for look in extra.get("locationLookup") or ():
        if not isinstance(look, dict):
            continue
        lad = look.get("ladcd_active") or look.get("ladcd")
        if not isinstance(lad, str) or not lad:
            continue
        if look.get("source") == "recipientOrganizationPostcode":
            raw.lookup_district = raw.lookup_district or lad
        elif look.get("source") == "beneficiaryLocation":
            raw.beneficiary_codes.append(lad)
    dataset = grant.get("dataset") if isinstance(grant.get("dataset"), dict) else {}
    publisher = dataset.get("publisher") if isinstance(dataset.get("publisher"), dict) else {}
    raw.put("publisher", publisher.get("name"), "dataset.publisher.name")
    if "data_source" not in raw.values:
        raw.put("data_source", _first(dataset.get("distribution")).get("downloadURL"), "dataset.distribution")
    return raw


def _first(value: Any) -> dict:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return value if isinstance(value, dict) else {}


# --- spreadsheets (GrantNav's CSV export, the 360Giving template) ----------------------

# A column's key after _fold ("Recipient Org:0:Identifier" and "recipientOrganization/0/id"
# both work): GrantNav's export headers (grantnav/csv_layout.py), the 360Giving template's
# titles and flatten-tool's JSON paths.
_COLUMNS: dict[str, str] = {
    "identifier": "id", "id": "id",
    "title": "title", "description": "description", "currency": "currency",
    "amountawarded": "amount", "awarddate": "award_date",
    "fundingorg:identifier": "funder_id", "fundingorganization:id": "funder_id",
    "fundingorg:name": "funder_name", "fundingorganization:name": "funder_name",
    "recipientorg:identifier": "recipient_id", "recipientorganization:id": "recipient_id",
    "recipientorg:name": "recipient_name", "recipientorganization:name": "recipient_name",
    "recipientorg:charitynumber": "charity_number", "recipientorganization:charitynumber": "charity_number",
    "recipientorg:companynumber": "company_number", "recipientorganization:companynumber": "company_number",
    "recipientorg:postalcode": "postcode", "recipientorganization:postalcode": "postcode",
    "recipientorg:organisationtype": "recipient_type", "recipientorganization:organisationtype": "recipient_type",
    "recipientorg:orgtype": "org_type_primary",
    "recipientind:identifier": "individual_id", "recipientindividual:id": "individual_id",
    "recipientind:name": "individual_name", "recipientindividual:name": "individual_name",
    "grantprogramme:title": "programme",
    "bestavailablerecipientdistrictgeographiccode": "district", "recipientdistrictgeographiccode": "district",
    "recipientdistrictgeocode": "district",
    "bestavailablerecipientdistrict": "district_name", "recipientdistrict": "district_name",
    "bestavailablerecipientwardgeographiccode": "ward",
    "publisher:name": "publisher", "datasource": "data_source",
}
_BENEFICIARY = re.compile(r"^(beneficiarylocation(:\d+)?:(geographiccode|geocode)|beneficiarydistrictgeographiccode)$")
_REQUIRED = {"id": "Identifier", "amount": "Amount Awarded", "funder_id": "Funding Org:Identifier"}


def _fold(header: str) -> str:
    h = header.strip().casefold().replace("/", ":")
    h = re.sub(r":0(?=:|$)", "", h)
    return re.sub(r"\s+", "", h)


class Columns:
    """Which spreadsheet column holds which field."""

    def __init__(self, header: list[Any]) -> None:
        self.fields: list[tuple[int, str, str]] = []  # (index, key, header as written)
        self.beneficiary: list[tuple[int, str]] = []
        found: set[str] = set()
        for i, cell in enumerate(header):
            title = str(cell).strip() if cell is not None else ""
            key = _fold(title)
            if key in _COLUMNS and _COLUMNS[key] not in found:
                found.add(_COLUMNS[key])
                self.fields.append((i, _COLUMNS[key], title))
            elif _BENEFICIARY.match(key):
                self.beneficiary.append((i, title))
        missing = [name for key, name in _REQUIRED.items() if key not in found]
        if missing:
            raise NotGrantsFile(f"no {', '.join(missing)} column: not 360Giving data "
                                "(GrantNav's CSV export or the 360Giving template)")

    def raw(self, cells: list[Any] | tuple[Any, ...]) -> Raw:
        raw = Raw()
        for i, key, title in self.fields:
            value = cells[i] if i < len(cells) else None
            raw.put(key, value.strip() if isinstance(value, str) else value, title)
        if "recipient_id" not in raw.values and "individual_id" in raw.values:
            raw.put("recipient_id", raw.values["individual_id"], raw.names["individual_id"])
            raw.put("recipient_name", raw.values.get("individual_name") or "Individual", "Recipient Ind:Name")
            raw.put("recipient_type", "Individual", "Recipient Ind:Identifier")
        for i, _title in self.beneficiary:
            value = cells[i] if i < len(cells) else None
            if isinstance(value, str) and value.strip():
                raw.beneficiary_codes.append(value.strip())
        raw.grant_id_hint = str(raw.values.get("id") or "")
        return raw


def read_csv(fh: BinaryIO) -> Iterator[tuple[int, Raw]]:
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise NotGrantsFile("no header row")
        first = ",".join(header)
        if first.count(";") > first.count(",") or first.count("\t") > first.count(","):
            text.seek(0)
            reader = csv.reader(text, delimiter=";" if first.count(";") > first.count("\t") else "\t", strict=True)
            header = next(reader)
        columns = Columns(header)
        while True:
            line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                return
            if any(c.strip() for c in cells):
                yield line, columns.raw(cells)
    except UnicodeDecodeError:
        raise NotGrantsFile(f"not UTF-8 text near line {reader.line_num + 1} "
                            "(save it from Excel as 'CSV UTF-8')") from None
    except csv.Error as exc:
        raise NotGrantsFile(f"line {reader.line_num}: {exc}") from None


def read_xlsx(fh: BinaryIO) -> Iterator[tuple[int, Raw]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise NotGrantsFile(f"not a readable Excel workbook: {_first_line(exc)}") from None
    try:
        problems = []
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            try:
                columns = Columns(list(header))
            except NotGrantsFile as exc:
                problems.append(f"sheet {sheet.title!r}: {exc}")
                continue
            for n, cells in enumerate(rows, start=2):
                if any(c is not None and str(c).strip() for c in cells):
                    yield n, columns.raw(cells)
            return
        raise NotGrantsFile("; ".join(problems) or "the workbook has no rows")
    finally:
        book.close()


READERS: dict[str, Callable[[BinaryIO], Iterator[tuple[int, Raw]]]] = {
    "json": read_json, "csv": read_csv, "xlsx": read_xlsx}


def _pos(fh: BinaryIO) -> int:
    return getattr(fh, "position", 0)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
