"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (equal information).

A conversation belongs to its two organisations: the commissioning side's
commissioners and the provider side's users. Auditors read everything and
write nothing. Only commissioners of the procurement's owning organisation
resolve a contact; an untagged contact (about no procurement yet) belongs to
the commissioning organisation of its conversation. A procurement has one
owner: a consortium's procurements are run by the consortium's own
commissioners, so contacts in a member council's conversations are that
council's, not the consortium's.
"""
from __future__ import annotations

from accounts import policy as accounts_policy
from accounts.models import Organisation, Viewer
from tenders.models import PUBLIC_STAGES, Procurement
from tenders.models.ledger import Contact, Conversation
from tenders.policy import is_owner_commissioner


def can_use_messages(user: Viewer) -> bool:
    """Commissioners and providers hold private conversations."""
    return accounts_policy.is_commissioner(user) or accounts_policy.is_provider(user)


def can_see_inbox(user: Viewer) -> bool:
    return can_use_messages(user) or accounts_policy.is_auditor(user)


def may_message(user: Viewer, organisation: Organisation) -> bool:
    """A commissioner writes to a provider organisation, a provider to a commissioning one; never to its own."""
    if organisation.id == getattr(user, "organisation_id", None):
        return False
    if accounts_policy.is_commissioner(user):
        return organisation.is_provider
    if accounts_policy.is_provider(user):
        return organisation.is_commissioning
    return False


def may_be_about(user: Viewer, procurement: Procurement) -> bool:
    """A commissioner tags one of their organisation's procurements; a provider a public one."""
    if accounts_policy.is_commissioner(user):
        return is_owner_commissioner(user, procurement)
    if accounts_policy.is_provider(user):
        return procurement.stage in PUBLIC_STAGES
    return False


def is_party(user: Viewer, conversation: Conversation) -> bool:
    """A member of one of the conversation's two organisations, acting in that side's role."""
    if accounts_policy.is_commissioner(user):
        return user.organisation_id == conversation.commissioner_org_id
    if accounts_policy.is_provider(user):
        return user.organisation_id == conversation.provider_org_id
    return False


def can_read_conversation(user: Viewer, conversation: Conversation) -> bool:
    return is_party(user, conversation) or accounts_policy.is_auditor(user)


def can_send_message(user: Viewer, conversation: Conversation) -> bool:
    return is_party(user, conversation)


def can_tag_conversation(user: Viewer, conversation: Conversation) -> bool:
    """The commissioning side marks an untagged conversation as concerning one of its procurements."""
    return (conversation.procurement_id is None and accounts_policy.is_commissioner(user)
            and user.organisation_id == conversation.commissioner_org_id)


def can_see_contacts_to_resolve(user: Viewer) -> bool:
    return accounts_policy.is_commissioner(user)


def is_council_commissioner(user: Viewer, contact: Contact) -> bool:
    """A commissioner of the organisation whose list the contact is on: the owner of its procurement, or for an
    untagged contact the commissioning organisation in its conversation."""
    if contact.procurement is not None:
        return is_owner_commissioner(user, contact.procurement)
    return accounts_policy.is_commissioner(user) and user.organisation_id == contact.conversation.commissioner_org_id


def can_read_contact(user: Viewer, contact: Contact) -> bool:
    return is_council_commissioner(user, contact) or accounts_policy.is_auditor(user)


def can_resolve_contact(user: Viewer, contact: Contact) -> bool:
    """Shows the resolution forms; whether it is already resolved, and which resolutions fit a tagged or an
    untagged contact, are the service's rules."""
    return is_council_commissioner(user, contact)
