"""Declarations of interest and the conflicts assessment (PA23 ss.81-83), and the
quiet period that keeps commissioners' forum posts off a live tender (rule 5).

Everyone who acts in a procurement (its authors, the people who publish its
notices, its evaluators and moderator) declares: no interest, or an interest
described. A declaration holds for the stage it was made at, so each stage
change asks for it again. An owning commissioner then records the conflicts
assessment: who, what, and the mitigation for each interest declared (or that
none was identified) and the people its mitigation excludes. Both are
append-only. Without a current declaration nobody opens or scores the
responses, and the conflicts gate (`require_unconflicted`, its rule in
tenders.policy.conflicts.conflict_bar) keeps anyone with a declared interest
in a bidder, or excluded by the assessment, from opening, reading, scoring,
moderating and awarding. Without a complete assessment and a declaration from
everyone who has acted, the tender notice does not go out.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import selectinload

import trail
from accounts.models import Organisation, User, Viewer
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from tenders import policy
from tenders.models import (
    CLOSED_STAGES,
    STAGES,
    EvaluatorAssignment,
    Procurement,
    SpecVersion,
)
from tenders.models.conflicts import (
    ConflictDeclaration,
    ConflictsAssessment,
    ConflictsAssessmentEntry,
    ConflictsAssessmentExclusion,
)
from tenders.policy import conflicts as conflicts_policy
from tenders.services.common import refuse, require_stage
from trail.events import record_refusal
from trail.models import AuditEvent

# Audit actions that make their actor an approver (they put a notice or decision out).
APPROVER_ACTIONS = ("engagement.notice_published", "tender.published", "specification.changed",
                    "award.notice_published", "contract.entered")
# Audit actions that are not "acting in the procurement": a refused attempt, or the declaration itself.
NOT_ACTING = ("security.refused", "conflicts.declared")
# Declarations and assessments are taken at every stage but the closed ones.
OPEN_STAGES = tuple(stage for stage in STAGES if stage not in CLOSED_STAGES)


def declarations_path(procurement: Procurement) -> str:
    """A site-relative link to the declare page, buildable outside a request (services, CLI)."""
    return current_app.url_map.bind("localhost").build("tenders.conflicts_declarations",
                                                       {"procurement_id": procurement.id})


# ---------------------------------------------------------------- reading


def declarations_for(procurement: Procurement) -> list[ConflictDeclaration]:
    """Every declaration ever made on the procurement, newest first (the history)."""
    return list(db.session.scalars(select(ConflictDeclaration).where(
        ConflictDeclaration.procurement_id == procurement.id)
        .order_by(ConflictDeclaration.declared_at.desc(), ConflictDeclaration.id.desc())))


def current_declaration(procurement: Procurement, user: Viewer) -> ConflictDeclaration | None:
    """The person's latest declaration made at the procurement's current stage, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(ConflictDeclaration).where(
        ConflictDeclaration.procurement_id == procurement.id, ConflictDeclaration.user_id == user.id,
        ConflictDeclaration.stage == procurement.stage).order_by(ConflictDeclaration.id.desc()).limit(1))


def has_current_declaration(procurement: Procurement, user: Viewer) -> bool:
    return current_declaration(procurement, user) is not None


def roles_of(procurement: Procurement, user: User) -> list[str]:
    """The parts the person has played so far (keys of tenders.models.conflicts.ROLES)."""
    roles = []
    wrote = procurement.created_by_id == user.id or db.session.scalar(select(func.count(SpecVersion.id)).where(
        SpecVersion.procurement_id == procurement.id, SpecVersion.created_by_id == user.id))
    if wrote:
        roles.append("author")
    approved = db.session.scalar(select(func.count(AuditEvent.seq)).where(
        AuditEvent.procurement_id == procurement.id, AuditEvent.actor_user_id == user.id,
        AuditEvent.action.in_(APPROVER_ACTIONS)))
    if approved:
        roles.append("approver")
    assignment = db.session.scalar(select(EvaluatorAssignment).where(
        EvaluatorAssignment.procurement_id == procurement.id, EvaluatorAssignment.user_id == user.id))
    if assignment is not None:
        roles.append("evaluator")
        if assignment.is_moderator:
            roles.append("moderator")
    return roles


def acting_commissioners(procurement: Procurement) -> list[User]:
    """Commissioners of the owning organisation who have acted on the procurement, from its audit trail."""
    return _acting_commissioners([procurement])[procurement.id]


def _acting_commissioners(procurements: list[Procurement]) -> dict[int, list[User]]:
    """The same for many procurements in two queries (the attention dashboard asks about all live ones)."""
    by_id = {p.id: p for p in procurements}
    acted: dict[int, set[int]] = {p.id: set() for p in procurements}
    for procurement_id, user_id in db.session.execute(select(AuditEvent.procurement_id, AuditEvent.actor_user_id).where(
            AuditEvent.procurement_id.in_(list(by_id)), AuditEvent.actor_user_id.is_not(None),
            AuditEvent.action.not_in(NOT_ACTING)).distinct()):
        acted[procurement_id].add(user_id)
    wanted = set().union(*acted.values()) if acted else set()
    people = {person.id: person for person in db.session.scalars(
        select(User).where(User.id.in_(list(wanted))).options(selectinload(User.organisation)))}
    return {pid: sorted((people[uid] for uid in ids if uid in people
                         and policy.is_owner_commissioner(people[uid], by_id[pid])), key=lambda person: person.id)
            for pid, ids in acted.items()}


def missing_declarations(procurement: Procurement) -> list[User]:
    """Who has acted but has no declaration at the current stage."""
    return missing_declarations_for([procurement])[procurement.id]


def missing_declarations_for(procurements: list[Procurement]) -> dict[int, list[User]]:
    """Who has acted but has no declaration at each procurement's current stage, in a fixed number of queries."""
    if not procurements:
        return {}
    stage_of = {p.id: p.stage for p in procurements}
    declared = {(procurement_id, user_id) for procurement_id, user_id, stage in db.session.execute(
        select(ConflictDeclaration.procurement_id, ConflictDeclaration.user_id, ConflictDeclaration.stage)
        .where(ConflictDeclaration.procurement_id.in_(list(stage_of)))) if stage == stage_of[procurement_id]}
    return {pid: [person for person in people if (pid, person.id) not in declared]
            for pid, people in _acting_commissioners(procurements).items()}


def interests_for(procurement: Procurement) -> list[ConflictDeclaration]:
    """Every declaration with an interest made so far, oldest first (the assessment covers each)."""
    return list(db.session.scalars(select(ConflictDeclaration).where(
        ConflictDeclaration.procurement_id == procurement.id, ConflictDeclaration.has_interest.is_(True))
        .order_by(ConflictDeclaration.id)))


def assessments_for(procurement: Procurement) -> list[ConflictsAssessment]:
    """Every version, newest first."""
    return list(db.session.scalars(select(ConflictsAssessment).where(
        ConflictsAssessment.procurement_id == procurement.id).order_by(ConflictsAssessment.version.desc())))


def latest_assessment(procurement: Procurement) -> ConflictsAssessment | None:
    return db.session.scalar(select(ConflictsAssessment).where(
        ConflictsAssessment.procurement_id == procurement.id)
        .order_by(ConflictsAssessment.version.desc()).limit(1))


def uncovered_interests(procurement: Procurement) -> list[ConflictDeclaration]:
    """Declared interests the latest assessment does not deal with (all of them if there is none)."""
    latest = latest_assessment(procurement)
    covered = {entry.declaration_id for entry in latest.entries} if latest else set()
    return [d for d in interests_for(procurement) if d.id not in covered]


def _names(people: list[User]) -> str:
    return ", ".join(person.full_name for person in people)


def publish_problems(procurement: Procurement, now: datetime) -> dict[str, str]:
    """What rule 4 still needs before the tender notice: keyed messages, nothing changed."""
    problems: dict[str, str] = {}
    missing = missing_declarations(procurement)
    if missing:
        problems["declarations"] = (
            f"Declarations of interest are missing at the “{STAGES[procurement.stage]}” stage from "
            f"{_names(missing)}: everyone who has acted on this procurement declares on the declarations page "
            f"({declarations_path(procurement)})")
    latest = latest_assessment(procurement)
    if latest is None:
        problems["conflicts_assessment"] = (
            "Record the conflicts assessment on the declarations page: it must exist before the tender notice "
            "is published")
    else:
        uncovered = uncovered_interests(procurement)
        if uncovered:
            problems["conflicts_assessment"] = (
                "The conflicts assessment does not cover the interest(s) declared by "
                f"{_names([d.user for d in uncovered])}: record a new version of it on the declarations page")
    return problems


def publisher_problems(procurement: Procurement, actor: User) -> dict[str, str]:
    """The commissioner publishing the tender must themselves hold a current declaration."""
    if has_current_declaration(procurement, actor):
        return {}
    return {"publisher_declaration": (
        f"You have not declared your interests at the “{STAGES[procurement.stage]}” stage: declare on the "
        f"declarations page ({declarations_path(procurement)}) before you publish the tender")}


# ---------------------------------------------------------------- the conflicts gate


def conflict_state(procurement: Procurement, user: Viewer) -> conflicts_policy.ConflictState:
    """What the person's current declaration and the latest assessment say about them."""
    declaration = current_declaration(procurement, user)
    latest = latest_assessment(procurement)
    return conflicts_policy.ConflictState(
        declared=declaration is not None,
        has_interest=bool(declaration and declaration.has_interest),
        interest_org_id=declaration.organisation_id if declaration and declaration.has_interest else None,
        excluded=latest is not None and getattr(user, "id", None) in latest.excluded_user_ids)


def is_conflicted(procurement: Procurement, user: Viewer, action: str,
                  bidder_org_ids: frozenset[int] = frozenset()) -> bool:
    """For flags and listings: whether the gate would refuse the person (nothing is audited)."""
    return conflicts_policy.conflict_bar(conflict_state(procurement, user), action, bidder_org_ids) is not None


_DONE_BY_OTHERS = "Ask a commissioner of your organisation who has no conflict to do it instead."


def _bar_message(procurement: Procurement, state: conflicts_policy.ConflictState, bar: str, action: str,
                 doing: str) -> str:
    """Why, in words, and what to do next."""
    path = declarations_path(procurement)
    if bar == "no_declaration":
        return (f"Declare your interests first: you have no declaration at the “{STAGES[procurement.stage]}” stage "
                f"of {procurement.reference}, and nobody can {doing} without one. Declare on the declarations page "
                f"({path}).")
    assessment = latest_assessment(procurement) if bar == "excluded" else None
    if assessment is not None:  # only an assessment excludes anyone
        return (f"The conflicts assessment of {procurement.reference} (version {assessment.version}) excludes you "
                f"from opening, reading, scoring, moderating and awarding its responses, so you cannot {doing}. "
                f"{_DONE_BY_OTHERS} "
                f"If the assessment no longer reflects the position, a commissioner can record a new version of it "
                f"on the declarations page ({path}).")
    if action in conflicts_policy.BOX_ACTIONS:
        why = (f"you have declared an interest in {procurement.reference}, and the responses are opened only by two "
               "commissioners with no interest in any bidder")
    else:
        organisation = db.session.get(Organisation, state.interest_org_id)
        name = organisation.name if organisation else "a bidder"
        why = (f"you have declared an interest in {name}, "
               + ("one of the bidders" if action == "award" else "which sent this response"))
    return (f"You cannot {doing}: {why}. {_DONE_BY_OTHERS} If your declaration is out of date, make a new one on "
            f"the declarations page ({path}).")


def _fix_for(procurement: Procurement, bar: str) -> tuple[str, str]:
    """Where the refused person goes next: to declare, or to read (and if need be renew) the assessment."""
    if bar == "no_declaration":
        return (f"Declare your interests in {procurement.reference}", declarations_path(procurement))
    return ("See your declaration and the conflicts assessment", declarations_path(procurement))


def require_unconflicted(procurement: Procurement, actor: User, action: str, doing: str, attempted: str,
                         bidder_org_ids: frozenset[int] = frozenset(), *, forbidden: bool = False) -> None:
    """The conflicts gate: refuse (and audit) anyone the declarations or the assessment bar from `action`.

    A refusal is a RuleViolation for a form to show, or NotPermitted (a 403
    page with the same words) with `forbidden`, for a page that only shows.
    """
    state = conflict_state(procurement, actor)
    bar = conflicts_policy.conflict_bar(state, action, bidder_org_ids)
    if bar is None:
        return
    reasons = {"no_declaration": "no current declaration of interest",
               "excluded": "excluded by the conflicts assessment",
               "interest": "declared an interest in a bidder" if action not in conflicts_policy.BOX_ACTIONS
               else "declared an interest, so may not open"}
    record_refusal(actor, attempted, reasons[bar],
                   detail={"procurement_id": procurement.id, "stage": procurement.stage, "action": action,
                           "bar": bar}, procurement_id=procurement.id)
    message = _bar_message(procurement, state, bar, action, doing)
    if forbidden:
        raise NotPermitted(message, fix=_fix_for(procurement, bar))
    raise RuleViolation({"": message})


# ---------------------------------------------------------------- declaring


def declare(procurement: Procurement, actor: User, *, has_interest: bool | None, description: str,
            now: datetime, organisation_id: int | None = None) -> ConflictDeclaration:
    """A new declaration at the current stage. Earlier ones stay as they were: nothing is edited.

    An interest may name the provider organisation it involves (`organisation_id`): then the person
    is kept from reading, scoring, moderating and awarding on that organisation's response.
    """
    if not conflicts_policy.may_declare(actor, procurement):
        raise refuse(actor, procurement, "conflicts.declare", "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation that owns this procurement declare interests in it.")
    require_stage(procurement, OPEN_STAGES, "declare an interest")
    text = (description or "").strip()
    if has_interest is None:
        raise RuleViolation({"has_interest": "Say whether you have an interest to declare"})
    if has_interest and not text:
        raise RuleViolation({"description": "Describe the interest: who or what it involves and how it relates "
                                            "to this procurement"})
    if not has_interest and text:
        raise RuleViolation({"description": "You said you have no interest but described one: choose “I have an "
                                            "interest to declare”, or clear the description"})
    organisation = None
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if not has_interest:
            raise RuleViolation({"organisation": "You said you have no interest but chose an organisation: choose "
                                                 "“I have an interest to declare”, or choose no organisation"})
        if organisation is None or not organisation.is_provider:
            raise RuleViolation({"organisation": "Choose a provider organisation from the list, or none"})
    roles = roles_of(procurement, actor)
    declaration = ConflictDeclaration(procurement_id=procurement.id, user_id=actor.id, stage=procurement.stage,
                                      roles=",".join(roles), has_interest=has_interest, description=text,
                                      declared_at=now, organisation_id=organisation_id)
    db.session.add(declaration)
    db.session.flush()
    trail.record("conflicts.declared", actor=actor, subject=declaration, procurement_id=procurement.id,
                 summary=f"{actor.full_name} declared {'an interest' if has_interest else 'no interest'} in "
                         f"{procurement.reference} at the “{STAGES[procurement.stage]}” stage",
                 payload={"stage": procurement.stage, "has_interest": has_interest, "description": text,
                          "roles": roles, "organisation_id": organisation_id,
                          "organisation": organisation.name if organisation else None})
    return declaration


def change_declaration(declaration: ConflictDeclaration, actor: User, **changes: Any) -> None:
    """There is no editing a declaration: the record of what was declared, and when, must stand (s.98)."""
    procurement = db.session.get_one(Procurement, declaration.procurement_id)
    record_refusal(actor, "conflicts.declaration_change", "declarations are never changed",
                   detail={"procurement_id": procurement.id, "declaration_id": declaration.id,
                           "fields": sorted(changes)}, procurement_id=procurement.id)
    raise RuleViolation({"": "A declaration cannot be changed once made: make a new declaration instead, and "
                             "the earlier one stays in the history"})


# ---------------------------------------------------------------- assessing


@dataclass
class EntryInput:
    declaration_id: int
    who: str
    what: str
    mitigation: str


def record_assessment(procurement: Procurement, actor: User, *, entries: list[EntryInput], none_identified: str,
                      now: datetime, excluded_user_ids: list[int] | tuple[int, ...] = ()) -> ConflictsAssessment:
    """A new version of the conflicts assessment, covering every interest declared so far.

    `excluded_user_ids` are the people its mitigation takes out of opening, reading, scoring,
    moderating and award: the conflicts gate refuses them while this is the latest version.
    """
    if not conflicts_policy.may_assess(actor, procurement):
        raise refuse(actor, procurement, "conflicts.assess", "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation that owns this procurement record its conflicts "
                     "assessment.")
    require_stage(procurement, OPEN_STAGES, "record a conflicts assessment")
    interests = {d.id: d for d in interests_for(procurement)}
    given = {entry.declaration_id: entry for entry in entries}
    reasons: dict[str, str] = {}
    unknown = [i for i in given if i not in interests]
    if unknown:
        raise RuleViolation({"": "The assessment can only deal with interests declared on this procurement"})
    statement = (none_identified or "").strip()
    if not interests:
        if not statement:
            reasons["none_identified"] = ("No interests have been declared: state that no conflicts of interest "
                                          "were identified, and how you checked")
    else:
        if statement:
            reasons["none_identified"] = ("Interests have been declared, so you cannot record that none were "
                                          "identified: assess each one instead")
        for declaration_id, declaration in interests.items():
            entry = given.get(declaration_id)
            name = declaration.user.full_name
            if entry is None or not entry.who.strip():
                reasons[f"who-{declaration_id}"] = f"Say who holds the interest declared by {name}"
            if entry is None or not entry.what.strip():
                reasons[f"what-{declaration_id}"] = f"Say what the interest declared by {name} is"
            if entry is None or not entry.mitigation.strip():
                reasons[f"mitigation-{declaration_id}"] = (f"Say how the interest declared by {name} is mitigated "
                                                           "(for example, they take no part in evaluation)")
    excluded = sorted(set(excluded_user_ids))
    people = {person.id: person for person in db.session.scalars(select(User).where(User.id.in_(excluded)))}
    if any(person_id not in people or not policy.is_owner_commissioner(people[person_id], procurement)
           for person_id in excluded):
        reasons["excluded"] = (f"Only commissioners of {procurement.owner.name} can be excluded: choose from the "
                               "list")
    if reasons:
        raise RuleViolation(reasons)
    version = (db.session.scalar(select(func.max(ConflictsAssessment.version)).where(
        ConflictsAssessment.procurement_id == procurement.id)) or 0) + 1
    assessment = ConflictsAssessment(procurement_id=procurement.id, version=version, stage=procurement.stage,
                                     none_identified=statement if not interests else "", recorded_by_id=actor.id,
                                     recorded_at=now)
    db.session.add(assessment)
    db.session.flush()
    for declaration_id in interests:
        entry = given[declaration_id]
        db.session.add(ConflictsAssessmentEntry(assessment_id=assessment.id, declaration_id=declaration_id,
                                                who=entry.who.strip()[:200], what=entry.what.strip(),
                                                mitigation=entry.mitigation.strip()))
    for person_id in excluded:
        db.session.add(ConflictsAssessmentExclusion(assessment_id=assessment.id, user_id=person_id))
    db.session.flush()
    db.session.expire(assessment, ["entries", "exclusions"])
    trail.record("conflicts.assessed", actor=actor, subject=assessment, procurement_id=procurement.id,
                 summary=f"Conflicts assessment version {version} recorded for {procurement.reference}: "
                         + (f"{len(interests)} declared interest(s) assessed" if interests else
                            "no conflicts identified"),
                 payload={"version": version, "stage": procurement.stage, "none_identified": assessment.none_identified,
                          "entries": [{"declaration_id": i, "who": given[i].who.strip(), "what": given[i].what.strip(),
                                       "mitigation": given[i].mitigation.strip()} for i in interests],
                          "excluded": [{"user_id": i, "name": people[i].full_name} for i in excluded]})
    return assessment


def prefill(procurement: Procurement) -> dict[int, tuple[str, str, str]]:
    """For each declared interest: who, what and the mitigation to start the next version from.

    The latest assessment's entry for the same declaration, else the person's
    latest entry for the same interest, else the declaration itself.
    """
    entries = list(db.session.scalars(select(ConflictsAssessmentEntry).join(ConflictsAssessment).where(
        ConflictsAssessment.procurement_id == procurement.id).order_by(ConflictsAssessmentEntry.id)))
    by_declaration = {e.declaration_id: e for e in entries}
    by_person = {(e.declaration.user_id, e.declaration.description): e for e in entries}
    found = {}
    for declaration in interests_for(procurement):
        earlier = by_declaration.get(declaration.id) or by_person.get((declaration.user_id, declaration.description))
        if earlier is not None:
            found[declaration.id] = (earlier.who, earlier.what, earlier.mitigation)
        else:
            found[declaration.id] = (declaration.user.full_name, declaration.description, "")
    return found


# ---------------------------------------------------------------- append-only, in the ORM too


@event.listens_for(ConflictDeclaration, "before_update")
@event.listens_for(ConflictsAssessment, "before_update")
@event.listens_for(ConflictsAssessmentEntry, "before_update")
@event.listens_for(ConflictsAssessmentExclusion, "before_update")
def _never_updated(mapper: Any, connection: Any, target: Any) -> None:
    raise RuleViolation({"": "Declarations of interest and conflicts assessments are never changed once recorded"})


# ---------------------------------------------------------------- the quiet period in forums (rule 5)

_TENDER_URL = re.compile(r"/tenders/(\d{1,9})(?!\d)")
_REFERENCE = re.compile(r"\bCC-\d{4}-\d{5,9}\b", re.IGNORECASE)


def linked_procurements(text: str) -> list[Procurement]:
    """Procurements a piece of text links, by URL path (/tenders/<id>) or by reference (CC-2026-00012)."""
    ids = {int(found) for found in _TENDER_URL.findall(text or "")}
    references = {found.upper() for found in _REFERENCE.findall(text or "")}
    if not ids and not references:
        return []
    return list(db.session.scalars(select(Procurement).where(
        or_(Procurement.id.in_(ids), Procurement.reference.in_(references))).order_by(Procurement.id)))


def check_quiet_period(actor: Viewer, texts: Mapping[str, str | None], attempted: str) -> None:
    """Refuse (and audit) a commissioner's forum post that links a procurement whose tender is live.

    `texts` maps each form field to what was typed in it, so the message lands
    next to the field that holds the link.
    """
    if not conflicts_policy.quiet_period_applies_to(actor):
        return
    for field_name, text in texts.items():
        for procurement in linked_procurements(text or ""):
            if not conflicts_policy.is_quiet_period(procurement):
                continue
            record_refusal(actor, attempted, "quiet period: the post links a procurement whose tender is live",
                           detail={"procurement_id": procurement.id, "reference": procurement.reference},
                           procurement_id=procurement.id)
            path = current_app.url_map.bind("localhost").build("tenders.clarifications_page",
                                                              {"procurement_id": procurement.id})
            raise RuleViolation({field_name: (
                f"{procurement.reference} “{procurement.title}” is in its tender period: while the tender is live, "
                f"commissioners do not discuss it in forums. Contact about it goes only through its clarifications "
                f"({path}), answered to every bidder. Remove the link or reference to post.")})
