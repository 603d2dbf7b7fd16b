"""Plain benchmarking inputs for tests: strata rows and payments without a database."""
from __future__ import annotations

import random
from datetime import date

from benchmarking.method import StratumCount


def stratum(provider: int, cohort: int, achieved: int, *, name: str | None = None, kind: str = "independent",
            indicator: str = "Stable placement for 12 months", period: str = "2026-Q3", category: str = "residential",
            intensity: str = "high", age_band: str = "11-15", council: int = 900, region: str = "West Midlands"
            ) -> StratumCount:
    return StratumCount(
        contract_id=provider * 10, contract_reference=f"CC-2026-{provider:05d}", provider_org_id=provider,
        provider_name=name or f"Provider {provider:03d}", provider_type=kind, council_org_id=council,
        council_name=f"Council {council}", region=region, category=category, indicator=indicator, outcome_id=provider,
        period=period, period_end=date(2026, 9, 30), intensity=intensity, age_band=age_band, cohort=cohort,
        achieved=achieved)


STRATA = [("low", "5-10", 0.8), ("medium", "11-15", 0.6), ("high", "11-15", 0.35), ("high", "16-17", 0.25)]


def simulate(rng: random.Random, providers: int, *, planted: dict[int, float] | None = None, cohort: int = 120,
             kinds: tuple[str, ...] = ("independent", "in-house")) -> list[StratumCount]:
    """Children drawn stratum by stratum at the stratum's true rate, times a planted effect (odds ratio) if any."""
    rows = []
    for p in range(1, providers + 1):
        mix = [rng.random() + 0.1 for _ in STRATA]
        total = sum(mix)
        for (intensity, band, rate), weight in zip(STRATA, mix):
            n = max(1, round(cohort * weight / total))
            odds = rate / (1 - rate) * (planted or {}).get(p, 1.0)
            true_rate = odds / (1 + odds)
            achieved = sum(rng.random() < true_rate for _ in range(n))
            rows.append(stratum(p, n, achieved, intensity=intensity, age_band=band, kind=kinds[p % len(kinds)]))
    return rows
