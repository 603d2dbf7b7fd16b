"""The thresholds table, and the regime of a procurement taken at its legal start.

Thresholds change (they are revised every two years, and Wales makes its own
instrument), so they live in the `procurement_threshold` table with effective
dates and a jurisdiction, seeded by migrations; this module is the only code
that reads them. The decision itself is tenders.regime_rules.decide, a pure
function.

The legal start is the day the procurement's first notice was published or
suppliers were first contacted about it (SI 2024/728 reg 3: a procurement is
"commenced" by a notice or by contacting suppliers). The platform takes the
earliest of: the start the commissioner recorded (for an earlier start outside
the platform), the engagement notice, the tender notice and the first
conversation with a provider about it. Until one of those exists the
procurement has not legally started, and its regime is shown as at today,
provisionally.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select

from core.extensions import db
from tenders.jurisdiction import NATION_LABELS, Nation, nation_of
from tenders.models import Procurement, Threshold
from tenders.regime_rules import Regime, RegimeFacts, decide
from tenders.workingdays import uk_date

# Every council on the platform is a sub-central authority (PA23 Schedule 1 para 5(1): "central government
# authority" means the Crown and the bodies in PR 2024 Schedule 2, which lists no local authority).
PROCUREMENT_AUTHORITY = "sub_central"


def threshold_amount(code: str, on: date, nation: Nation = Nation.ENGLAND) -> int | None:
    """The amount (pence, incl. VAT) of a threshold in force on a date for a nation, from the table."""
    return db.session.scalar(
        select(Threshold.amount_pence)
        .where(Threshold.code == code, Threshold.jurisdiction == nation.value, Threshold.effective_from <= on,
               or_(Threshold.effective_to.is_(None), Threshold.effective_to >= on))
        .order_by(Threshold.effective_from.desc()).limit(1)
    )


def thresholds_in_force(on: date, nation: Nation) -> dict[str, int]:
    """Every threshold in force on a date for a nation, by code."""
    rows = db.session.scalars(
        select(Threshold)
        .where(Threshold.jurisdiction == nation.value, Threshold.effective_from <= on,
               or_(Threshold.effective_to.is_(None), Threshold.effective_to >= on))
        .order_by(Threshold.effective_from))
    return {row.code: row.amount_pence for row in rows}


def threshold_rows(on: date) -> list[Threshold]:
    """The rows in force on a date, both nations: the rules page lists them with their source."""
    return list(db.session.scalars(
        select(Threshold)
        .where(Threshold.effective_from <= on, or_(Threshold.effective_to.is_(None), Threshold.effective_to >= on))
        .order_by(Threshold.jurisdiction, Threshold.amount_pence)))


def regime_on(facts: RegimeFacts) -> Regime:
    """The regime for facts given directly (the rules calculator and the API)."""
    return decide(facts, thresholds_in_force(facts.started_on, facts.nation))


@dataclass(frozen=True)
class LegalStart:
    on: date
    source: str  # what fixed it, in words
    provisional: bool  # True while nothing has started the procurement yet (then `on` is today)


def legal_start(procurement: Procurement, now: datetime) -> LegalStart:
    """The earliest of the recorded start, the first notice and the first supplier contact, as UK dates."""
    from tenders.models.ledger import Conversation

    first_contact = db.session.scalar(
        select(func.min(Conversation.started_at)).where(Conversation.procurement_id == procurement.id))
    candidates: list[tuple[date, str]] = []
    if procurement.recorded_start_on is not None:
        candidates.append((procurement.recorded_start_on, "the start recorded by the commissioner"))
    if procurement.engagement_published_at is not None:
        candidates.append((uk_date(procurement.engagement_published_at), "the preliminary market engagement notice"))
    if procurement.tender_published_at is not None:
        candidates.append((uk_date(procurement.tender_published_at), "the tender notice"))
    if first_contact is not None:
        candidates.append((uk_date(first_contact), "the first recorded contact with a supplier"))
    if not candidates:
        return LegalStart(uk_date(now), "not started yet: no notice published and no supplier contacted, so "
                                        "taken as today until one is", provisional=True)
    on, source = min(candidates, key=lambda c: c[0])
    return LegalStart(on, source, provisional=False)


@dataclass(frozen=True)
class ProcurementRegime:
    regime: Regime
    start: LegalStart
    nation: Nation

    # The template reads these as it read the old Regime.
    @property
    def code(self) -> str:
        return self.regime.code

    @property
    def label(self) -> str:
        return self.regime.label

    @property
    def threshold_pence(self) -> int | None:
        return self.regime.threshold_pence

    @property
    def nation_label(self) -> str:
        return NATION_LABELS[self.nation]


def facts_of(procurement: Procurement, started_on: date, value_pence: int | None = None) -> RegimeFacts:
    return RegimeFacts(
        value_pence=procurement.estimated_value_pence if value_pence is None else value_pence,
        cpv=procurement.cpv_code, started_on=started_on, nation=nation_of(procurement.owner),
        authority=PROCUREMENT_AUTHORITY, psr_decision=procurement.psr_decision or "")


def regime_of(procurement: Procurement, now: datetime, *, value_pence: int | None = None) -> ProcurementRegime:
    """The procurement's regime, framework and threshold, taken at its legal start for its owner's nation.

    `value_pence` replaces the estimated value (the contract's value, when it is entered into).
    """
    start = legal_start(procurement, now)
    facts = facts_of(procurement, start.on, value_pence)
    return ProcurementRegime(regime_on(facts), start, facts.nation)
