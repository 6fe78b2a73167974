"""`tracker sources add --kind contracts-finder|find-a-tender`: the public API by default, the
filters checked and stored with the source."""

import json


def test_tender_sources_default_to_the_public_apis_and_keep_their_filters(run_tracker) -> None:
    run_tracker("sources", "add", "--name", "FTS Cambs", "--kind", "find-a-tender", "--keywords", "youth,mentoring",
                "--keywords", "domestic abuse", "--cpv", "85000000", "--cpv", "75231000-4", "--region", "UKH12",
                "--region", "peterborough", "--vcse")
    run_tracker("sources", "add", "--name", "CF", "--kind", "contracts-finder")
    listed = {s["name"]: s for s in json.loads(run_tracker("sources", "list", "--format", "json").stdout)}
    assert listed["FTS Cambs"]["url"] == "https://www.find-tender.service.gov.uk"
    assert listed["CF"]["url"] == "https://www.contractsfinder.service.gov.uk"
    assert listed["FTS Cambs"]["filters"] == {"keywords": ["youth", "mentoring", "domestic abuse"],
                                              "cpv": ["85", "75231"], "regions": ["UKH12", "Peterborough"],
                                              "vcse": True}
    assert listed["CF"]["filters"] == {} and listed["CF"]["window_end"] is None
    shown = run_tracker("sources", "show", "FTS Cambs").stdout
    assert "never read to the end" in shown


def test_bad_tender_filters_are_refused_with_what_was_wrong(run_tracker) -> None:
    for args, why in ((("--cpv", "youth"), "CPV code 'youth' is not 2 to 8 digits"),
                      (("--region", "Gotham"), "region 'Gotham' is neither an ITL/NUTS code")):
        done = run_tracker("sources", "add", "--name", "x", "--kind", "find-a-tender", *args, check=False)
        assert done.returncode == 2 and why in done.stderr and len(done.stderr.strip().splitlines()) == 1
    html = run_tracker("sources", "add", "--name", "y", "--kind", "html", "--url", "https://y.example/",
                       "--keywords", "youth", check=False)
    assert html.returncode == 2 and "filters (keywords, CPV, region, VCSE) apply only to" in html.stderr
    no_url = run_tracker("sources", "add", "--name", "z", "--kind", "html", check=False)
    assert no_url.returncode == 2 and "needs --url" in no_url.stderr
    assert json.loads(run_tracker("sources", "list", "--format", "json").stdout) == []
