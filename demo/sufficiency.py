"""Demo sufficiency data: fictional council areas, neighbours, capacity, forecasts, a run and statements.

Loaded through the sufficiency services, so the trail is real. The demo
councils are fictional (Northmere, Calderbrook, Ashdown, Glanafon): their
areas are added here, marked as demo areas, and never appear in the shipped
reference list. The figures are chosen to show one clear local gap (children
with very high needs that challenge in Northmere, whose own homes cannot meet
them) and one area with spare places (fostering in Calderbrook).
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accounts.models import User
from core.clock import utcnow
from core.extensions import db
from sufficiency import analysis, areas, capacity, forecasts, statements
from sufficiency.models import Area

DEMO_SOURCE = "Demo data: fictional councils, not in the ONS register"
DEMO_AREAS = [
    areas.AreaRow("E10000099", "Northmere", "North West"),
    areas.AreaRow("E08000099", "Calderbrook", "North West"),
    areas.AreaRow("E06000099", "Ashdown", "North West"),
    areas.AreaRow("W06000099", "Glanafon", "Wales"),
]
NEIGHBOURS = {"E10000099": {"E08000099": "geographic", "E06000099": "geographic"},
              "E08000099": {"E10000099": "geographic", "E06000099": "statistical"},
              "E06000099": {"E10000099": "geographic", "E08000099": "statistical"}}

# provider's email, setting name, area, kind, needs met, highest intensity, places, ages, vacancies
SETTINGS = [
    ("daniel.brooks@meadowbank.example", "Meadowbank House", "E08000099", "childrens_home",
     ["emotional_wellbeing", "behaviour", "safety"], "high", 8, (10, 17), 1),
    ("daniel.brooks@meadowbank.example", "Meadowbank Lodge", "E10000099", "childrens_home",
     ["behaviour", "safety", "family"], "medium", 6, (11, 17), 0),
    ("fatima.rahman@harbourlights.example", "Harbour Lights carers (Calderbrook)", "E08000099",
     "independent_fostering_agency", ["emotional_wellbeing", "family"], "medium", 45, (0, 17), 9),
    ("chris.walsh@northernoak.example", "Northern Oak Residential School", "E06000099",
     "residential_special_school", ["communication", "cognition", "sensory_physical"], "high", 24, (7, 19), 2),
    ("aisha.karim@willowcare.example", "Willow House", "E06000099", "childrens_home",
     ["emotional_wellbeing", "behaviour"], "very_high", 4, (12, 17), 0),
    ("graham.pike@fellside.example", "Fellside View", "E10000099", "childrens_home",
     ["emotional_wellbeing", "safety"], "high", 6, (10, 17), 1),
    ("mark.lindqvist@bridgeway.example", "Bridgeway Flats", "E08000099", "supported_accommodation",
     ["independence"], "medium", 12, (16, 17), 3),
    ("sian.morgan@cartrefteulu.example", "Cartref Teulu carers", "W06000099", "independent_fostering_agency",
     ["emotional_wellbeing", "family"], "medium", 30, (0, 17), 4),
]

# commissioner's email -> forecast lines (area, category, intensity, horizon, count)
FORECASTS = {
    "priya.shah@northmere.example": [
        ("E10000099", "behaviour", "very_high", "now", 19),
        ("E10000099", "safety", "high", "now", 20),
        ("E10000099", "independence", "medium", "12_months", 9),
    ],
    "amara.okafor@calderbrook.example": [
        ("E08000099", "family", "medium", "now", 14),
        ("E08000099", "emotional_wellbeing", "medium", "now", 12),
    ],
    "lewis.grant@ashdown.example": [
        ("E06000099", "communication", "high", "now", 11),
        ("E06000099", "cognition", "high", "3_years", 8),
    ],
    "gareth.evans@glanafon.example": [
        ("W06000099", "family", "medium", "now", 16),
        ("W06000099", "emotional_wellbeing", "high", "now", 7),
    ],
}

STATEMENTS = {
    "priya.shah@northmere.example": (
        "Northmere market position statement 2026 to 2029",
        ("## Where we are\n\nNorthmere has too few homes for young people whose needs challenge most: most are "
        "placed outside the county today. We want to work with providers to open **two small local homes** for "
        "children with very high needs by 2028.\n\n## What we ask of providers\n\n- Talk to us in the "
        "residential care forum before April.\n- Tell us what would make a home in Northmere viable.")),
    "amara.okafor@calderbrook.example": (
        "Calderbrook market position statement 2026",
        ("Calderbrook has more foster carers than our children need: we welcome carers from neighbouring "
        "councils, and we want to grow **therapeutic fostering** for children with higher needs.")),
    "lewis.grant@ashdown.example": (
        "Ashdown market position statement 2026",
        ("Most children with communication and learning needs can be educated and cared for within Ashdown. "
        "We expect demand for cognition and learning support to rise over the next three years.")),
    "gareth.evans@glanafon.example": (
        "Glanafon sufficiency plan 2026 to 2027",
        ("Our annual sufficiency plan: we will grow not-for-profit fostering and keep children close to their "
        "families and communities, in line with the Welsh programme to remove profit from children's care.")),
    "helen.ward@consortium.example": (
        "Pennine and Dales consortium market position statement",
        ("The three councils of the consortium commission residential care and fostering together. The gap is "
        "in homes for children with very high needs; fostering has spare capacity across the three areas.")),
}


def _user(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    if found is None:
        raise RuntimeError(f"The demo person {email} is missing: load the accounts demo first")
    return found


def _csv(lines: list[tuple[str, str, str, str, int]]) -> bytes:
    rows = ["area,category,intensity,horizon,count"] + [",".join(map(str, line)) for line in lines]
    return ("\n".join(rows) + "\n").encode()


def load_sufficiency_demo(admin: User) -> None:
    areas.load_areas(DEMO_AREAS, DEMO_SOURCE, actor=admin, demo=True)
    for code, neighbours in NEIGHBOURS.items():
        areas.set_neighbours(db.session.get_one(Area, code), neighbours, admin)
    confirmed = (utcnow() - timedelta(days=2)).date()
    for email, name, area, kind, needs, intensity, places, (age_from, age_to), vacancies in SETTINGS:
        capacity.declare_setting(_user(email), capacity.SettingDetails(
            name=name, area_code=area, setting_type=kind, categories=needs, highest_intensity=intensity,
            registered_places=places, age_from=age_from, age_to=age_to, vacancies=vacancies,
            vacancies_confirmed_on=confirmed))
    for email, lines in FORECASTS.items():
        forecasts.upload_forecast(_user(email), title="Demand forecast, autumn 2026", filename="forecast.csv",
                                  data=_csv(lines))
    run = analysis.run_analysis(_user("helen.ward@consortium.example"), name="Autumn 2026 sufficiency review")
    for email, (title, narrative) in STATEMENTS.items():
        statements.publish_statement(_user(email), title=title, narrative_md=narrative, run=run)
