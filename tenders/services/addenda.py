"""Addenda: tender documents added after the tender notice, each announced to every bidder.

Once the tender is out, bidders rely on the documents: nothing is replaced, but a commissioner may add a
document (an addendum) until the response deadline. It is published at once and every participant (each
provider that asked a question or responded) is told in the service and by email, as for a published
specification change.
"""
from __future__ import annotations

from datetime import datetime

from flask import url_for

import trail
from accounts.models import User
from accounts.notifications import notify
from core.errors import RuleViolation
from core.timezones import uk_when
from tenders import policy
from tenders.models import Procurement, ProcurementDocument
from tenders.services.common import lock, notify_participants, participants, refuse, require_stage
from tenders.services.procurements import stored_document


def add_addendum(procurement: Procurement, actor: User, *, title: str, filename: str, content_type: str, data: bytes,
                 now: datetime) -> ProcurementDocument:
    lock(procurement)
    if not policy.can_manage(actor, procurement):
        raise refuse(actor, procurement, "procurement.add_addendum", "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can add documents.")
    require_stage(procurement, ("tender",), "publish an addendum")
    if procurement.response_deadline is not None and now >= procurement.response_deadline:
        raise RuleViolation({"": f"The response deadline passed on {uk_when(procurement.response_deadline)}: "
                                 "no addendum can be added now"})
    document = stored_document(procurement, actor, title=title, filename=filename, content_type=content_type,
                               data=data, now=now)
    notify(participants(procurement), title=f"{procurement.reference}: addendum “{document.title}” added to the "
                                            "tender documents", event="tender.addendum",
           url=url_for("tenders.show", procurement_id=procurement.id) + f"#document-{document.id}")
    notify_participants(  # the email, with the file's hash
        procurement, f"addendum “{document.title}” added to the tender documents",
        f"{procurement.owner.name} added a document to the tender documents of “{procurement.title}” after the "
        f"tender notice: “{document.title}” ({document.filename}, SHA-256 {document.sha256}). Read it before you "
        f"respond: responses are due {uk_when(procurement.response_deadline)}.")
    trail.record("procurement.addendum_published", actor=actor, subject=document, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Addendum “{document.title}” ({document.filename}) added to the tender documents of "
                         f"{procurement.reference}",
                 payload={"title": document.title, "filename": document.filename, "sha256": document.sha256,
                          "size_bytes": document.size_bytes})
    return document
