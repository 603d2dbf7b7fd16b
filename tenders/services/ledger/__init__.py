"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (equal information).

Private messages between a commissioner and one provider are allowed, but
whatever one provider is told about a procurement in engagement or tender
every participant must be able to read (PA23 s.16(3); PCR reg 41(2)(a)). So
while a commissioning organisation has any procurement in engagement or
tender, every private message between it and a provider opens a bilateral
contact (or extends the unresolved one). The contact is about the procurement
the conversation was tagged with or the message names (by reference or whole
title, tenders.mentions); naming none, or several, leaves it untagged. A
commissioner must resolve it: disclose it to everyone (a summary, redactions
recorded; an untagged one on the procurements the commissioner names), mark a
tagged one not material, or an untagged one not about any live procurement,
with a reason. An unresolved contact blocks publishing the tender; an
untagged one blocks every tender notice of its organisation.

The message text is stored (PA23 s.98 keeps every communication with a
supplier) but never put in an audit payload: events carry its SHA-256.
"""
from tenders.services.ledger.conversations import (
    MAX_MESSAGE,
    MAX_SUBJECT,
    Filing,
    counts_as_contact,
    file_message,
    live_procurements,
    read_conversation,
    send_message,
    start_conversation,
    tag_conversation,
)
from tenders.services.ledger.reading import (
    MeetingRecord,
    ToDo,
    contacts_of,
    contacts_to_resolve,
    conversations_for,
    is_overdue,
    meeting_records,
    message_targets,
    procurement_choices,
    publish_problems,
    resolved_contacts,
    unresolved_contacts,
    unresolved_untagged_contacts,
)
from tenders.services.ledger.resolving import (
    RedactionInput,
    disclose_contact,
    disclosure_choices,
    disclosure_recipients,
    mark_not_about_live_procurement,
    mark_not_material,
    named_procurements,
    read_contact,
)

__all__ = [
    "Filing",
    "MAX_MESSAGE",
    "MAX_SUBJECT",
    "MeetingRecord",
    "RedactionInput",
    "ToDo",
    "contacts_of",
    "contacts_to_resolve",
    "conversations_for",
    "counts_as_contact",
    "disclose_contact",
    "disclosure_choices",
    "disclosure_recipients",
    "file_message",
    "is_overdue",
    "live_procurements",
    "mark_not_about_live_procurement",
    "mark_not_material",
    "meeting_records",
    "message_targets",
    "named_procurements",
    "procurement_choices",
    "publish_problems",
    "read_contact",
    "read_conversation",
    "resolved_contacts",
    "send_message",
    "start_conversation",
    "tag_conversation",
    "unresolved_contacts",
    "unresolved_untagged_contacts",
]
