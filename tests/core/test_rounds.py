"""Recurring rounds: grouping calls of one fund across rounds and years, and the forecast."""

from datetime import date

from tracker.rounds import Round, forecast, group, title_key, url_key

TODAY = date(2026, 11, 26)


def r(i, title, opens=None, deadline=None, status="closed", funder="Fen Valley PCC",  # noqa: ANN001, ANN201
      url=None):
    return Round(i, title, funder, url or f"https://f.example/{i}", opens, deadline, status)


def test_titles_lose_years_and_round_words():
    assert {title_key(t) for t in ("Youth Diversion Fund 2027/28", "Youth Diversion Fund 2024-25",
                                   "Youth Diversion Fund (Round 3)", "Youth Diversion Fund: round three",
                                   "Third round of the Youth Diversion Fund", "Youth Diversion Fund 2025 to 2026")} \
        == {"youth diversion fund"}
    assert title_key("Safer Streets Fund") != title_key("Safer Streets Capital Fund")


def test_addresses_lose_years_and_round_words():
    assert url_key("https://f.example/funding/youth-diversion-fund-2024-25.html") == \
        url_key("https://f.example/funding/youth-diversion-fund/")
    assert url_key("https://f.example/a-2024") != url_key("https://g.example/a-2024")


def test_grouping_by_funder_and_title_or_address():
    calls = [r(1, "Youth Diversion Fund 2025/26", date(2025, 1, 6)),
             r(2, "Youth Diversion Fund 2026/27", date(2026, 1, 12)),
             r(3, "Youth Diversion Programme", date(2024, 1, 8), url="https://f.example/youth-diversion-fund-2024"),
             r(4, "Youth Diversion Programme 2023", date(2023, 1, 9)),  # via 3's title
             r(5, "Youth Diversion Fund 2026/27", date(2026, 1, 12), funder="Another Trust"),
             r(6, "Victims' Voice Small Grants", date(2025, 6, 2))]
    calls[0].url = "https://f.example/youth-diversion-fund-2025"
    funds = sorted(([c.id for c in g] for g in group(calls)), key=len)
    assert funds == [[5], [6], [4, 3, 1, 2]]  # each fund's rounds oldest first


def test_a_closed_fund_that_opened_every_year_is_forecast_with_evidence():
    fund = [r(1, "Summer Streets 2024", date(2024, 3, 4), date(2024, 5, 31)),
            r(2, "Summer Streets 2025", None, date(2025, 5, 30)),  # opening estimated from the deadline
            r(3, "Summer Streets 2026", date(2026, 3, 2), date(2026, 5, 29))]
    [rounds] = group(fund)
    predicted = forecast(rounds, TODAY)
    assert predicted.month == "2027-03" and predicted.words == "likely to reopen around March 2027"
    assert predicted.evidence == ["opened March 2024: Summer Streets 2024",
                                  "opened March 2025 (estimated): Summer Streets 2025",
                                  "opened March 2026: Summer Streets 2026"]


def test_an_estimated_opening_is_never_after_the_call_was_first_seen():
    seen = r(1, "F 2027", None, date(2027, 5, 14), status="open")
    seen.first_seen = date(2026, 11, 26)
    other = r(2, "F 2026", date(2026, 1, 12), date(2026, 3, 13))
    group([seen, other])
    assert (seen.opened, seen.estimated) == (date(2026, 11, 26), True)  # not 60 days before the deadline
    undated = r(3, "G", None, None)
    undated.first_seen = date(2026, 5, 1)
    group([undated])
    assert undated.opened == date(2026, 5, 1)


def test_no_forecast_while_open_or_with_a_gap_or_a_missed_round():
    open_now = group([r(1, "F 2025", date(2025, 1, 6), date(2025, 3, 1)),
                      r(2, "F 2026", date(2026, 10, 1), date(2027, 1, 30), status="open")])[0]
    assert forecast(open_now, TODAY).expected is None
    gap = group([r(1, "F 2023", date(2023, 2, 1)), r(2, "F 2025", date(2025, 2, 1))])[0]
    assert forecast(gap, TODAY).note == "not every year"
    once = group([r(1, "F 2026", date(2026, 2, 1))])[0]
    assert forecast(once, TODAY).note == "fewer than two years of rounds"
    missed = group([r(1, "F 2024", date(2024, 6, 3)), r(2, "F 2025", date(2025, 6, 2))])[0]
    result = forecast(missed, TODAY)  # June 2026 came and went
    assert result.expected is None and result.note == "expected around June 2026, but it has not reopened"
    late = group([r(1, "F 2024", date(2024, 10, 7)), r(2, "F 2025", date(2025, 10, 6))])[0]
    assert forecast(late, TODAY).month == "2026-10"  # a month late is still expected
