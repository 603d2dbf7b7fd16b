"""Co-design threads, proposals, specification sections and clause provenance (PA23 s.16(4)-(5): prior involvement).

Reading follows the procurement (public from engagement on). Taking part is for
signed-in providers (in-house units too) and the owning commissioners, and only
while the procurement is in engagement: once the tender is published, contact
goes through clarifications (rule 5), so threads become read-only.
"""
from __future__ import annotations

from accounts import policy as accounts_policy
from accounts.models import Viewer
from tenders import policy
from tenders.models import DRAFTING_STAGES, Procurement, SpecVersion

OPEN_STAGE = "engagement"


def can_read(user: Viewer, procurement: Procurement) -> bool:
    return policy.can_view(user, procurement)


def is_open(procurement: Procurement) -> bool:
    """Co-design happens during preliminary market engagement only."""
    return procurement.stage == OPEN_STAGE


def may_contribute(user: Viewer, procurement: Procurement) -> bool:
    """The role that may take part, whatever the stage: any provider, or a commissioner of the owning organisation."""
    return can_read(user, procurement) and (
        accounts_policy.is_provider(user) or policy.is_owner_commissioner(user, procurement))


def can_contribute(user: Viewer, procurement: Procurement) -> bool:
    """Open a thread, post a message, propose a change: now."""
    return may_contribute(user, procurement) and is_open(procurement)


def may_decide(user: Viewer, procurement: Procurement) -> bool:
    return policy.can_manage(user, procurement)


def can_decide(user: Viewer, procurement: Procurement) -> bool:
    """Accept, adapt or decline a proposal (and record one made in a meeting)."""
    return may_decide(user, procurement) and is_open(procurement)


def can_record_meeting_proposal(user: Viewer, procurement: Procurement) -> bool:
    return can_decide(user, procurement)


def may_write_mitigation(user: Viewer, procurement: Procurement) -> bool:
    return policy.can_manage(user, procurement)


def can_write_mitigation(user: Viewer, procurement: Procurement) -> bool:
    """The mitigation note is written before the tender goes out: planning or engagement."""
    return may_write_mitigation(user, procurement) and procurement.stage in DRAFTING_STAGES


def can_attach_report(user: Viewer, procurement: Procurement) -> bool:
    """The report becomes a tender document, so only while documents can be added."""
    return policy.can_edit_details(user, procurement)


def version_is_shared(procurement: Procurement, version: SpecVersion) -> bool:
    """Drafts were shared with everyone during engagement (that is co-design); published versions always are.

    A draft saved during the tender but not yet published as a change stays with the owners.
    """
    if version.published_at is not None:
        return True
    if procurement.engagement_published_at is None:
        return False
    return procurement.tender_published_at is None or version.created_at < procurement.tender_published_at


def can_view_provenance(user: Viewer, procurement: Procurement, version: SpecVersion) -> bool:
    if not can_read(user, procurement):
        return False
    if policy.can_manage(user, procurement) or accounts_policy.is_auditor(user):
        return True
    return version_is_shared(procurement, version)
