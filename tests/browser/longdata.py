"""Rows with the long titles, names, URLs, emails and error texts real funders and mail
servers produce, so every page is seen at its widest; and one example path per detail page."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

from sqlmodel import Session, select

from tracker.config import Settings
from tracker.digest.tokens import load_secret, sign_action, sign_preferences
from tracker.grants.names import name_key
from tracker.models import (
    ApiToken,
    Bid,
    BidEvent,
    CrawlRun,
    Decision,
    Digest,
    FunderLink,
    FundingOrg,
    GrantRecord,
    JobControl,
    JobRun,
    Match,
    Need,
    NeedPartner,
    Opportunity,
    OpportunityRevision,
    Source,
    User,
    utcnow,
)

LONG_TITLE = ("Violence Against Women and Girls Community Prevention, Early Intervention and Perpetrator "
              "Behaviour-Change Partnership Fund 2027–2028 (Round Two)")
LONG_FUNDER = "Cambridgeshire and Peterborough Office of the Police and Crime Commissioner"
LONG_URL = ("https://www.funder.example/funding-opportunities/violence-against-women-and-girls/"
            "community-prevention-early-intervention-partnership-fund-2027-2028/round-two/"
            "guidance-for-applicants?utm_source=newsletter&utm_medium=email&reference=VAWG-CPEIPF-2027-R2")
LONG_EMAIL = "safer-communities-partnership-coordinator@peterborough-city-council.example"
LONG_NEED_ID = "violence-against-women-and-girls-prevention-partnership-2027"
SMTP_REPLY = ("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more "
              "information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(1430) "
              "[AM0PR10MB1234.EURPRD10.PROD.OUTLOOK.COM 2026-11-30T06:00:01.123Z 08DD1234567890AB]")
CRAWL_ERROR = ("twisted.internet.error.DNSLookupError: DNS lookup failed: no results for hostname lookup: "
               "www.cambridgeshire-peterborough-pcc-community-safety-grants.funder.example\n"
               "/srv/tracker/.venv/lib/python3.11/site-packages/scrapy/core/downloader/handlers/http11.py:"
               "line 356 in _cb_bodyready")


def _long_grants(s: Session, need: Need, funder: str) -> tuple[str, str]:
    """A funder with a long name and org id linked to the long call's funder, its grants in
    Peterborough to a recipient with a long name (on the need's shortlist)."""
    org = "GB-COH-SC123456-CAMBRIDGESHIRE-AND-PETERBOROUGH-COMMUNITY-SAFETY-PARTNERSHIP-FUND"
    recipient = "GB-CHC-1234567-PETERBOROUGH-WOMENS-AID-AND-VIOLENCE-AGAINST-WOMEN-AND-GIRLS-PARTNERSHIP"
    s.add(FundingOrg(id=org, name=funder, name_key=name_key(funder)))
    s.add(FunderLink(funder_key=name_key(funder), funder_name=funder, org_id=org, method="admin", confidence=1.0,
                     confirmed=True, confirmed_by=LONG_EMAIL))
    for i in range(30):
        s.add(GrantRecord(id=f"360G-long-{i}-{'x' * 60}", title=LONG_TITLE, description="Violence against women and "
                          "girls: safe spaces, street marshals and bystander training. " + LONG_URL,
                          amount=1_500_000_000 + i, award_date=date(2024, 1, 1) + timedelta(days=i),
                          programme="Community Prevention, Early Intervention and Perpetrator Behaviour-Change",
                          funder_org_id=org, funder_name=funder, recipient_org_id=recipient,
                          recipient_name="Peterborough Women's Aid and Violence Against Women and Girls Partnership "
                                         "Community Interest Company", recipient_type="Community Interest Company "
                                         "Limited by Guarantee", recipient_charity_number="1234567",
                          recipient_company_number="SC123456", recipient_district_code="E06000031",
                          recipient_district_name="City of Peterborough", publisher=LONG_FUNDER))
    s.add(NeedPartner(need_id=need.id, org_id=recipient, name="Peterborough Women's Aid and Violence Against Women "
                      "and Girls Partnership Community Interest Company", added_by=LONG_EMAIL))
    return org, recipient


def seed_long_content(s: Session, settings: Settings, users: dict[str, User], today: date) -> dict[str, str]:
    """Add the long rows; return {route path template: an example path} for every detail page."""
    now = utcnow().replace(microsecond=0)
    source = Source(name="Cambridgeshire and Peterborough PCC – Community Safety and Violence Reduction Grants",
                    kind="html", url=LONG_URL.replace("guidance-for-applicants", "all-open-calls"),
                    schedule="30 5 * * 1-5", origin="web", healthy=False,
                    health_note=f"3 crawls in a row found no calls at {LONG_URL}", last_crawl_at=now, last_calls=0)
    s.add(source)
    s.flush()
    s.add_all([CrawlRun(source_id=source.id, started_at=now, finished_at=now, status="failed", errors=1,
                        error_text=CRAWL_ERROR),
               CrawlRun(source_id=source.id, started_at=now - timedelta(days=1), finished_at=now, status="ok",
                        pages=38, calls_new=12, calls_changed=3, calls_unchanged=1045)])
    opp = Opportunity(url=LONG_URL, source_id=source.id, funder=LONG_FUNDER, title=LONG_TITLE,
                      summary=f"Grants for partnerships preventing violence against women and girls. Guidance: "
                              f"{LONG_URL}", deadline=today + timedelta(days=45), deadline_time="12:00",
                      opens=today - timedelta(days=3), amount_min=10000, amount_max=2500000, total_pot=15000000,
                      eligible_org_types=["local_authority", "charity", "community_interest_company",
                                          "community_safety_partnership"],
                      excluded_org_types=["individual", "for_profit_company"],
                      areas=["Cambridgeshire", "Peterborough", "Huntingdonshire", "East Cambridgeshire", "Fenland"],
                      themes=["vawg", "domestic_abuse", "youth", "road_safety"],
                      eligibility_text="Applications must come from a partnership led by a statutory body "
                                       "(VAWG-partnership-lead-organisation-eligibility-criteria-2027).",
                      problems=["deadline found twice with different dates: "
                                f"{today + timedelta(days=31)} and {today + timedelta(days=45)}; kept the later"])
    s.add(opp)
    s.flush()
    s.add(Opportunity(url=LONG_URL + "&mirror=gov.uk-find-a-grant", title=LONG_TITLE, funder=LONG_FUNDER,
                      duplicate_of_id=opp.id, themes=["vawg"], deadline=opp.deadline))
    s.add(OpportunityRevision(opportunity_id=opp.id, changes={
        "deadline": [str(today + timedelta(days=31)), str(opp.deadline)],
        "url": [LONG_URL.replace("round-two", "round-one"), LONG_URL],
        "amount_max": [2000000, 2500000]}))
    need = Need(id=LONG_NEED_ID, title="Prevention of violence against women and girls in the night-time economy "
                                       "around Lincoln Road and Millfield", description="Safe spaces, street "
                "marshals and bystander training in partnership with licensed premises. Plan: " + LONG_URL,
                keywords=["violence against women and girls", "night-time economy", "bystander-intervention-training",
                          "licensed premises"], themes=["vawg", "domestic_abuse"], applicant="local_authority",
                partners=["charity", "police", "community_safety_partnership"], amount_min=100000,
                amount_max=250000, prep_days=30, owner=LONG_EMAIL)
    s.add(need)
    long_user = User(email=LONG_EMAIL, name="Alexandra Montgomery-Fitzwilliam-Worthington", role="staff",
                     digest=True, followed_needs=[LONG_NEED_ID, "N1"])
    s.add(long_user)
    s.flush()
    match = Match(need_id=need.id, opportunity_id=opp.id, score=0.87, rank=1, eligible=True, reasons=[
        "Themes: violence against women and girls, domestic abuse",
        "Area: Peterborough is within Cambridgeshire and Peterborough",
        "Amount: £10,000 to £2,500,000 covers the £100,000 to £250,000 needed",
        f"Deadline: 45 days left, 30 needed to prepare; guidance at {LONG_URL}"])
    other = s.exec(select(Opportunity).where(Opportunity.title == "Grant programme 01")).one()
    dismissed = Match(need_id=need.id, opportunity_id=other.id, score=0.41, rank=None, eligible=True,
                      dismissed=True, dismissed_by=LONG_EMAIL, reasons=["Theme: vawg"])
    s.add_all([match, dismissed, Match(need_id="N1", opportunity_id=opp.id, score=0.52, rank=2, eligible=True,
                                       reasons=["Theme: youth", f"Source: {LONG_URL}"])])
    bid = Bid(opportunity_id=opp.id, need_id=need.id, status="preparing", owner_id=long_user.id,
              amount_requested=249999, notes="Draft with the partnership board; budget sheet at " + LONG_URL,
              feedback="Last round's feedback: the evaluation plan must name its measures; see " + LONG_URL)
    s.add(bid)
    s.flush()
    s.add_all([BidEvent(bid_id=bid.id, user_id=long_user.id, to_status="interested", note="from a digest link"),
               BidEvent(bid_id=bid.id, user_id=long_user.id, from_status="interested", to_status="preparing",
                        note="Partnership agreement signed off: " + LONG_URL)])
    for back in (2, 1):  # earlier rounds of the same fund, one with an awarded bid: the past-rounds table
        earlier = Opportunity(url=f"{LONG_URL}-{today.year - back}", title=f"{LONG_TITLE} {today.year - back}",
                              funder=LONG_FUNDER, status="closed", opens=today - timedelta(days=365 * back),
                              deadline=today - timedelta(days=365 * back - 45),
                              amount_min=10000, amount_max=2500000)
        s.add(earlier)
        s.flush()
        s.add(Bid(opportunity_id=earlier.id, need_id=need.id, status="awarded", owner_id=long_user.id,
                  amount_requested=2400000, amount_awarded=2250000, feedback="Funded: " + LONG_URL))
    s.add_all([Decision(opportunity_id=opp.id, need_id=need.id, decision="bid", reason="council_priority",
                        note="Agreed at the partnership board; minutes at " + LONG_URL, user_id=long_user.id),
               Decision(opportunity_id=opp.id, need_id="N1", decision="no_bid", reason="other",
                        note="Bystander-intervention-training-is-covered-by-the-VAWG-bid-" + LONG_URL,
                        user_id=long_user.id)])
    s.add(Digest(recipient=LONG_EMAIL, user_id=long_user.id, period="2026-W48", status="failed", attempts=3,
                 message_id="<digest-2026-W48-long@funding-tracker.example>", error=SMTP_REPLY))
    s.add(JobControl(job_id=f"crawl:{source.name}", paused=True, schedule="*/30 6-18 * * mon-fri"))
    s.add(JobRun(job_id=f"crawl:{source.name}", outcome="failed", started_at=now, finished_at=now,
                 detail=CRAWL_ERROR))
    admin = users["admin"]
    admin.calendar_token = "Zm9yLXRoZS1sYXlvdXQtdGVzdHMtb25seS1ub3QtYS1yZWFsLXRva2Vu"
    s.add(admin)
    s.add(ApiToken(user_id=admin.id, name="Power BI dashboard refresh for the community safety partnership board",
                   token_hash="layout-test-token-hash", last_used_at=now))
    s.flush()
    token = sign_action(load_secret(settings), users["staff"].id, "match", match.id, "interested")
    preferences = sign_preferences(load_secret(settings), long_user.id)
    org, recipient = _long_grants(s, need, opp.funder)
    return {
        "/funders/{org_id}/grants": f"/funders/{quote(org)}/grants?area=Peterborough",
        "/recipients/{org_id}": f"/recipients/{quote(recipient)}",
        "/needs/{need_id}/partners": f"/needs/{need.id}/partners?call={opp.id}",
        "/opportunities/{opp_id}": f"/opportunities/{opp.id}",
        "/needs/{need_id}": f"/needs/{need.id}",
        "/needs/{need_id}/edit": f"/needs/{need.id}/edit",
        "/bids/{bid_id}": f"/bids/{bid.id}",
        "/bids/{bid_id}/confirm": f"/bids/{bid.id}/confirm?status=withdrawn&back=/bids&note="
                                  + quote("The partnership board pulled out; see " + LONG_URL),
        "/sources/{source_id}": f"/sources/{source.id}",
        "/sources/{source_id}/edit": f"/sources/{source.id}/edit",
        "/sources/{source_id}/remove": f"/sources/{source.id}/remove",
        "/users/{user_id}": f"/users/{long_user.id}",
        "/users/{user_id}/disable": f"/users/{long_user.id}/disable",
        "/actions/{token}": f"/actions/{token}",
        "/calendar/{token}.ics": f"/calendar/{admin.calendar_token}.ics",
        "/opportunities/{opp_id}/decide": f"/opportunities/{opp.id}/decide?need_id={need.id}",
        "/matches/{match_id}/dismiss": f"/matches/{match.id}/dismiss?back=/needs/{need.id}",
        "/reports/{section}.csv": "/reports/funder.csv",
        "/email/preferences/{token}": f"/email/preferences/{preferences}",
        "/email/unsubscribe/{token}": f"/email/unsubscribe/{preferences}",
    }
