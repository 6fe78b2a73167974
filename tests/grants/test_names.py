"""name_key: the same funder written differently gives one key; different funders keep apart."""

import pytest

from tracker.grants.names import name_key


@pytest.mark.parametrize("a, b", [
    ("Lloyds Bank Foundation for England and Wales", "LLOYDS BANK FOUNDATION FOR ENGLAND & WALES"),
    ("The Tudor Trust", "Tudor Trust"),
    ("Guy's and St Thomas' Charity", "Guys & St Thomas Charity"),
    ("Esmée Fairbairn Foundation", "Esmee Fairbairn Foundation"),
    ("Community Foundation serving Tyne & Wear and Northumberland",
     "Community Foundation Serving Tyne and Wear and Northumberland"),
    ("Joseph Rowntree Reform Trust ", "Joseph Rowntree Reform Trust Limited"),
    ("Hyde Park Source Ltd", "Hyde Park Source"),
    ("Access Ltd (CIO)", "Access"),
    ("Access C.I.O.", "access"),
    ("Double Bounce Inclusive Tennis South West CIC", "Double Bounce Inclusive Tennis South West"),
    ("Menter Iaith Cyf", "Menter Iaith"),
    ("Forward Trust Community Interest Company", "Forward Trust"),
    ("Power to Change Trust", "power-to-change trust"),
    ("St. Giles Trust", "St Giles Trust"),
])
def test_spellings_of_one_organisation_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [
    ("Joseph Rowntree Charitable Trust", "Joseph Rowntree Foundation"),
    ("Joseph Rowntree Charitable Trust", "Joseph Rowntree Reform Trust"),
    ("Paul Hamlyn Foundation", "Paul Hamlyn Trust"),
    ("Foundation Scotland", "Scotland"),
    ("Comic Relief", "Sport Relief"),
    ("Peterborough Community Fund", "Peterborough Community Foundation"),
])
def test_distinguishing_words_are_kept(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_a_name_that_is_only_a_legal_form_or_the_is_kept() -> None:
    assert name_key("Limited") == "limited"
    assert name_key("The") == "the"
    assert name_key("  ") == ""


def test_key_text() -> None:
    assert name_key("The Clothworkers' Foundation") == "clothworkers foundation"
    assert name_key("Mercers' Charitable Foundation") == "mercers charitable foundation"
