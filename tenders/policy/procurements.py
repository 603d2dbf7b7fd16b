"""Who owns, sees, drafts, publishes and closes a procurement."""
from __future__ import annotations

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


def can_close(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.can_move_to("cancelled")
