"""Demo data drawn from the seed reports' settings, loaded through the services.

Everything here is fictional: councils, providers and people are invented, so
no real organisation is shown saying anything. Every row is created by the
same service a person would use, so the audit trail of the demo is real too.
"""
from __future__ import annotations

from collections.abc import Callable

import pyotp
from sqlalchemy import select

from accounts import services as accounts
from accounts.models import Organisation, User
from core.extensions import db

DEMO_PASSWORD = "Open-Commissioning-2026"
# Published in the README so a newcomer can add them to an authenticator app.
DEMO_TOTP_SECRETS = {
    "admin@commons.example": "JBSWY3DPEHPK3PXPADMINAAAAAAAAAAA",
    "priya.shah@northmere.example": "JBSWY3DPEHPK3PXPNORTHMEREAAAAAAA",
    "tom.hughes@northmere.example": "JBSWY3DPEHPK3PXPNORTHMEREBBBBBBB",
    "owen.clarke@northmere.example": "JBSWY3DPEHPK3PXPNORTHMERECCCCCCC",
    "gareth.evans@glanafon.example": "JBSWY3DPEHPK3PXPGLANAFONAAAAAAAA",
    "eleri.jones@glanafon.example": "JBSWY3DPEHPK3PXPGLANAFONBBBBBBBB",
    "amara.okafor@calderbrook.example": "JBSWY3DPEHPK3PXPCALDERBROOKAAAAA",
    "lewis.grant@ashdown.example": "JBSWY3DPEHPK3PXPASHDOWNAAAAAAAAA",
    "helen.ward@consortium.example": "JBSWY3DPEHPK3PXPCONSORTIUMAAAAAA",
    "sam.patel@audit.example": "JBSWY3DPEHPK3PXPAUDITAAAAAAAAAAA",
}

COUNCILS = [
    # name, council, region, GSS code (fictional), people
    ("Northmere County Council Children's Commissioning", "Northmere County Council", "North West", "E10000099",
     [("Priya Shah", "priya.shah@northmere.example", "Head of Children's Commissioning"),
      ("Tom Hughes", "tom.hughes@northmere.example", "Commissioning Manager, Placements"),
      ("Owen Clarke", "owen.clarke@northmere.example", "Commissioning Officer, Quality and Contracts")]),
    ("Calderbrook Metropolitan Borough Council Commissioning", "Calderbrook Metropolitan Borough Council",
     "North West", "E08000099",
     [("Amara Okafor", "amara.okafor@calderbrook.example", "Strategic Commissioner, SEND")]),
    ("Ashdown Borough Council Commissioning", "Ashdown Borough Council", "North West", "E06000099",
     [("Lewis Grant", "lewis.grant@ashdown.example", "Commissioning Officer")]),
    ("Glanafon County Council Children's Commissioning", "Glanafon County Council", "Wales", "W06000099",
     [("Gareth Evans", "gareth.evans@glanafon.example", "Commissioning Lead, Children's Services"),
      ("Eleri Jones", "eleri.jones@glanafon.example", "Commissioning Officer, Children's Homes")]),
]

CONSORTIUM = ("Pennine and Dales Children's Commissioning Consortium", "North West",
              ["Northmere County Council Children's Commissioning",
               "Calderbrook Metropolitan Borough Council Commissioning",
               "Ashdown Borough Council Commissioning"],
              ("Helen Ward", "helen.ward@consortium.example", "Consortium Programme Manager"))

PROVIDERS = [
    # name, type, region, identifiers (fictional), person, verified
    (
        "Meadowbank Children's Homes Ltd",
        "independent",
        "North West",
        {"ofsted_urn": "SC999001", "companies_house_number": "09990001"},
        ("Daniel Brooks", "daniel.brooks@meadowbank.example", "Responsible Individual"),
        True,
    ),
    (
        "Harbour Lights Fostering",
        "voluntary",
        "North West",
        {"ofsted_urn": "SC999002", "charity_number": "1199002"},
        ("Fatima Rahman", "fatima.rahman@harbourlights.example", "Registered Manager"),
        True,
    ),
    (
        "Northern Oak Residential School",
        "independent",
        "North West",
        {"ofsted_urn": "SC999003", "companies_house_number": "09990003"},
        ("Chris Walsh", "chris.walsh@northernoak.example", "Principal"),
        True,
    ),
    (
        "Stepping Stones Short Breaks",
        "voluntary",
        "North West",
        {"charity_number": "1199004"},
        ("Ruth Adeyemi", "ruth.adeyemi@steppingstones.example", "Service Director"),
        True,
    ),
    (
        "Bridgeway Supported Living 16+",
        "independent",
        "North West",
        {"companies_house_number": "09990005"},
        ("Mark Lindqvist", "mark.lindqvist@bridgeway.example", "Operations Director"),
        True,
    ),
    (
        "Willow Therapeutic Care",
        "independent",
        "North West",
        {"ofsted_urn": "SC999006"},
        ("Dr Aisha Karim", "aisha.karim@willowcare.example", "Clinical Lead"),
        True,
    ),
    (
        "Cartref Teulu Fostering",
        "voluntary",
        "Wales",
        {"charity_number": "1199007"},
        ("Siân Morgan", "sian.morgan@cartrefteulu.example", "Head of Fostering"),
        True,
    ),
    (
        "Brightpath SEND Day Services",
        "independent",
        "North West",
        {"companies_house_number": "09990008"},
        ("Olu Bankole", "olu.bankole@brightpath.example", "Managing Director"),
        True,
    ),
    (
        "Riverside Transitions CIC",
        "voluntary",
        "North West",
        {"companies_house_number": "09990009"},
        ("Jess Thornton", "jess.thornton@riverside.example", "Director"),
        True,
    ),
    (
        "Fellside Care Group",
        "independent",
        "North West",
        {"ofsted_urn": "SC999010"},
        ("Graham Pike", "graham.pike@fellside.example", "Commercial Director"),
        True,
    ),
    (
        "Little Acorns Family Support",
        "voluntary",
        "North West",
        {},
        ("Nadia Hussain", "nadia.hussain@littleacorns.example", "Founder"),
        False,
    ),
]

# Each demo organisation's legal form (fictional, like everything here).
DEMO_LEGAL_FORMS = {
    "Meadowbank Children's Homes Ltd": "company_limited_by_shares",
    "Harbour Lights Fostering": "charity",
    "Northern Oak Residential School": "company_limited_by_shares",
    "Stepping Stones Short Breaks": "charity",
    "Bridgeway Supported Living 16+": "company_limited_by_shares",
    "Willow Therapeutic Care": "partnership",
    "Cartref Teulu Fostering": "charity",
    "Brightpath SEND Day Services": "company_limited_by_shares",
    "Riverside Transitions CIC": "cic",
    "Fellside Care Group": "company_limited_by_shares",
}

IN_HOUSE = ("Calderbrook Council In-House Children's Homes", "Calderbrook Metropolitan Borough Council", "North West",
            ("Joanne Fisher", "joanne.fisher@calderbrook-homes.example", "Registered Manager, In-House Homes"))

AUDITOR = ("Northern Public Audit Partnership", "North West",
           ("Sam Patel", "sam.patel@audit.example", "Audit Manager"))


def _enable_totp(user: User) -> None:
    secret = DEMO_TOTP_SECRETS.get(user.email)
    if secret:
        accounts.enable_totp(user, secret, pyotp.TOTP(secret).now())


def _person(org: Organisation, person: tuple[str, str, str], admin: User, role: str | None) -> User:
    full_name, email, job_title = person
    user = accounts.register(full_name=full_name, email=email, password=DEMO_PASSWORD, job_title=job_title,
                             organisation=org)
    if user is None:  # load_demo runs on an empty database only, so this is a bug, not a visitor
        raise RuntimeError(f"{email} already has an account: the demo cannot be loaded twice")
    accounts.admin_confirm_email(user, admin, reason="Demo data: address confirmed at installation")
    if role and user.role != role:
        accounts.assign_role(user, role, admin)
    _enable_totp(user)
    return user


def load_demo(progress: Callable[[int], None] = lambda n: None) -> bool:
    """Load the demo once; returns False if it was already there."""
    if db.session.scalar(select(User.id).where(User.email == "admin@commons.example")):
        return False
    admin = accounts.create_admin(email="admin@commons.example", full_name="Alex Morgan", password=DEMO_PASSWORD)
    _enable_totp(admin)
    progress(1)

    units: dict[str, Organisation] = {}
    for name, council, region, gss, people in COUNCILS:
        org = accounts.create_organisation(accounts.NewOrganisation(
            name=name, kind="commissioning_unit", council=council, region=region, legal_form="public_body",
            about_md=f"The children's commissioning team of {council}. We buy care and education placements "
                     "for children we look after and children with special educational needs."), admin)
        accounts.verify_organisation(org, admin, gss_code=gss, note="Checked against the ONS register of councils")
        for person in people:
            _person(org, person, admin, "commissioner")
        units[name] = org
        progress(1)

    name, region, members, person = CONSORTIUM
    consortium = accounts.create_organisation(accounts.NewOrganisation(
        name=name, kind="consortium", region=region,
        about_md="Three councils commissioning residential and fostering placements together."), admin)
    accounts.set_consortium_members(consortium, [units[m] for m in members], admin)
    accounts.verify_organisation(consortium, admin, note="Consortium agreement seen; members are verified councils")
    _person(consortium, person, admin, "commissioner")
    progress(1)

    for name, provider_type, region, identifiers, person, verified in PROVIDERS:
        org = accounts.create_organisation(accounts.NewOrganisation(
            name=name, kind="provider", provider_type=provider_type, region=region,
            legal_form=DEMO_LEGAL_FORMS.get(name)), None)
        _person(org, person, admin, None)
        if verified:
            accounts.verify_organisation(org, admin, **identifiers, note="Checked against Ofsted and Companies House")
        progress(1)

    name, council, region, person = IN_HOUSE
    in_house = accounts.create_organisation(accounts.NewOrganisation(
        name=name, kind="provider", provider_type="in_house", council=council, region=region, legal_form="public_body",
        about_md="The council's own children's homes, run separately from its commissioning team."), admin)
    accounts.verify_organisation(
        in_house, admin, ofsted_urn="SC999011", note="Council-run homes registered with Ofsted"
    )
    _person(in_house, person, admin, None)
    progress(1)

    name, region, person = AUDITOR
    auditors = accounts.create_organisation(
        accounts.NewOrganisation(name=name, kind="auditor_body", region=region), admin
    )
    accounts.verify_organisation(auditors, admin, note="Appointed internal auditor for the consortium councils")
    _person(auditors, person, admin, "auditor")
    progress(1)
    # Domain demo data below: one call per package, each loading through its services.
    from demo.forum import load_forum_demo

    load_forum_demo(admin)
    from demo.tenders import load_tenders_demo

    load_tenders_demo(admin)
    from demo.sufficiency import load_sufficiency_demo

    load_sufficiency_demo(admin)
    from core import clock
    from demo.outcomes import load_outcomes_demo

    load_outcomes_demo(clock.utcnow())
    from demo.benchmarking import load_benchmarking_demo

    load_benchmarking_demo(admin)
    _sign_first_checkpoint()
    return True


def _sign_first_checkpoint() -> None:
    """Sign the demo trail's head, so the auditor's checkpoint check and /audit/public-key.pem work at once.

    The same key and service as `flask audit checkpoint`: the key is made (mode 0600) at
    AUDIT_SIGNING_KEY_PATH on first use, and later checkpoints carry on from this one.
    """
    from trail import checkpoints

    key, _created = checkpoints.load_or_create_signing_key(checkpoints.signing_key_path())
    checkpoints.create_checkpoint(key)


DEMO_STEPS = 1 + len(COUNCILS) + 1 + len(PROVIDERS) + 1 + 1
