"""Organisations: registering one, its legal form, verification (Ofsted URN, Companies House) and a consortium's
members."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

import trail
from accounts import policy
from accounts.models import LEGAL_FORMS, ORG_KINDS, PROVIDER_TYPES, Organisation, User
from accounts.notifications import notify
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.urls import external_url, url_for_path
from trail.events import record_refusal
from trail.outbox import queue_email


@dataclass
class NewOrganisation:
    name: str
    kind: str
    provider_type: str | None = None
    council: str | None = None
    region: str | None = None
    website: str | None = None
    about_md: str = ""
    legal_form: str | None = None  # a key of LEGAL_FORMS, optional at registration


def create_organisation(details: NewOrganisation, actor: User | None = None) -> Organisation:
    name = " ".join((details.name or "").split())
    if not name:
        raise RuleViolation({"org_name": "Enter the name of your organisation"})
    if details.kind not in ORG_KINDS or details.kind == "operator" and actor is not None:
        raise RuleViolation({"org_kind": "Select what kind of organisation it is"})
    if details.kind == "provider" and details.provider_type not in PROVIDER_TYPES:
        raise RuleViolation({"provider_type": "Select what kind of provider it is"})
    if details.provider_type == "in_house" and not (details.council or "").strip():
        raise RuleViolation({"council": "Enter the council the in-house provider unit belongs to"})
    if details.legal_form and details.legal_form not in LEGAL_FORMS:
        raise RuleViolation({"legal_form": "Select the organisation's legal form from the list"})
    exists = db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower()))
    if exists:
        raise RuleViolation({"org_name": f"{name} is already registered: choose it from the list instead"})
    org = Organisation(
        name=name,
        kind=details.kind,
        provider_type=details.provider_type if details.kind == "provider" else None,
        council=(details.council or "").strip() or None,
        region=(details.region or "").strip() or None,
        website=(details.website or "").strip() or None,
        about_md=details.about_md or "",
        about_html=render_markdown(details.about_md or ""),
        legal_form=details.legal_form or None,
        created_at=utcnow(),
    )
    db.session.add(org)
    db.session.flush()
    trail.record(
        "organisation.created",
        actor=actor,
        subject=org,
        audience="public",
        summary=f"Organisation registered: {org.name} ({org.kind_label})",
        payload={"name": org.name, "kind": org.kind, "provider_type": org.provider_type, "council": org.council,
                 "legal_form": org.legal_form},
    )
    return org


def set_legal_form(org: Organisation, actor: User, legal_form: str | None) -> Organisation:
    """Record the organisation's legal form (company, CIC, charity...): public, and shown on its profile."""
    if not policy.can_set_legal_form(actor, org):
        record_refusal(actor, "organisation.legal_form", "not a member of the organisation or an administrator",
                       detail={"organisation_id": org.id})
        raise NotPermitted("Only the organisation's own people or an administrator can record its legal form.")
    if legal_form not in LEGAL_FORMS:
        raise RuleViolation({"legal_form": "Select the organisation's legal form"})
    before = org.legal_form
    org.legal_form = legal_form
    db.session.flush()
    trail.record("organisation.legal_form_set", actor=actor, subject=org, audience="public",
                 summary=f"{org.name}'s legal form recorded: {org.legal_form_label}",
                 payload={"before": before, "after": legal_form})
    return org


def verify_organisation(org: Organisation, actor: User, *, ofsted_urn: str = "", companies_house_number: str = "",
                        charity_number: str = "", gss_code: str = "", note: str = "") -> Organisation:
    """An admin checks a public register and records what they checked."""
    if not policy.can_administer(actor):
        record_refusal(actor, "organisation.verify", "not an administrator", detail={"organisation_id": org.id})
        raise NotPermitted("Only administrators can verify organisations.")
    identifiers = {
        "ofsted_urn": ofsted_urn.strip(),
        "companies_house_number": companies_house_number.strip(),
        "charity_number": charity_number.strip(),
        "gss_code": gss_code.strip(),
    }
    if org.is_verified:
        raise RuleViolation({"": f"{org.name} is already verified"})
    if org.is_provider and not any(identifiers[k] for k in ("ofsted_urn", "companies_house_number", "charity_number")):
        raise RuleViolation(
            {"ofsted_urn": "Enter at least one of the Ofsted URN, Companies House number or charity number you checked"}
        )
    if org.is_commissioning and not identifiers["gss_code"] and not note.strip():
        raise RuleViolation({"gss_code": "Enter the council's GSS code, or say in the note how you checked it"})
    if not org.is_provider and not org.is_commissioning and not note.strip():
        raise RuleViolation({"note": "Say how you checked this organisation"})
    for key, value in identifiers.items():
        if value:
            setattr(org, key, value)
    org.verified_at = utcnow()
    org.verified_by_id = actor.id
    org.verification_note = note.strip() or None
    db.session.flush()
    trail.record(
        "organisation.verified",
        actor=actor,
        subject=org,
        audience="public",
        summary=f"{org.name} verified",
        payload={**{k: v for k, v in identifiers.items() if v}, "note": org.verification_note},
    )
    _tell_people_verified(org)
    return org


def _tell_people_verified(org: Organisation) -> None:
    """Everyone in the organisation learns it is verified: an email now, and a notification in the app."""
    people = list(db.session.scalars(
        select(User).where(User.organisation_id == org.id, User.is_suspended.is_(False)).order_by(User.id)))
    what_now = ("You can now submit responses to open tenders." if org.is_provider
                else "People in it can now be given their roles.")
    for person in people:
        queue_email(
            person.email,
            f"{org.name} is verified on Commissioning Commons",
            f"Hello {person.full_name},\n\nAn administrator has checked {org.name} and verified it. {what_now}\n\n"
            f"Open tenders: {external_url('tenders.index')}\n"
            f"Your organisation: {external_url('accounts.organisation', org_id=org.id)}\n",
        )
    notify(people, title=f"{org.name} is verified: "
                         + ("you can now respond to open tenders" if org.is_provider else "it can now take part fully"),
           url=url_for_path("accounts.organisation", org_id=org.id), event="organisation.verified")


def set_consortium_members(consortium: Organisation, members: list[Organisation], actor: User) -> Organisation:
    """Which councils commission together: their commissioners may run the consortium's forums."""
    if not policy.can_administer(actor):
        record_refusal(actor, "organisation.consortium_members", "not an administrator",
                       detail={"organisation_id": consortium.id})
        raise NotPermitted("Only administrators can change a consortium's members.")
    if consortium.kind != "consortium":
        raise RuleViolation({"": f"{consortium.name} is not a consortium"})
    if any(member.kind != "commissioning_unit" for member in members):
        raise RuleViolation({"members": "A consortium's members must be councils' commissioning units"})
    before = sorted(member.id for member in consortium.consortium_members)
    consortium.consortium_members = list(members)
    db.session.flush()
    trail.record("organisation.consortium_members_set", actor=actor, subject=consortium, audience="public",
                 summary=f"{consortium.name}: members now {', '.join(m.name for m in members) or 'none'}",
                 payload={"from": before, "to": sorted(member.id for member in members)})
    return consortium
