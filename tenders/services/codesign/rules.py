"""The rules every co-design service shares: when co-design is open, who may take part and who may decide,
and how a contribution is attributed and its child-data confirmation put on the record."""
from __future__ import annotations

import trail
from accounts.models import User
from core.errors import RuleViolation
from tenders.models import Procurement, Stage
from tenders.policy import codesign as codesign_policy
from tenders.services.common import refuse

MAX_TITLE = 200
MAX_TEXT = 20000


def closed_message(procurement: Procurement) -> str:
    """Why nobody can post, propose or decide now (the public notice on every thread page says the same)."""
    if procurement.tender_published_at is not None:
        day = procurement.tender_published_at
        return (f"Co-design closed on {day.day} {day:%B %Y} when the tender was published; "
                "ask questions through clarification")
    if procurement.stage == Stage.PLANNING:
        return "Co-design opens when the preliminary market engagement notice is published"
    return f"Co-design is closed: the procurement is at the “{procurement.stage_label}” stage"


def require_open(procurement: Procurement) -> None:
    if not codesign_policy.is_open(procurement):
        raise RuleViolation({"": closed_message(procurement)})


def require_contributor(actor: User, procurement: Procurement, attempted: str) -> None:
    if not codesign_policy.may_contribute(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a provider or an owning commissioner",
                     "Only providers and commissioners of the owning organisation can take part in co-design.")
    require_open(procurement)


def require_decider(actor: User, procurement: Procurement, attempted: str) -> None:
    if not codesign_policy.may_decide(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can do this.")
    require_open(procurement)


def who(user: User) -> str:
    return f"{user.full_name} ({user.organisation.name})"


def audit_child_data(kinds: list[str], actor: User, subject: object, procurement: Procurement, where: str) -> None:
    if kinds:
        trail.record("codesign.child_data_confirmed", actor=actor, subject=subject, procurement_id=procurement.id,
                     audience="auditors",
                     summary=f"{actor.full_name} confirmed {where} holds no personal data about a child",
                     payload={"kinds_flagged": kinds, "where": where})
