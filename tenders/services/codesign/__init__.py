"""Co-design threads, proposals, specification sections and clause provenance (PA23 s.16(4)-(5): prior involvement).

Providers and the owning commissioners shape the draft specification in public
threads during preliminary market engagement. A proposal changes one section
of the draft (the text under one `## ` heading) or adds a section; the owning
commissioners accept, adapt or decline it with a public reason, and an accepted
or adapted proposal becomes a new specification version saved through
tenders.services.specification like any other. Every section of every version
records where its text came from (clause provenance).

Whoever contributed is listed as having prior involvement (PA23 s.16(4)-(5);
PCR reg 41); the tender cannot be published until a mitigation note answers
the latest contribution, every proposal is decided, and the engagement report
is attached to the tender documents.
"""
from tenders.services.codesign.decisions import decide_proposal
from tenders.services.codesign.prior_involvement import (
    Involvement,
    latest_contribution_at,
    latest_note,
    mitigation_notes,
    note_providers,
    prior_involvement,
    record_mitigation_note,
)
from tenders.services.codesign.proposals import (
    ProposalView,
    meeting_events,
    meeting_proposals,
    proposals_for,
    propose_change,
    record_meeting_proposal,
    view_proposal,
)
from tenders.services.codesign.provenance import provenance_for, provenance_text, record_provenance, stored_provenance
from tenders.services.codesign.publishing import publish_problems
from tenders.services.codesign.report import (
    Report,
    attach_report,
    attached_report,
    engagement_report,
    report_filename,
    report_version,
)
from tenders.services.codesign.rules import MAX_TEXT, MAX_TITLE, closed_message
from tenders.services.codesign.sections import (
    INTRODUCTION,
    NEW_SECTION,
    Section,
    add_section,
    diff_rows,
    join_sections,
    replace_section,
    section_choices,
    sections_of,
    slugify,
    split_sections,
    text_hash,
)
from tenders.services.codesign.threads import open_thread, post_message, threads_for

__all__ = [
    "INTRODUCTION",
    "MAX_TEXT",
    "MAX_TITLE",
    "NEW_SECTION",
    "Involvement",
    "ProposalView",
    "Report",
    "Section",
    "add_section",
    "attach_report",
    "attached_report",
    "closed_message",
    "decide_proposal",
    "diff_rows",
    "engagement_report",
    "join_sections",
    "latest_contribution_at",
    "latest_note",
    "meeting_events",
    "meeting_proposals",
    "mitigation_notes",
    "note_providers",
    "open_thread",
    "post_message",
    "prior_involvement",
    "proposals_for",
    "propose_change",
    "provenance_for",
    "provenance_text",
    "publish_problems",
    "record_meeting_proposal",
    "record_mitigation_note",
    "record_provenance",
    "replace_section",
    "report_filename",
    "report_version",
    "section_choices",
    "sections_of",
    "slugify",
    "split_sections",
    "stored_provenance",
    "text_hash",
    "threads_for",
    "view_proposal",
]
