"""Where a run's inputs come from: the outcomes package's verified results and approved payments, and nothing else.

The outcomes package owns what counts as a verified return and an approved
statement; benchmarking reads only its two published functions and turns
their rows into the method's own plain inputs, so the method never sees a
database row.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from accounts.models import Organisation
from benchmarking.method import Payment, StratumCount
from core.extensions import db
from outcomes.results import (
    approved_payments,
    provider_type_of,
    verified_stratum_results,
)


def load_inputs(as_of: date) -> tuple[list[StratumCount], list[Payment]]:
    """Every verified stratum and approved payment for periods ending by `as_of`."""
    strata = [StratumCount(
        contract_id=r.contract_id, contract_reference=r.contract_reference, provider_org_id=r.provider_org_id,
        provider_name=r.provider_name, provider_type=r.provider_type, council_org_id=r.council_org_id,
        council_name=r.council_name, region=r.region, category=r.category, indicator=r.indicator,
        outcome_id=r.outcome_id, period=r.period, period_end=r.period_end, intensity=r.intensity,
        age_band=r.age_band, cohort=r.cohort, achieved=r.achieved) for r in verified_stratum_results(as_of=as_of)]
    raw = approved_payments(as_of=as_of)
    org_ids = {p.provider_org_id for p in raw}
    orgs = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(org_ids)))} \
        if org_ids else {}
    payments = [Payment(contract_id=p.contract_id, provider_org_id=p.provider_org_id, period=p.period, paid=p.paid,
                        achieved=p.achieved, provider_name=orgs[p.provider_org_id].name,
                        provider_type=provider_type_of(orgs[p.provider_org_id])) for p in raw]
    return strata, payments
