"""Charity and company numbers found in funders' page text, as 360Giving org ids."""

from __future__ import annotations

import pytest

from tracker.funder_ids import charity_id, company_id, find_ids


@pytest.mark.parametrize(("text", "ids"), [
    ("Registered charity number 327114", ["GB-CHC-327114"]),
    ("Lloyds Bank Foundation for England and Wales. Registered Charity No. 327114.", ["GB-CHC-327114"]),
    ("Charity No. SC012345", ["GB-SC-SC012345"]),
    ("Scottish Charity No: SC022910", ["GB-SC-SC022910"]),
    ("Registered Charity in England and Wales (1105851)", ["GB-CHC-1105851"]),
    ("Charity Commission number 1159982", ["GB-CHC-1159982"]),
    ("Northern Ireland charity number 100123", ["GB-NIC-100123"]),
    ("Charity registration number: NIC101234", ["GB-NIC-101234"]),
    ("Company number 04530979", ["GB-COH-04530979"]),
    ("a company limited by guarantee registered in England and Wales, no. 2258197", ["GB-COH-02258197"]),
    ("Registered in Scotland SC123456", ["GB-COH-SC123456"]),
    ("A charitable company (no. 4530979)", ["GB-COH-04530979"]),
    # two numbers in one sentence: each belongs to the label before it
    ("Registered charity number 327114 and company number 2258197.", ["GB-CHC-327114", "GB-COH-02258197"]),
    ("Registered in England No. 02345678. Registered Charity No. 1093428",
     ["GB-COH-02345678", "GB-CHC-1093428"]),
    # the same number twice is one id
    ("Charity no 327114 ... charity number 327114", ["GB-CHC-327114"]),
])
def test_numbers_with_their_label(text: str, ids: list[str]) -> None:
    assert [f.org_id for f in find_ids(text)] == ids


@pytest.mark.parametrize("text", [
    "Call us on 01733 123456 or write to PE1 2AB",  # a phone number is not a registration
    "We fund registered charities with an income under 1000000.",  # an amount after "charities"
    "Applicants must give their charity number and company number.",  # labels without numbers
    "Grant reference 1234567; see page 327114/2",
    "Charity number 12345",  # too short for any register
])
def test_no_number_without_a_label(text: str) -> None:
    assert find_ids(text) == []


def test_ids_are_built_the_360giving_way() -> None:
    assert charity_id("1105851") == "GB-CHC-1105851"
    assert charity_id("SC 012345") == "GB-SC-SC012345"
    assert charity_id("100123", "Northern Ireland") == "GB-NIC-100123"
    assert company_id("2258197") == "GB-COH-02258197"  # Companies House numbers are 8 characters
    assert company_id("sc123456") == "GB-COH-SC123456"
