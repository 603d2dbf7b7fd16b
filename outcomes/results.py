"""Verified outcome results and approved payments, for the packages that compare contracts.

Other packages (fair benchmarking) read outcomes only through these plain
frozen dataclasses, so the tables behind them can change without breaking
them. Only figures that count are handed out: returns that are verified and
not superseded, disputed or refused, and statements a second commissioner
approved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, select

from accounts.models import Organisation
from core.extensions import db
from outcomes.models import (
    ContractOutcome,
    Measure,
    OutcomeReturn,
    PaymentStatement,
    ReturnStatus,
    ReturnStratum,
    StatementStatus,
)
from tenders.models import Contract, Procurement


@dataclass(frozen=True)
class StratumResult:
    contract_id: int  # the contract's id (procurement_contract.id)
    contract_reference: str  # the procurement's reference, e.g. "CC-2026-00007"
    provider_org_id: int
    provider_name: str
    provider_type: str  # "in-house" or "independent": see provider_type_of
    council_org_id: int
    council_name: str
    region: str
    category: str
    indicator: str
    outcome_id: int
    period: str  # e.g. "2026-Q3"
    period_end: date
    intensity: str
    age_band: str
    cohort: int
    achieved: int


@dataclass(frozen=True)
class ContractPayments:
    contract_id: int
    provider_org_id: int
    period: str
    paid: Decimal  # pounds: base + earned (+ any adjustment) in the approved statement
    achieved: int  # successful outcomes in that period, from verified proportion and count returns


def provider_type_of(provider: Organisation) -> str:
    """"in-house" for a council's in-house provider unit (provider type in_house, or the public-body legal form);
    every other provider, independent or voluntary, is "independent" of the commissioning council."""
    if provider.provider_type == "in_house" or provider.legal_form == "public_body":
        return "in-house"
    return "independent"


def _counting() -> Select[tuple[OutcomeReturn, ContractOutcome, Contract, Procurement]]:
    return (select(OutcomeReturn, ContractOutcome, Contract, Procurement)
            .join(ContractOutcome, ContractOutcome.id == OutcomeReturn.outcome_id)
            .join(Contract, Contract.id == OutcomeReturn.contract_id)
            .join(Procurement, Procurement.id == Contract.procurement_id)
            .where(OutcomeReturn.status == ReturnStatus.VERIFIED))


def verified_stratum_results(*, as_of: date | None = None) -> list[StratumResult]:
    """Only verified, not superseded, not disputed returns of proportion outcomes, one row per stratum."""
    query = _counting().where(ContractOutcome.measure == Measure.PROPORTION)
    if as_of is not None:
        query = query.where(OutcomeReturn.period_end <= as_of)
    rows = db.session.execute(query.order_by(OutcomeReturn.id)).all()
    strata: dict[int, list[ReturnStratum]] = {}
    if rows:
        for stratum in db.session.scalars(select(ReturnStratum).where(
                ReturnStratum.return_id.in_([r.OutcomeReturn.id for r in rows])).order_by(ReturnStratum.id)):
            strata.setdefault(stratum.return_id, []).append(stratum)
    results = []
    for ret, outcome, contract, procurement in rows:
        provider = contract.provider
        council = procurement.owner
        for s in strata.get(ret.id, []):
            results.append(StratumResult(
                contract_id=contract.id, contract_reference=procurement.reference, provider_org_id=provider.id,
                provider_name=provider.name, provider_type=provider_type_of(provider), council_org_id=council.id,
                council_name=council.name, region=procurement.region or council.region or "",
                category=procurement.category, indicator=outcome.indicator, outcome_id=outcome.id,
                period=ret.period, period_end=ret.period_end, intensity=s.intensity, age_band=s.age_band,
                cohort=s.cohort, achieved=s.achieved))
    return results


def approved_payments(*, as_of: date | None = None) -> list[ContractPayments]:
    """One row per approved statement: what was paid and how many outcomes were achieved in that period."""
    query = (select(PaymentStatement, Contract).join(Contract, Contract.id == PaymentStatement.contract_id)
             .where(PaymentStatement.status == StatementStatus.APPROVED))
    if as_of is not None:
        query = query.where(PaymentStatement.period_end <= as_of)
    achieved: dict[tuple[int, str], int] = {}
    for ret, _outcome, _contract, _procurement in db.session.execute(
            _counting().where(ContractOutcome.measure.in_([Measure.PROPORTION, Measure.COUNT]))).all():
        key = (ret.contract_id, ret.period)
        achieved[key] = achieved.get(key, 0) + (ret.achieved or 0)
    return [ContractPayments(contract_id=contract.id, provider_org_id=contract.provider_org_id, period=s.period,
                             paid=Decimal(s.total_pence) / 100, achieved=achieved.get((contract.id, s.period), 0))
            for s, contract in db.session.execute(query.order_by(PaymentStatement.period_end,
                                                                  PaymentStatement.id)).all()]
