"""Wording banks: how UK funders write facts, each phrasing paired with the truth it states.

Written from real UK funder pages (PCC community safety funds, community foundations,
council small grants, National Lottery-style programmes, GOV.UK Find a grant), never from
what the tracker's extractor handles.
"""

# ruff: noqa: E501  (long lines are page text and markup, kept whole to read as the page does)
from __future__ import annotations

import html
from datetime import date, timedelta

AS_OF = date(2026, 11, 26)
# Open calls close inside this window (as the devset's check.py asks), so that a day's
# difference between as_of and the real date cannot change any truth.
OPEN_FROM, OPEN_TO = date(2027, 6, 1), date(2028, 6, 30)
CLOSED_FROM, CLOSED_TO = date(2024, 3, 1), date(2026, 5, 29)
OPENS_PAST = (date(2026, 6, 1), date(2026, 11, 20))
OPENS_FUTURE = (date(2026, 12, 7), date(2027, 5, 28))

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def rand_date(rng, lo: date, hi: date, weekday_only: bool = True) -> date:
    while True:
        d = lo + timedelta(days=rng.randrange((hi - lo).days + 1))
        if not weekday_only or d.weekday() < 5:
            return d


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# date styles; "noyear" is only used where the next such day after as_of is the date meant
DATE_STYLES = [
    "long",
    "weekday",
    "weekday_comma",
    "ordinal",
    "slash",
    "dots2",
    "us",
    "short_month",
    "noyear",
    "ordinal_of",
]


def fmt_date(d: date, style: str) -> str:
    month, day = MONTHS[d.month - 1], d.day
    return {
        "long": f"{day} {month} {d.year}",
        "weekday": f"{DAYS[d.weekday()]} {day} {month} {d.year}",
        "weekday_comma": f"{DAYS[d.weekday()]}, {day} {month} {d.year}",
        "ordinal": f"{ordinal(day)} {month} {d.year}",
        "ordinal_of": f"{ordinal(day)} of {month} {d.year}",
        "slash": f"{day:02d}/{d.month:02d}/{d.year}",
        "dots2": f"{day:02d}.{d.month:02d}.{d.year % 100:02d}",
        "us": f"{month} {day}, {d.year}",
        "short_month": f"{day} {month[:3]} {d.year}",
        "noyear": f"{day} {month}",
    }[style]


def noyear_ok(d: date) -> bool:
    """A year-less date means the next such day on or after as_of: only then may we drop the year."""
    try:
        nxt = d.replace(year=AS_OF.year)
    except ValueError:
        return False
    if nxt < AS_OF:
        nxt = nxt.replace(year=AS_OF.year + 1)
    return nxt == d


def draw_date_style(rng, d: date) -> str:
    styles = [s for s in DATE_STYLES if s != "noyear" or noyear_ok(d)]
    weights = {"long": 6, "weekday": 3, "ordinal": 3, "slash": 2}
    return rng.choices(styles, [weights.get(s, 1) for s in styles])[0]


# times: (text, "HH:MM" or None). Midnight reads as the day itself (devset convention), so no time.
TIMES = [
    ("12 noon", "12:00"),
    ("midday", "12:00"),
    ("12pm", "12:00"),
    ("12:00pm", "12:00"),
    ("noon", "12:00"),
    ("5pm", "17:00"),
    ("5.00pm", "17:00"),
    ("17:00", "17:00"),
    ("11:59pm", "23:59"),
    ("23:59", "23:59"),
    ("10am", "10:00"),
    ("4pm", "16:00"),
    ("9am", "09:00"),
    ("midnight", None),
    ("3pm", "15:00"),
]


def with_time(rng, date_text: str, time_text: str) -> str:
    return rng.choice(
        [
            f"{time_text} on {date_text}",
            f"{date_text} at {time_text}",
            f"{time_text}, {date_text}",
            f"{date_text}, {time_text}",
            f"{date_text} ({time_text})",
        ]
    )


# ---------------------------------------------------------------- money
def fmt_money(v: int, style: str) -> str:
    if style == "k" and v >= 1000 and v % 1000 == 0 and v < 1_000_000:
        return f"£{v // 1000}k"
    if style == "K" and v >= 1000 and v % 1000 == 0 and v < 1_000_000:
        return f"£{v // 1000}K"
    if style in ("m", "million") and v >= 1_000_000 and v % 100_000 == 0:
        n = v / 1_000_000
        n_text = f"{n:g}"
        return f"£{n_text}m" if style == "m" else f"£{n_text} million"
    if style == "pence":
        return f"£{v:,}.00"
    return f"£{v:,}"


def money_style(rng, v: int) -> str:
    if v >= 1_000_000 and v % 100_000 == 0:
        return rng.choice(["m", "million", "plain"])
    return rng.choices(["plain", "k", "K", "pence"], [8, 3, 1, 1])[0]


AMOUNT_STEPS = [
    250,
    300,
    500,
    750,
    1000,
    1500,
    2000,
    2500,
    3000,
    5000,
    7500,
    10000,
    15000,
    20000,
    25000,
    30000,
    40000,
    50000,
    75000,
    100000,
    150000,
    250000,
]
POTS = [
    20000,
    40000,
    50000,
    75000,
    100000,
    150000,
    200000,
    250000,
    400000,
    500000,
    750000,
    1000000,
    1500000,
    2000000,
    2500000,
    5000000,
    10000000,
]


def cap_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def amount_phrases(rng, lo: int | None, hi: int | None) -> tuple[str, str, str]:
    """(wording id, sentence for prose, short value for a facts row) for a grant range."""
    style = money_style(rng, hi or lo or 0)  # one style per phrase, as a writer keeps to one

    def m(v: int) -> str:
        return fmt_money(v, style)

    if lo and hi:
        kind, value = rng.choice(
            [
                ("between", f"between {m(lo)} and {m(hi)}"),
                ("to", f"{m(lo)} to {m(hi)}"),
                ("dash", f"{m(lo)}\u2013{m(hi)}"),
                ("hyphen", f"{m(lo)} - {m(hi)}"),
                ("from_up_to", f"from {m(lo)} up to {m(hi)}"),
                ("min_max", f"a minimum of {m(lo)} and a maximum of {m(hi)}"),
                ("usually_between", f"usually between {m(lo)} and {m(hi)}"),
                ("min_max_short", f"minimum {m(lo)}, maximum {m(hi)}"),
            ]
        )
        if kind == "min_max_short":
            return kind, f"Minimum grant {m(lo)}; maximum grant {m(hi)}.", cap_first(value)
        sentence = rng.choice(
            [
                f"You can apply for {value}.",
                f"Grants of {value} are available.",
                f"We award grants of {value}.",
                f"Organisations can bid for {value}.",
                f"Funding of {value} is available for each project.",
            ]
        )
        return kind, sentence, value[0].upper() + value[1:] if value[0].islower() else value
    if hi:
        kind, value = rng.choice(
            [
                ("up_to", f"up to {m(hi)}"),
                ("maximum", f"a maximum of {m(hi)}"),
                ("no_more", f"no more than {m(hi)}"),
                ("pct_costs", f"100% of eligible costs, up to {m(hi)}"),
                ("any_amount", f"any amount up to {m(hi)}"),
            ]
        )
        if kind == "pct_costs":
            return kind, f"We can fund {value}.", value[0].upper() + value[1:]
        sentence = rng.choice(
            [
                f"You can apply for {value}.",
                f"Grants of {value} are available.",
                f"We will fund projects with {value} each.",
                f"Each organisation can request {value}.",
                f"The maximum grant is {m(hi)}.",
            ]
        )
        return kind, sentence, value[0].upper() + value[1:]
    if lo:
        value = rng.choice([f"{m(lo)} or more", f"from {m(lo)}", f"at least {m(lo)}"])
        return "min_only", f"Grants start at {m(lo)}; you can apply for {value}.", value[0].upper() + value[1:]
    return "none", "", ""


def pot_phrases(rng, pot: int) -> tuple[str, str]:
    v = fmt_money(pot, money_style(rng, pot))
    return (
        rng.choice(
            [
                f"The fund has a total pot of {v}.",
                f"A total of {v} is available.",
                f"{v} is available in total.",
                f"There is {v} to award this year.",
                f"The total budget for this round is {v}.",
                f"We have {v} to distribute.",
            ]
        ),
        v,
    )


# ---------------------------------------------------------------- organisations
ORG_WORDS = {
    "local_authority": [
        "local authorities",
        "county and district councils",
        "unitary authorities",
        "borough and district councils",
    ],
    "town_parish_council": ["town and parish councils", "parish councils", "town councils", "parish and town councils"],
    "police": ["police forces", "Police and Crime Commissioners", "police services"],
    "charity": ["registered charities", "charities", "charitable incorporated organisations (CIOs)"],
    "community_group": [
        "constituted community groups",
        "voluntary and community groups",
        "residents\u2019 associations",
        "community groups with a written constitution",
    ],
    "social_enterprise": [
        "community interest companies (CICs)",
        "social enterprises",
        "community benefit societies",
        "CICs",
    ],
    "school": ["schools", "schools and academies", "schools and colleges"],
    "university": ["universities", "universities and research organisations"],
    "health_body": ["NHS trusts", "NHS bodies", "integrated care boards"],
    "faith_group": ["faith groups", "churches and other faith organisations", "faith-based organisations"],
    "business": ["businesses", "private companies", "profit-making businesses", "sole traders"],
    "individual": ["individuals", "private individuals", "individual people"],
}


def org_list(rng, keys: list[str]) -> list[str]:
    return [rng.choice(ORG_WORDS[k]) for k in keys]


def join_and(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


# ---------------------------------------------------------------- themes
THEME_WORDS = {
    "community_safety": [
        "help neighbourhoods feel safer",
        "improve community safety",
        "make local streets and parks safer",
    ],
    "crime_prevention": ["prevent crime", "reduce crime and disorder", "stop crime before it happens"],
    "serious_violence": [
        "reduce serious violence and knife crime",
        "tackle serious violence",
        "keep young people away from weapons and violence",
    ],
    "organised_crime": [
        "disrupt county lines and organised crime",
        "tackle serious and organised crime",
        "protect communities from drug dealing gangs",
    ],
    "drugs_alcohol": [
        "reduce drug and alcohol misuse",
        "support people recovering from drug or alcohol addiction",
        "reduce harm from drugs and alcohol",
    ],
    "youth": [
        "give young people positive things to do",
        "run youth work and diversionary activities for young people",
        "support children and young people aged 10 to 25",
    ],
    "antisocial_behaviour": [
        "tackle anti-social behaviour",
        "reduce anti-social behaviour",
        "reduce nuisance and anti-social behaviour in town centres",
    ],
    "vawg": [
        "improve the safety of women and girls",
        "tackle violence against women and girls",
        "make women and girls safer at night",
    ],
    "domestic_abuse": [
        "support survivors of domestic abuse",
        "prevent domestic abuse",
        "help families affected by domestic abuse",
    ],
    "victims": [
        "support victims and witnesses of crime",
        "help victims of crime cope and recover",
        "offer practical and emotional support to victims of crime",
    ],
    "exploitation": [
        "protect children from criminal and sexual exploitation",
        "tackle modern slavery and cuckooing",
        "safeguard young people at risk of exploitation",
    ],
    "community_cohesion": [
        "bring communities together and tackle hate crime",
        "build community cohesion",
        "build trust between different communities",
    ],
    "situational_prevention": [
        "install CCTV, street lighting or alley gates",
        "design out crime with better lighting and gating",
        "improve CCTV coverage and street lighting",
    ],
    "road_safety": [
        "improve road safety",
        "run road safety and speed awareness schemes",
        "make roads safer for pedestrians and cyclists",
    ],
    "sport_physical_activity": [
        "help people get active through sport",
        "support grassroots sport and physical activity",
        "get inactive people moving",
    ],
    "arts_culture": [
        "support arts and cultural activity",
        "fund creative arts projects",
        "bring people together through music, theatre and art",
    ],
    "heritage": [
        "protect and share local heritage",
        "look after heritage buildings and local history",
        "restore historic buildings",
    ],
    "health_wellbeing": [
        "improve mental health and wellbeing",
        "support health and wellbeing",
        "reduce loneliness and improve mental health",
    ],
    "housing_homelessness": [
        "prevent homelessness",
        "support people at risk of homelessness",
        "help rough sleepers into secure housing",
    ],
    "employment_skills": [
        "help people into work and training",
        "improve employability and skills",
        "help young people find jobs and apprenticeships",
    ],
    "education": [
        "support learning and education",
        "improve educational attainment",
        "help children catch up with learning",
    ],
    "environment_climate": [
        "improve green spaces and nature",
        "tackle climate change locally",
        "cut carbon emissions and protect nature",
    ],
    "research_innovation": [
        "fund research and innovation",
        "support applied research",
        "test new ideas through research",
    ],
    "business_growth": ["help small businesses grow", "support business growth", "help local firms expand"],
}
THEME_TITLE = {
    "community_safety": ["Community Safety", "Safer Neighbourhoods", "Safer Communities"],
    "crime_prevention": ["Crime Prevention", "Crime Reduction"],
    "serious_violence": ["Serious Violence", "Knife Crime", "Violence Reduction"],
    "organised_crime": ["County Lines", "Organised Crime Disruption"],
    "drugs_alcohol": ["Substance Misuse", "Drug and Alcohol Recovery"],
    "youth": ["Youth Diversion", "Young People's", "Youth Activities"],
    "antisocial_behaviour": ["Anti-Social Behaviour", "ASB Hotspot"],
    "vawg": ["Women's Safety", "Safer Nights", "VAWG"],
    "domestic_abuse": ["Domestic Abuse", "Safe at Home"],
    "victims": ["Victims' Services", "Victim Support"],
    "exploitation": ["Child Exploitation", "Modern Slavery"],
    "community_cohesion": ["Community Cohesion", "Hate Crime", "Stronger Communities"],
    "situational_prevention": ["Safer Streets", "Designing Out Crime", "CCTV"],
    "road_safety": ["Road Safety", "Safer Roads"],
    "sport_physical_activity": ["Sport", "Active Communities"],
    "arts_culture": ["Arts", "Creative Communities"],
    "heritage": ["Heritage", "Local History"],
    "health_wellbeing": ["Wellbeing", "Healthy Communities"],
    "housing_homelessness": ["Homelessness Prevention", "Housing Support"],
    "employment_skills": ["Skills", "Employment Support"],
    "education": ["Education", "Learning"],
    "environment_climate": ["Green Spaces", "Climate Action"],
    "research_innovation": ["Research", "Innovation"],
    "business_growth": ["Business Growth", "Enterprise"],
}
FUND_NOUNS = [
    "Fund",
    "Grants",
    "Grant Scheme",
    "Small Grants",
    "Programme",
    "Awards",
    "Grants Programme",
    "Community Fund",
    "Challenge Fund",
    "Small Grants Scheme",
]
# themes typical of each funder kind
THEMES_BY_KIND = {
    "pcc": [
        "community_safety",
        "crime_prevention",
        "serious_violence",
        "organised_crime",
        "drugs_alcohol",
        "youth",
        "antisocial_behaviour",
        "vawg",
        "domestic_abuse",
        "victims",
        "exploitation",
        "community_cohesion",
        "situational_prevention",
        "road_safety",
    ],
    "council": [
        "community_safety",
        "antisocial_behaviour",
        "community_cohesion",
        "youth",
        "arts_culture",
        "heritage",
        "sport_physical_activity",
        "environment_climate",
        "health_wellbeing",
        "housing_homelessness",
    ],
    "foundation": [
        "youth",
        "health_wellbeing",
        "community_cohesion",
        "arts_culture",
        "employment_skills",
        "housing_homelessness",
        "environment_climate",
        "victims",
        "domestic_abuse",
        "education",
    ],
    "lottery": [
        "community_cohesion",
        "health_wellbeing",
        "youth",
        "environment_climate",
        "employment_skills",
        "arts_culture",
        "heritage",
    ],
    "government": [
        "serious_violence",
        "situational_prevention",
        "vawg",
        "crime_prevention",
        "antisocial_behaviour",
        "exploitation",
        "drugs_alcohol",
        "research_innovation",
        "business_growth",
        "community_safety",
    ],
    "trust": [
        "youth",
        "arts_culture",
        "heritage",
        "education",
        "health_wellbeing",
        "victims",
        "vawg",
        "domestic_abuse",
    ],
}
ORGS_BY_KIND = {
    "pcc": (
        [
            "charity",
            "community_group",
            "social_enterprise",
            "faith_group",
            "town_parish_council",
            "local_authority",
            "school",
        ],
        ["individual", "business", "police"],
    ),
    "council": (
        ["community_group", "charity", "town_parish_council", "social_enterprise", "faith_group", "school"],
        ["individual", "business", "local_authority"],
    ),
    "foundation": (
        ["charity", "community_group", "social_enterprise", "faith_group"],
        ["individual", "business", "local_authority", "school"],
    ),
    "lottery": (
        ["charity", "community_group", "social_enterprise", "school", "town_parish_council", "faith_group"],
        ["individual", "business"],
    ),
    "government": (
        ["local_authority", "police", "charity", "health_body", "university", "business"],
        ["individual", "town_parish_council"],
    ),
    "trust": (
        ["charity", "community_group", "social_enterprise", "school"],
        ["individual", "business", "local_authority"],
    ),
}
SURNAMES = [
    "Wrenfield",
    "Ashcombe",
    "Hartley",
    "Pennington",
    "Thornbury",
    "Coldwell",
    "Marlowe",
    "Fairbrother",
    "Latimer",
    "Ellison",
    "Brackley",
    "Underwood",
    "Kingsley",
    "Oakhampton",
    "Radcliffe",
    "Stanway",
]
PEOPLE = [
    "Jo Harper",
    "Sam Okafor",
    "Priya Shah",
    "Tom Wright",
    "Helen Doyle",
    "Ade Bello",
    "Ruth Evans",
    "Mark Ellis",
    "Kerry Nolan",
    "Imran Hussain",
]
ORG_NAMES = [
    "Riverside Youth Club",
    "St Mark's Community Hub",
    "Northfield Residents' Association",
    "Open Door Advice CIC",
    "Women's Aid Refuge",
    "Hope Street Boxing Club",
    "Canal Side Allotments",
    "Youth Matters Trust",
    "Safe Haven Domestic Abuse Service",
    "Eastgate Men's Shed",
    "Brook Lane Tenants' Group",
    "Unity Faith Forum",
    "Streetwise Outreach",
    "Grange Park Football Club",
]
