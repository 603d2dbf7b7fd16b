"""Building OCDS release packages from the database: paging, one procurement, and the streamed export.

oversight.ocds holds the mapping; this module gathers the facts it needs, a batch
of procurements at a time (a handful of IN queries per batch, never one per
procurement), and never touches a sealed response's content: the only figures
taken from bids are the contract value and the number of responses opened,
both already public on the procurement page and in the public trail.

Procurements are ordered by when they were first published (engagement notice,
else tender notice), then id. Publication only ever happens "now", so a new
procurement joins the end of the list: a consumer holding a cursor never
misses one that was published after it started paging.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TextIO

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

import trail
from accounts.models import Organisation
from core.clock import utcnow
from core.extensions import db
from core.urls import external_url
from outcomes import ocds as outcomes_ocds
from oversight import ocds
from tenders.models import (
    PUBLIC_STAGES,
    Award,
    Clarification,
    Contract,
    ContractPerformanceNotice,
    Procurement,
    ProcurementDocument,
    TenderResponse,
)
from tenders.models.spinoffs import ContractModification, SpinOffProposal
from trail.models import AuditEvent

FIRST_PUBLISHED = func.coalesce(Procurement.engagement_published_at, Procurement.tender_published_at)
MAX_PER_PAGE = 100
_CURSOR = re.compile(r"^(\d{8}T\d{12})-(\d{1,12})$")


class BadCursor(ValueError):
    """A cursor this service did not hand out."""


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: (first published, id) of its last procurement. Opaque to clients."""

    published_at: datetime
    procurement_id: int

    def encode(self) -> str:
        return f"{self.published_at:%Y%m%dT%H%M%S%f}-{self.procurement_id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        match = _CURSOR.match(text or "")
        if not match:
            raise BadCursor("The cursor is not one this API gave out: follow links.next from the previous page.")
        try:
            moment = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%f")
        except ValueError:
            raise BadCursor("The cursor is not one this API gave out: follow links.next from the previous page.") \
                from None
        return cls(moment, int(match.group(2)))


def ocid_prefix() -> str:
    from flask import current_app

    return current_app.config["OCDS_OCID_PREFIX"]


def published_query() -> Select:
    """Published procurements (never a draft, not even a cancelled one), in publication order."""
    return (select(Procurement)
            .where(Procurement.stage.in_(PUBLIC_STAGES), FIRST_PUBLISHED.is_not(None))
            .options(selectinload(Procurement.owner), selectinload(Procurement.events),
                     selectinload(Procurement.versions), selectinload(Procurement.criteria),
                     selectinload(Procurement.documents))
            .order_by(FIRST_PUBLISHED, Procurement.id))


def _after(query: Select, cursor: Cursor | None) -> Select:
    if cursor is None:
        return query
    first = FIRST_PUBLISHED  # the SQL expression on the left, so each comparison types as SQL, not as a bool
    return query.where(or_(first > cursor.published_at,
                           and_(first == cursor.published_at, Procurement.id > cursor.procurement_id)))


def _cursor_of(procurement: Procurement) -> Cursor:
    first = procurement.engagement_published_at or procurement.tender_published_at
    if first is None:  # published_query reads published procurements only
        raise ValueError(f"procurement {procurement.id} is not published: it has no place in the feed")
    return Cursor(first, procurement.id)


def _document_url_builder() -> Callable[[ProcurementDocument], str] | None:
    """Public download links, if the tenders package serves documents (it does; the guard keeps OCDS up if not)."""
    try:
        external_url("tenders.document", procurement_id=0, document_id=0)
    except BuildError:
        return None
    return lambda document: external_url("tenders.document", procurement_id=document.procurement_id,
                                         document_id=document.id)


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def gather_facts(procurements: list[Procurement]) -> list[ocds.ProcurementFacts]:
    """The facts for a batch of procurements, in a fixed number of queries."""
    ids = [p.id for p in procurements]
    if not ids:
        return []
    awards = {a.procurement_id: a for a in db.session.scalars(select(Award).where(Award.procurement_id.in_(ids)))}
    contracts = {c.procurement_id: c for c in db.session.scalars(
        select(Contract).where(Contract.procurement_id.in_(ids)))}
    bidders: dict[int, list[tuple[int, Organisation]]] = {}
    for procurement_id, response_id, organisation in db.session.execute(
            select(TenderResponse.procurement_id, TenderResponse.id, Organisation)
            .join(Organisation, Organisation.id == TenderResponse.provider_org_id)
            .where(TenderResponse.procurement_id.in_(ids), TenderResponse.status == "submitted")
            .order_by(TenderResponse.id)):
        bidders.setdefault(procurement_id, []).append((response_id, organisation))
    answered: dict[int, list[datetime]] = {}
    for procurement_id, answered_at in db.session.execute(
            select(Clarification.procurement_id, Clarification.answered_at)
            .where(Clarification.procurement_id.in_(ids), Clarification.answered_at.is_not(None))):
        answered.setdefault(procurement_id, []).append(answered_at)
    # What the tender notice and each published change said, as recorded on the (public) trail.
    notices: dict[int, dict[str, Any]] = {}
    changes: dict[tuple[int, int], dict[str, Any]] = {}
    for procurement_id, action, payload in db.session.execute(
            select(AuditEvent.procurement_id, AuditEvent.action, AuditEvent.payload)
            .where(AuditEvent.procurement_id.in_(ids),
                   AuditEvent.action.in_(("tender.published", "specification.changed")))
            .order_by(AuditEvent.seq)):
        data = json.loads(payload) if payload else {}  # a redacted payload says nothing
        if action == "tender.published":
            notices[procurement_id] = data
        elif isinstance(data.get("version"), int):
            changes[(procurement_id, data["version"])] = data
    # Accepted spin-offs: the public modification register, oldest first.
    contract_changes: dict[int, list[ocds.ContractChange]] = {}
    for modification, title in db.session.execute(
            select(ContractModification, SpinOffProposal.title)
            .join(SpinOffProposal, SpinOffProposal.id == ContractModification.proposal_id)
            .where(ContractModification.procurement_id.in_(ids)).order_by(ContractModification.id)):
        contract_changes.setdefault(modification.procurement_id, []).append(ocds.ContractChange(
            id=modification.id, decided_at=modification.decided_at, rationale=modification.reason,
            value_after_pence=modification.value_after_pence,
            description=f"Spin-off “{title}” added: {modification.route_label} ({modification.ground}); "
                        f"cumulative change {modification.cumulative_percent}% of the original value."))
    # UK9 contract performance notices, oldest first.
    performance: dict[int, list[ocds.PerformanceReport]] = {}
    for notice in db.session.scalars(select(ContractPerformanceNotice)
                                     .where(ContractPerformanceNotice.procurement_id.in_(ids))
                                     .order_by(ContractPerformanceNotice.id)):
        performance.setdefault(notice.procurement_id, []).append(ocds.PerformanceReport(
            id=notice.id, period_ends_on=notice.period_ends_on, published_at=notice.published_at,
            assessment=notice.assessment_md))
    document_url = _document_url_builder()
    found = []
    for procurement in procurements:
        award = awards.get(procurement.id)
        responders = bidders.get(procurement.id, [])
        supplier = next((org for response_id, org in responders if award and response_id == award.response_id), None)
        published = [(v, v.published_at) for v in procurement.versions if v.published_at is not None]
        amendments = [ocds.SpecAmendment(number=v.number, previous_number=previous.number,
                                         published_at=published_at, note=v.note or "",
                                         response_deadline=_time(changes.get((procurement.id, v.number), {})
                                                                 .get("new_deadline")))
                      for (previous, _), (v, published_at) in zip(published, published[1:])]
        tender_notice = notices.get(procurement.id, {})
        found.append(ocds.ProcurementFacts(
            procurement=procurement, award=award, contract=contracts.get(procurement.id),
            tenderers=[org for _, org in responders], supplier=supplier,
            number_of_tenderers=len(responders) if procurement.opened_at is not None else None,
            answers_published=answered.get(procurement.id, []),
            first_response_deadline=_time(tender_notice.get("response_deadline")),
            regime=tender_notice.get("regime"),
            amendments=amendments, contract_changes=contract_changes.get(procurement.id, []),
            performance=performance.get(procurement.id, []), document_url=document_url))
    return found


def _implementation_release(facts: ocds.ProcurementFacts, prefix: str, suffix: str, as_of: datetime) -> dict[str, Any]:
    """The release around one approved outcome statement (outcomes.ocds.releases)."""
    return ocds.release(facts, prefix, suffix=suffix, as_of=as_of, tags=["implementation"], status="complete")


def releases_of(procurements: list[Procurement]) -> list[dict[str, Any]]:
    prefix = ocid_prefix()
    found = []
    for facts in gather_facts(procurements):
        built = ocds.releases(facts, prefix)
        outcome_facts = outcomes_ocds.gather(facts.contract)
        if outcome_facts is not None and facts.award is not None and facts.contract is not None:
            built += outcomes_ocds.releases(
                outcome_facts, partial(_implementation_release, facts, prefix),
                payer=ocds.reference(facts.procurement.owner), payee=ocds.reference(facts.contract.provider))
            built.sort(key=lambda release: release["date"])
        found += built
    return found


def latest_date(releases: Iterable[dict[str, Any]]) -> datetime:
    """A package's publishedDate: when its newest content changed (OCDS's advice for on-demand packages)."""
    dates = [release["date"] for release in releases]
    return datetime.strptime(max(dates), "%Y-%m-%dT%H:%M:%SZ") if dates else utcnow()


@dataclass
class Page:
    releases: list[dict[str, Any]]
    next_cursor: Cursor | None


def releases_page(cursor: Cursor | None, per_page: int) -> Page:
    """One page of procurements (all the releases of each), and the cursor after it if there is more."""
    found = list(db.session.scalars(_after(published_query(), cursor).limit(per_page + 1)))
    more = len(found) > per_page
    found = found[:per_page]
    return Page(releases_of(found), _cursor_of(found[-1]) if more else None)


def procurement_releases(procurement_id: int) -> list[dict[str, Any]] | None:
    """Every release of one procurement; None when it does not exist or was never published."""
    procurement = db.session.scalar(published_query().where(Procurement.id == procurement_id))
    if procurement is None:
        return None
    return releases_of([procurement])


def published_batches(batch_size: int, after_read: Callable[[], None] | None = None) -> Iterator[list[dict[str, Any]]]:
    """The releases of every published procurement, one keyset batch of procurements at a time.

    Each batch's ORM rows go out of scope once its releases are built, and the
    session's identity map holds them only weakly, so memory is flat in the
    number of procurements. `after_read` runs once a batch is built (the CLI
    ends its transaction there, so SQLite writers are not held up).
    """
    cursor = None
    while True:
        found = list(db.session.scalars(_after(published_query(), cursor).limit(batch_size)))
        if not found:
            return
        cursor = _cursor_of(found[-1])
        built = releases_of(found)
        del found
        if after_read:
            after_read()
        yield built


def package_chunks(batches: Iterable[list[dict[str, Any]]], *, uri: str) -> Iterator[str]:
    """One release package as text, a chunk per batch, never holding more than one batch.

    JSON objects are unordered, so "publishedDate" (the newest release's date)
    is written after the releases, once it is known.
    """
    head = ocds.package_head(uri=uri, published_date=utcnow())
    del head["publishedDate"]
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "releases": ['
    newest: str | None = None
    first = True
    for batch in batches:
        parts = []
        for release in batch:
            parts.append(("\n" if first else ",\n") + json.dumps(release, ensure_ascii=False))
            first = False
            newest = max(newest or release["date"], release["date"])
        yield "".join(parts)
    published = newest or ocds.date_time(utcnow())
    yield f'\n], "publishedDate": {json.dumps(published)}}}\n'


def write_package(out: TextIO, *, uri: str, batch_size: int,
                  after_read: Callable[[], None] | None = None) -> int:
    """Write the package of everything to `out` incrementally; returns the number of releases written."""
    count = 0

    def counted() -> Iterator[list[dict[str, Any]]]:
        nonlocal count
        for batch in published_batches(batch_size, after_read=after_read):
            count += len(batch)
            yield batch

    for chunk in package_chunks(counted(), uri=uri):
        out.write(chunk)
    return count


def record_ocds_export(target: str) -> None:
    """Bulk copies of the open data are on the record too, like every other export of the trail."""
    trail.record("ocds.exported", actor_label="system (flask export ocds)",
                 summary=f"Exported the OCDS release package of every published procurement to {target}",
                 payload={"target": target, "ocid_prefix": ocid_prefix()})
