"""What co-design requires before the tender notice goes out (rule 3)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.extensions import db
from tenders.models import Procurement, ProcurementDocument
from tenders.services.codesign.prior_involvement import latest_note, prior_involvement
from tenders.services.codesign.proposals import proposals_for
from tenders.services.codesign.report import attached_report, report_filename, report_version


def publish_problems(procurement: Procurement, now: datetime) -> dict[str, str]:
    """What rule 3 says must happen before the tender notice goes out: keyed messages, nothing changed."""
    problems: dict[str, str] = {}
    involvement = prior_involvement(procurement)
    if involvement:
        latest = max((e.last_at for e in involvement if e.last_at is not None), default=None)
        note = latest_note(procurement)
        # A note recorded at the same moment as the latest contribution answers it (a demo or import run).
        if note is None or (latest is not None and note.recorded_at < latest):
            names = ", ".join(e.organisation.name for e in involvement)
            problems["prior_involvement"] = (
                f"Record a mitigation note for the providers with prior involvement ({names}): say what was shared "
                "with all and why the time limit is adequate"
                + (" (the last note is older than the latest co-design contribution)" if note is not None else ""))
    proposals = proposals_for(procurement)
    undecided = [p for p in proposals if not p.is_decided]
    if undecided:
        problems["undecided_proposals"] = ("Decide every co-design proposal first; still undecided: "
                                           + "; ".join(f"{p.label} by {p.organisation.name}" for p in undecided))
    if any(p.is_decided for p in proposals) and attached_report(procurement) is None:
        version = report_version(procurement)
        stale = db.session.scalar(select(ProcurementDocument.id).where(
            ProcurementDocument.procurement_id == procurement.id,
            ProcurementDocument.filename == report_filename(procurement, version)).limit(1))
        problems["engagement_report"] = (
            f"Attach the engagement report for specification version {version.number if version else 0} to the "
            "tender documents" + (": the attached one is out of date, the record has changed since" if stale else ""))
    return problems
