"""OCDS 1.1.5 releases for published procurements: pure functions from models to dicts.

Nothing here queries the database or reads the clock, so the same facts always
give the same releases (an OCDS release is meant to be immutable once
published), and the mapping is testable without an app. oversight.ocds_services
gathers the facts and streams the packages.

The stage mapping:

  engagement          -> tender.status "planning" + a planning milestone of type "engagement"
  tender, evaluation  -> "active"
  award               -> "active" while standstill runs; "complete" once a contract exists
  cancelled           -> "cancelled";  unsuccessful -> "unsuccessful"

The notices, each a release with its tag: the contract award notice (UK6,
"award"), the contract details notice (UK7, "contract"), the procurement
termination notice ("tenderCancellation"), each contract change notice
(UK10, "contractAmendment"), each contract performance notice (UK9,
"implementation") and the contract termination notice ("contractTermination").

One release per stage reached, each a snapshot as of its own date, so a
consumer replaying them sees the procurement as the public saw it then.
What never appears: a draft, anything from a sealed response except the price
the contract was entered into at (public on the contract notice), scores,
rankings, and the identities of bidders before the award notice names them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from accounts.models import Organisation
from sufficiency.ocds import METRICS_EXTENSION, need_forecasts
from tenders.models import CLOSED_STAGES, Award, Contract, Procurement, ProcurementDocument

OCDS_VERSION = "1.1"
CURRENCY = "GBP"
LANGUAGE = "en"

# CPV (Common Procurement Vocabulary, the classification UK notices use) for each category.
# Every category is a service to children; the code is the nearest CPV 2008 entry.
CPV = {
    "childrens_homes": ("85311300", "Welfare services for children and young people"),
    "residential_special_schools": ("80340000", "Special education services"),
    "transitions": ("85312000", "Social work services without accommodation"),
    "fostering": ("85311300", "Welfare services for children and young people"),
    "send_education": ("80340000", "Special education services"),
    "short_breaks": ("85311200", "Welfare services for the handicapped"),
    "supported_accommodation": ("85311000", "Social work services with accommodation"),
    "family_support": ("85312000", "Social work services without accommodation"),
    "therapeutic": ("85121270", "Psychiatrist or psychologist services"),
}
REGIME_DETAILS = {
    "light_touch": "Open procedure; light-touch contract under the Procurement Act 2023",
    "public_contract": "Open procedure; public contract under the Procurement Act 2023",
    "psr": "Provider Selection Regime (Health Care Services (Provider Selection Regime) Regulations 2023)",
    "notifiable_below_threshold": "Open procedure; notifiable below-threshold contract",
    "below_threshold": "Open procedure; below-threshold contract",
}


@dataclass(frozen=True)
class SpecAmendment:
    """A specification version published during the tender (the quiet period)."""

    number: int
    previous_number: int | None
    published_at: datetime
    note: str
    # The response deadline once this change was published; None when the record does not say.
    response_deadline: datetime | None = None


@dataclass(frozen=True)
class ContractChange:
    """One accepted modification of the contract (a spin-off), from its public modification register."""

    id: int
    decided_at: datetime
    description: str
    rationale: str
    value_after_pence: int


@dataclass(frozen=True)
class PerformanceReport:
    """A UK9 contract performance notice (PA23 s.52): the KPI assessment for a period."""

    id: int
    period_ends_on: date
    published_at: datetime
    assessment: str


@dataclass
class ProcurementFacts:
    """Everything the releases of one procurement are built from, gathered by oversight.ocds_services."""

    procurement: Procurement
    award: Award | None = None
    contract: Contract | None = None
    # The organisations whose responses counted, and the winner: published only with the award notice.
    tenderers: list[Organisation] = field(default_factory=list)
    supplier: Organisation | None = None
    # Published with the opening (the "responses.opened" event is public).
    number_of_tenderers: int | None = None
    # When each clarification answer was published (to everyone): the releases say whether there were any yet.
    answers_published: list[datetime] = field(default_factory=list)
    # The response deadline and regime as the tender notice published them (from its audit event).
    first_response_deadline: datetime | None = None
    regime: str | None = None
    amendments: list[SpecAmendment] = field(default_factory=list)
    contract_changes: list[ContractChange] = field(default_factory=list)
    performance: list[PerformanceReport] = field(default_factory=list)
    document_url: Callable[[ProcurementDocument], str] | None = None


def is_published(procurement: Procurement) -> bool:
    """Public in OCDS terms: an engagement or tender notice went out. A draft never is, even a cancelled one."""
    return procurement.engagement_published_at is not None or procurement.tender_published_at is not None


def ocid(prefix: str, procurement: Procurement) -> str:
    """The reference is unique and never reused, so prefix + reference is a stable ocid."""
    return f"{prefix}{procurement.reference}"


def date_time(moment: datetime) -> str:
    """Stored times are naive UTC; OCDS wants RFC 3339 with a zone."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def day_start(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def day_end(day: date) -> str:
    """A period that ends on a day includes all of it (standstill and contracts end at midnight)."""
    return f"{day.isoformat()}T23:59:59Z"


def value(pence: int) -> dict[str, Any]:
    """Money is held in whole pence; OCDS amounts are in the currency's main unit."""
    return {"amount": pence / 100, "currency": CURRENCY}


def party_id(organisation: Organisation) -> str:
    return f"commons-org-{organisation.id}"


def party(organisation: Organisation, roles: list[str]) -> dict[str, Any]:
    """An organisation with the identifiers it registered: Companies House or charity number when known."""
    entry: dict[str, Any] = {"id": party_id(organisation), "name": organisation.name, "roles": roles}
    identifiers = []
    if organisation.companies_house_number:
        identifiers.append({"scheme": "GB-COH", "id": organisation.companies_house_number,
                            "legalName": organisation.name})
    if organisation.charity_number:
        identifiers.append({"scheme": "GB-CHC", "id": organisation.charity_number, "legalName": organisation.name})
    if identifiers:
        entry["identifier"] = identifiers[0]
        if len(identifiers) > 1:
            entry["additionalIdentifiers"] = identifiers[1:]
    if organisation.region:
        entry["address"] = {"region": organisation.region, "countryName": "United Kingdom"}
    return entry


def reference(organisation: Organisation) -> dict[str, str]:
    return {"id": party_id(organisation), "name": organisation.name}


def _public_award(facts: ProcurementFacts, as_of: datetime) -> Award | None:
    """The award, once its notice is out by `as_of`."""
    if facts.award is not None and facts.award.notice_published_at <= as_of:
        return facts.award
    return None


def _award_public(facts: ProcurementFacts, as_of: datetime) -> bool:
    return _public_award(facts, as_of) is not None


def _public_contract(facts: ProcurementFacts, as_of: datetime) -> Contract | None:
    """The contract, once it is entered into by `as_of`."""
    if facts.contract is not None and facts.contract.created_at <= as_of:
        return facts.contract
    return None


def _contract_public(facts: ProcurementFacts, as_of: datetime) -> bool:
    return _public_contract(facts, as_of) is not None


def _closed_at(procurement: Procurement, as_of: datetime) -> datetime | None:
    """When the procurement was cancelled or closed unsuccessful, if that was by `as_of`."""
    if procurement.stage in CLOSED_STAGES and procurement.closed_at is not None and procurement.closed_at <= as_of:
        return procurement.closed_at
    return None


def _closed(procurement: Procurement, as_of: datetime) -> bool:
    return _closed_at(procurement, as_of) is not None


def parties(facts: ProcurementFacts, as_of: datetime) -> list[dict[str, Any]]:
    """The buyer always; bidders and the supplier only once the award notice has named them."""
    buyer = facts.procurement.owner
    found = [party(buyer, ["buyer", "procuringEntity"])]
    if _award_public(facts, as_of):
        for organisation in facts.tenderers:
            roles = ["tenderer", "supplier"] if facts.supplier and organisation.id == facts.supplier.id \
                else ["tenderer"]
            found.append(party(organisation, roles))
    return found


def _engagement_milestones(procurement: Procurement, as_of: datetime) -> list[dict[str, Any]]:
    """The engagement period and each published engagement event (reg 17's date, time and place)."""
    milestones = []
    if procurement.engagement_closes_on is not None:
        closed = procurement.engagement_closes_on < as_of.date()
        milestones.append({
            "id": "engagement", "title": "Preliminary market engagement", "type": "engagement",
            "description": "Preliminary market engagement is open to every provider until this date.",
            "dueDate": day_end(procurement.engagement_closes_on), "status": "met" if closed else "scheduled",
        })
    for event in procurement.events:
        if event.created_at > as_of:
            continue
        # A forum meeting is the source of its date, time and place; its cancellation counts from when it happened.
        cancelled = event.meeting is not None and event.meeting.cancelled_at is not None \
            and event.meeting.cancelled_at <= as_of
        description = f"Place: {event.where}"
        if cancelled:
            description += f". Cancelled: {event.cancellation_reason}"
        milestones.append({
            "id": f"engagement-event-{event.id}", "title": event.title, "type": "engagement",
            "description": description, "dueDate": date_time(event.when),
            "status": "notMet" if cancelled else "met" if event.when <= as_of else "scheduled",
        })
    return milestones


def _items(procurement: Procurement) -> list[dict[str, Any]]:
    item: dict[str, Any] = {"id": "1", "description": procurement.category_label}
    if procurement.category in CPV:
        code, description = CPV[procurement.category]
        item["classification"] = {"scheme": "CPV", "id": code, "description": description}
    return [item]


def _deadline_at(facts: ProcurementFacts, as_of: datetime) -> datetime | None:
    """The response deadline in force at `as_of`: the notice's, then each published change's.

    The deadline only moves when a changed specification is published, so
    once every change is out the procurement's own deadline is the one.
    """
    if not any(a.published_at > as_of for a in facts.amendments):
        return facts.procurement.response_deadline
    deadline = facts.first_response_deadline
    for amendment in facts.amendments:
        if amendment.published_at <= as_of and amendment.response_deadline is not None:
            deadline = amendment.response_deadline
    return deadline


def _documents(facts: ProcurementFacts, as_of: datetime) -> list[dict[str, Any]]:
    procurement = facts.procurement
    published = [p for p in (procurement.engagement_published_at, procurement.tender_published_at) if p]
    found = []
    for document in procurement.documents:
        public_from = max([document.uploaded_at, *published[:1]])
        if public_from > as_of:
            continue
        entry: dict[str, Any] = {"id": str(document.id), "documentType": "biddingDocuments",
                                 "title": document.title, "datePublished": date_time(public_from),
                                 "format": document.content_type}
        if facts.document_url is not None:
            entry["url"] = facts.document_url(document)
        found.append(entry)
    return found


def _criteria_details(procurement: Procurement) -> str:
    return "; ".join(f"{c.name} ({c.kind_label}, {c.weight}%)" for c in procurement.criteria)


def tender(facts: ProcurementFacts, status: str, as_of: datetime) -> dict[str, Any]:
    """The tender block as the public could read it at `as_of`."""
    procurement = facts.procurement
    block: dict[str, Any] = {
        "id": procurement.reference,
        "title": procurement.title,
        "status": status,
        "procuringEntity": reference(procurement.owner),
        "mainProcurementCategory": "services",
        "items": _items(procurement),
    }
    if procurement.subject_md:
        block["description"] = procurement.subject_md
    if procurement.estimated_value_pence is not None:
        block["value"] = value(procurement.estimated_value_pence)
    tendered_at = procurement.tender_published_at
    if tendered_at is not None and tendered_at <= as_of:
        block["procurementMethod"] = "open"
        if facts.regime in REGIME_DETAILS:
            block["procurementMethodDetails"] = REGIME_DETAILS[facts.regime]
        if procurement.no_engagement_reason:
            block["procurementMethodRationale"] = ("No preliminary market engagement notice was published: "
                                                   + procurement.no_engagement_reason)
        if procurement.criteria:
            block["awardCriteria"] = "ratedCriteria"
            block["awardCriteriaDetails"] = _criteria_details(procurement)
        block["submissionMethod"] = ["electronicSubmission"]
        deadline = _deadline_at(facts, as_of)
        block["tenderPeriod"] = {"startDate": date_time(tendered_at)}
        if deadline is not None:
            block["tenderPeriod"]["endDate"] = date_time(deadline)
        if procurement.clarification_deadline is not None:
            block["enquiryPeriod"] = {"startDate": date_time(tendered_at),
                                      "endDate": date_time(procurement.clarification_deadline)}
        block["hasEnquiries"] = any(moment <= as_of for moment in facts.answers_published)
        amendments = [a for a in facts.amendments if a.published_at <= as_of]
        if amendments:
            block["amendments"] = [_amendment(facts, a) for a in amendments]
    if procurement.opened_at is not None and procurement.opened_at <= as_of and facts.number_of_tenderers is not None:
        block["numberOfTenderers"] = facts.number_of_tenderers
        period: dict[str, Any] = {"startDate": date_time(procurement.opened_at)}
        public_award = _public_award(facts, as_of)
        if public_award is not None:
            period["endDate"] = date_time(public_award.notice_published_at)
        block["awardPeriod"] = period
    if _award_public(facts, as_of):
        block["tenderers"] = [reference(o) for o in facts.tenderers]
    documents = _documents(facts, as_of)
    if documents:
        block["documents"] = documents
    closed_at = _closed_at(procurement, as_of)
    if closed_at is not None:
        block.setdefault("amendments", []).append({
            "id": procurement.stage, "date": date_time(closed_at),
            "description": f"The procurement is {procurement.stage}.", "rationale": procurement.closed_reason,
        })
    return block


def _amendment(facts: ProcurementFacts, amendment: SpecAmendment) -> dict[str, Any]:
    previous = f" (replacing version {amendment.previous_number})" if amendment.previous_number else ""
    entry: dict[str, Any] = {
        "id": f"specification-version-{amendment.number}", "date": date_time(amendment.published_at),
        "description": f"Specification version {amendment.number} published during the tender{previous}. "
                       "Bidders were notified and asked to re-confirm their responses.",
    }
    if amendment.note:
        entry["rationale"] = amendment.note
    return entry


def awards(facts: ProcurementFacts, as_of: datetime) -> list[dict[str, Any]]:
    """The award notice: winner and reasons. No scores, no ranking, no losing prices."""
    award = _public_award(facts, as_of)
    if award is None:
        return []
    cancelled = _closed(facts.procurement, as_of)
    description = award.reasons_md
    standstill_ends_on, contract_from = award.standstill_ends_on, award.contract_from
    if award.standstill_applies and standstill_ends_on and contract_from is not None:
        description += f"\n\nStandstill period: 8 working days, ending at midnight (UK time) at the end of " \
                       f"{standstill_ends_on.isoformat()}; the contract may be entered into from " \
                       f"{contract_from.isoformat()}."
    else:
        description += "\n\nNo standstill period applies."
    entry: dict[str, Any] = {
        "id": str(award.id), "title": f"Award of {facts.procurement.reference}",
        "description": description, "status": "cancelled" if cancelled else "active",
        "date": date_time(award.notice_published_at),
        "suppliers": [reference(facts.supplier)] if facts.supplier else [],
    }
    contract = _public_contract(facts, as_of)
    if contract is not None:
        entry["value"] = value(contract.original_value_pence)  # what was awarded; changes are amendments
        entry["contractPeriod"] = {"startDate": day_start(contract.starts_on),
                                   "endDate": day_end(contract.ends_on)}
    return [entry]


def _terminated(contract: Contract, as_of: datetime) -> bool:
    """The contract termination notice (PA23 s.80) is out by `as_of`."""
    return contract.termination_notice_published_at is not None and contract.termination_notice_published_at <= as_of


def contracts(facts: ProcurementFacts, as_of: datetime) -> list[dict[str, Any]]:
    contract = _public_contract(facts, as_of)
    if contract is None or facts.award is None:
        return []
    changes = [change for change in facts.contract_changes if change.decided_at <= as_of]
    terminated = _terminated(contract, as_of)
    built: dict[str, Any] = {
        "id": str(contract.id), "awardID": str(facts.award.id),
        "title": facts.procurement.title,
        "status": "terminated" if terminated else "pending" if contract.starts_on > as_of.date() else "active",
        "period": {"startDate": day_start(contract.starts_on), "endDate": day_end(contract.ends_on)},
        # The value as it stood at `as_of`: the original, then after each accepted modification.
        "value": value(changes[-1].value_after_pence if changes else contract.original_value_pence),
        "dateSigned": date_time(contract.created_at),
    }
    if changes:
        built["amendments"] = [{"id": f"modification-{change.id}", "date": date_time(change.decided_at),
                                "description": change.description, "rationale": change.rationale}
                               for change in changes]
    if terminated:
        early = contract.terminated_on is not None
        how = "was terminated early on" if early else "ended at the end of its term on"
        built["description"] = (f"Contract termination notice: the contract {how} {contract.ended_on.isoformat()}. "
                                f"{contract.termination_reason or ''}").strip()
        built["period"]["endDate"] = day_end(contract.ended_on)
    reports = [report for report in facts.performance if report.published_at <= as_of]
    if reports:
        built["implementation"] = {"documents": [{
            "id": f"performance-{report.id}", "documentType": "physicalProgressReport",
            "title": f"Contract performance notice (UK9): period to {report.period_ends_on.isoformat()}",
            "description": report.assessment, "datePublished": date_time(report.published_at)}
            for report in reports]}
    return [built]


def release(facts: ProcurementFacts, prefix: str, *, suffix: str, as_of: datetime, tags: list[str],
            status: str) -> dict[str, Any]:
    """One release: the whole procurement as the public could see it at `as_of`."""
    procurement = facts.procurement
    the_ocid = ocid(prefix, procurement)
    built: dict[str, Any] = {
        "ocid": the_ocid,
        "id": f"{the_ocid}-{suffix}",
        "date": date_time(as_of),
        "tag": tags,
        "initiationType": "tender",
        "language": LANGUAGE,
        "parties": parties(facts, as_of),
        "buyer": reference(procurement.owner),
    }
    milestones = _engagement_milestones(procurement, as_of) if procurement.engagement_published_at else []
    if milestones:
        built["planning"] = {"milestones": milestones}
    if status == "planning" and procurement.need_statements:  # the need it answers, as Metrics forecasts
        built.setdefault("planning", {})["forecasts"] = need_forecasts(procurement.need_statements)
    built["tender"] = tender(facts, status, as_of)
    found_awards = awards(facts, as_of)
    if found_awards:
        built["awards"] = found_awards
    found_contracts = contracts(facts, as_of)
    if found_contracts:
        built["contracts"] = found_contracts
    return built


def releases(facts: ProcurementFacts, prefix: str) -> list[dict[str, Any]]:
    """Every release of one published procurement, oldest first; [] for a draft."""
    procurement = facts.procurement
    if not is_published(procurement):
        return []
    found = []
    if procurement.engagement_published_at is not None:
        found.append(release(facts, prefix, suffix="engagement", as_of=procurement.engagement_published_at,
                             tags=["planning"], status="planning"))
    if procurement.tender_published_at is not None:
        found.append(release(facts, prefix, suffix="tender", as_of=procurement.tender_published_at,
                             tags=["tender"], status="active"))
        for amendment in facts.amendments:
            found.append(release(facts, prefix, suffix=f"amendment-{amendment.number}",
                                 as_of=amendment.published_at, tags=["tenderAmendment"], status="active"))
    if procurement.opened_at is not None and facts.number_of_tenderers is not None:
        found.append(release(facts, prefix, suffix="opened", as_of=procurement.opened_at, tags=["tenderUpdate"],
                             status="active"))
    if facts.award is not None:
        found.append(release(facts, prefix, suffix="award", as_of=facts.award.notice_published_at, tags=["award"],
                             status="active"))
    if facts.contract is not None:
        found.append(release(facts, prefix, suffix="contract", as_of=facts.contract.created_at, tags=["contract"],
                             status="complete"))
        contract = facts.contract
        if contract.details_notice_published_at is not None:  # UK7 contract details notice (PA23 s.53)
            found.append(release(facts, prefix, suffix="contract-details", as_of=contract.details_notice_published_at,
                                 tags=["contract"], status="complete"))
        for change in facts.contract_changes:  # UK10 contract change notices, where s.75 asks for one
            found.append(release(facts, prefix, suffix=f"contract-modification-{change.id}", as_of=change.decided_at,
                                 tags=["contractAmendment"], status="complete"))
        for report in facts.performance:  # UK9 contract performance notices (PA23 s.52)
            found.append(release(facts, prefix, suffix=f"performance-{report.id}", as_of=report.published_at,
                                 tags=["implementation"], status="complete"))
        if contract.termination_notice_published_at is not None:  # contract termination notice (PA23 s.80)
            found.append(release(facts, prefix, suffix="contract-termination",
                                 as_of=contract.termination_notice_published_at, tags=["contractTermination"],
                                 status="complete"))
    if procurement.stage in CLOSED_STAGES and procurement.closed_at is not None:
        tags = ["tenderCancellation"] if procurement.stage == "cancelled" else ["tenderUpdate"]
        if facts.award is not None and procurement.stage == "cancelled":
            tags.append("awardCancellation")
        found.append(release(facts, prefix, suffix=procurement.stage, as_of=procurement.closed_at, tags=tags,
                             status=procurement.stage))
    found.sort(key=lambda built: built["date"])  # stable: same-moment releases keep the order above
    return found


def package(releases_: list[dict[str, Any]], *, uri: str, published_date: datetime,
            links: dict[str, str] | None = None) -> dict[str, Any]:
    """A release package around some releases (the small, in-memory form: one page, one procurement)."""
    built: dict[str, Any] = package_head(uri=uri, published_date=published_date)
    built["releases"] = releases_
    if links:
        built["links"] = links
    return built


def package_head(*, uri: str, published_date: datetime) -> dict[str, Any]:
    """Everything in a package except its releases (the streamed export writes those one by one)."""
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": date_time(published_date),
        "publisher": {"name": "Commissioning Commons"},
        "extensions": [METRICS_EXTENSION],
    }
