"""The tenders pages' charts: the public pipeline on /tenders and each contract's cumulative modifications.

Drawn with core.charts (server-side SVG, the same figures as a table beneath). Both count procurements or
money, never people, so no small-number suppression applies.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select

from core.charts import Chart, bar_chart, line_chart
from core.extensions import db
from core.timezones import in_uk, uk_date
from tenders.models import PUBLIC_STAGES, STAGES, Contract, Procurement
from tenders.models.spinoffs import ContractModification
from tenders.modification_rules import CAP_PERCENT

PIPELINE_MONTHS = 12
# PA23 s.74(4) and Schedule 8 para 8: the below-threshold route allows up to 10% of the original value for
# services; PCR 2015 reg 72(5) "below" 10%. Both frameworks cap a single modification at 50% (CAP_PERCENT).
BELOW_THRESHOLD_PERCENT = 10


def _month_key(moment: datetime) -> tuple[int, int]:
    local = in_uk(moment)
    return local.year, local.month


def _months_back(now: datetime, count: int) -> list[tuple[int, int]]:
    year, month = _month_key(now)
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def pipeline_chart(now: datetime) -> Chart | None:
    """Published procurements by the month they were first published (UK time) and the stage they are at now,
    over the last twelve months; None when nothing was published in that time."""
    first_public = func.coalesce(Procurement.engagement_published_at, Procurement.tender_published_at,
                                 Procurement.closed_at)
    rows = db.session.execute(select(first_public, Procurement.stage)
                              .where(Procurement.stage.in_(PUBLIC_STAGES), first_public.is_not(None))).all()
    months = _months_back(now, PIPELINE_MONTHS)
    counts = Counter((_month_key(published), stage) for published, stage in rows)
    if not any(counts[(month, stage)] for month in months for stage in PUBLIC_STAGES):
        return None
    labels = [datetime(year, month, 1).strftime("%b %Y") for year, month in months]
    series = {STAGES[stage]: [counts[(month, stage)] for month in months] for stage in PUBLIC_STAGES
              if any(counts[(month, stage)] for month in months)}
    total = sum(sum(values) for values in series.values())
    return bar_chart("Procurements published each month, by the stage they are at now", labels, series,
                     stacked=True, x_heading="Month first published", y_title="Procurements",
                     alt=f"A stacked bar chart of the {total} procurements published in the last {PIPELINE_MONTHS} "
                         "months, by month and current stage. The figures are in the table below.")


def modifications_chart(contract: Contract) -> Chart | None:
    """The contract's cumulative modification, as a % of its original value, after each accepted
    modification, against the 10% and 50% lines; None before the first modification."""
    modifications = list(db.session.scalars(select(ContractModification)
                                            .where(ContractModification.contract_id == contract.id)
                                            .order_by(ContractModification.decided_at, ContractModification.id)))
    if not modifications:
        return None
    labels = ["Award"] + [f"{uk_date(m.decided_at)}: {m.proposal.title}" for m in modifications]
    cumulative = [0.0] + [float(m.cumulative_percent) for m in modifications]
    series = {"Cumulative modification": cumulative,
              f"{BELOW_THRESHOLD_PERCENT}% line": [float(BELOW_THRESHOLD_PERCENT)] * len(labels),
              f"{CAP_PERCENT}% line": [float(CAP_PERCENT)] * len(labels)}
    return line_chart(
        "Cumulative modification of the contract value", labels, series, x_heading="After", unit="%",
        y_title="% of the original value", dashed=(f"{BELOW_THRESHOLD_PERCENT}% line", f"{CAP_PERCENT}% line"),
        alt=f"A line chart of the contract's cumulative modification, now {cumulative[-1]:g}% of the original "
            f"value, against the {BELOW_THRESHOLD_PERCENT}% and {CAP_PERCENT}% lines. The figures are in the table "
            "below.",
        notes=((f"{BELOW_THRESHOLD_PERCENT}%: the below-threshold modification route for services "
                "(Procurement Act 2023 s.74(4); Public Contracts Regulations 2015 reg 72(5))."),
               (f"{CAP_PERCENT}%: the most a single modification may add under the grounds that cap it "
                "(Procurement Act 2023 Schedule 8; Public Contracts Regulations 2015 reg 72(1)(b) and (c)).")))
