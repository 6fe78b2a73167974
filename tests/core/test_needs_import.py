"""Needs import: JSON and CSV, all-or-nothing, errors by row number and field."""

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tracker.models import Need
from tracker.needs import NeedsImportError, import_needs

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"id": "N1", "title": "Youth diversion", "description": "Detached youth work", "applicant": "local_authority",
        "partners": ["charity"], "area": "Peterborough", "amount_min": 1000, "amount_max": 5000, "themes": ["youth"]}


def test_json_in_the_devset_format(engine, tmp_path: Path) -> None:
    path = tmp_path / "needs.json"
    path.write_text(json.dumps([GOOD, {**GOOD, "id": "N2", "area": "Cambs"}]))
    with Session(engine) as s:
        assert import_needs(s, path) == (2, 0)
        s.commit()
        assert import_needs(s, path) == (0, 2)
        s.commit()
        assert s.get(Need, "N2").area == "Cambridgeshire"


def test_bundled_demo_needs_import(engine) -> None:
    with Session(engine) as s:
        created, _ = import_needs(s, ROOT / "tracker" / "demo" / "needs.json")
        assert created >= 3


def test_csv_with_the_same_columns(engine, tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    path.write_text("id,title,description,applicant,partners,area,amount_min,amount_max,themes\n"
                    'N9,CCTV,"Cameras, lights",local_authority,police;charity,Peterborough,20000,,'
                    "situational_prevention;crime_prevention\n")
    with Session(engine) as s:
        assert import_needs(s, path) == (1, 0)
        s.commit()
        need = s.get(Need, "N9")
        assert need.partners == ["police", "charity"] and need.amount_max is None
        assert need.themes == ["situational_prevention", "crime_prevention"]


def test_one_bad_row_imports_nothing_and_names_row_and_field(engine, tmp_path: Path) -> None:
    path = tmp_path / "needs.json"
    bad = [GOOD, {**GOOD, "id": "N2", "area": "Atlantis"}, {**GOOD, "id": "N3", "themes": ["knitting"]},
           {**GOOD, "id": "N4", "amount_min": "lots"}]
    path.write_text(json.dumps(bad))
    with Session(engine) as s:
        with pytest.raises(NeedsImportError) as err:
            import_needs(s, path)
        s.rollback()
        assert s.exec(select(Need)).all() == []
    message = str(err.value)
    assert "nothing imported" in message
    assert "row 2 (id N2): field 'area'" in message and "Atlantis" in message
    assert "row 3 (id N3): field 'themes'" in message and "knitting" in message
    assert "row 4 (id N4): field 'amount_min'" in message


def test_malformed_files(tmp_path: Path, engine) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "N1",')
    dup = tmp_path / "dup.json"
    dup.write_text(json.dumps([GOOD, GOOD]))
    with Session(engine) as s:
        with pytest.raises(NeedsImportError, match="not valid JSON: line 1"):
            import_needs(s, broken)
        with pytest.raises(NeedsImportError, match="duplicate id 'N1'"):
            import_needs(s, dup)
        with pytest.raises(NeedsImportError, match="file not found"):
            import_needs(s, tmp_path / "missing.json")


def test_finer_org_kinds_are_stored_as_their_org_type(engine, tmp_path: Path) -> None:
    path = tmp_path / "needs.json"
    path.write_text(json.dumps([{**GOOD, "applicant": "combined_authority",
                                 "partners": ["housing_association", "integrated_care_board", "charity"]}]))
    with Session(engine) as s:
        assert import_needs(s, path) == (1, 0)
        s.commit()
        need = s.get(Need, "N1")
        assert (need.applicant, need.partners) == ("local_authority", ["social_enterprise", "health_body", "charity"])
