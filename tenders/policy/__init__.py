"""Who may see and do what in a procurement: plain predicates over a user.

Views use them to allow or refuse and pass them to templates as flags, so a
button is shown exactly when its route would accept the request. Services
check the same predicates again (they are also called by the CLI and tests).
"""
from __future__ import annotations

from datetime import datetime

from accounts import policy as accounts_policy
from accounts.models import Viewer
from forum import policy as forum_policy
from forum.models import Forum
from tenders.models import DRAFTING_STAGES, PUBLIC_STAGES, SPEC_EDIT_STAGES, Procurement, Stage


def is_owner_commissioner(user: Viewer, procurement: Procurement) -> bool:
    """A commissioner of the owning organisation. Providers (in-house units too) never are."""
    return accounts_policy.is_commissioner(user) and user.organisation_id == procurement.owner_org_id


def can_create_procurement(user: Viewer) -> bool:
    return accounts_policy.is_commissioner(user)


def can_manage(user: Viewer, procurement: Procurement) -> bool:
    return is_owner_commissioner(user, procurement)


def can_view(user: Viewer, procurement: Procurement) -> bool:
    """Drafts are for the owning commissioners (and auditors); everything after is public."""
    if procurement.stage in PUBLIC_STAGES:
        return True
    return is_owner_commissioner(user, procurement) or accounts_policy.is_auditor(user)


def can_see_criteria(user: Viewer, procurement: Procurement) -> bool:
    """Award criteria are public with the published specification; before that only the owners see them."""
    return procurement.published_version is not None or can_manage(user, procurement)


def can_edit_specification(user: Viewer, procurement: Procurement) -> bool:
    """Drafting is open until evaluation; during the tender a change goes through `publish_spec_change`."""
    return can_manage(user, procurement) and procurement.stage in SPEC_EDIT_STAGES


def can_edit_details(user: Viewer, procurement: Procurement) -> bool:
    """Details, award criteria, engagement events and documents: only while drafting."""
    return can_manage(user, procurement) and procurement.stage in DRAFTING_STAGES


def may_link_forum(procurement: Procurement, forum: Forum) -> bool:
    """The owning organisation owns or co-owns the forum (a consortium's member councils count)."""
    return procurement.owner_org_id in forum_policy.owner_organisation_ids(forum)


def can_publish_engagement(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.can_move_to("engagement")


def can_publish_tender(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.can_move_to("tender")


def needs_no_engagement_reason(procurement: Procurement) -> bool:
    """Publishing the tender without an engagement notice needs a recorded reason (rule 1)."""
    return procurement.engagement_published_at is None


def can_change_published_spec(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.stage == Stage.TENDER


def can_request_opening(user: Viewer, procurement: Procurement) -> bool:
    """Shows the opening button; the deadline and the second person are checked when pressed."""
    return can_manage(user, procurement) and procurement.stage == Stage.TENDER


def can_view_evaluation(user: Viewer, procurement: Procurement) -> bool:
    return (can_manage(user, procurement) or accounts_policy.is_auditor(user)) and \
        procurement.tender_published_at is not None


def can_decide_award(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.can_move_to("award")


def can_enter_contract(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.can_move_to("contract")


def can_close(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.can_move_to("cancelled")


def can_ask_clarification(user: Viewer, procurement: Procurement) -> bool:
    return accounts_policy.is_provider(user) and procurement.stage == Stage.TENDER


def can_answer_clarifications(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.stage == Stage.TENDER


def can_submit_response(user: Viewer, procurement: Procurement) -> bool:
    return accounts_policy.can_submit_tender_responses(user) and procurement.stage == Stage.TENDER


def deadline_passed(procurement: Procurement, now: datetime) -> bool:
    return procurement.response_deadline is not None and now >= procurement.response_deadline


def can_open_responses(user: Viewer, procurement: Procurement, now: datetime) -> bool:
    return (can_manage(user, procurement) and procurement.stage == Stage.TENDER and not procurement.is_opened
            and deadline_passed(procurement, now))


def can_read_responses(user: Viewer, procurement: Procurement, now: datetime) -> bool:
    """Only once the box is opened (which itself needs the deadline and two commissioners)."""
    if not procurement.is_opened or not deadline_passed(procurement, now):
        return False
    return is_owner_commissioner(user, procurement) or accounts_policy.is_auditor(user)


def can_assign_evaluators(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.stage in (Stage.TENDER, Stage.EVALUATION)


