"""Benchmark runs over real organisations, recorded through the real service."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from benchmarking.method import Payment, StratumCount
from benchmarking.services import record_run
from core import clock
from tests.unit.benchmarking.builders import stratum

# A Thursday before Christmas: the right of reply runs over Christmas, New Year and 4 January (a Scottish holiday).
RUN_DAY = datetime(2026, 12, 17, 10, 0)


def strata_for(providers, council, *, periods=("2026-Q2", "2026-Q3")) -> list[StratumCount]:
    """Four providers with enough children to be named, one small enough to show "fewer than 5"."""
    rows = []
    shapes = [(40, 30), (36, 20), (30, 12), (12, 3)]
    for (org, kind), (cohort, achieved) in zip(providers, shapes):
        for period in periods:
            for intensity, share in (("high", 2), ("medium", 1)):
                n = cohort * share // 3
                got = achieved * share // 3
                rows.append(replace(stratum(org.id, n, got, name=org.name, kind=kind, period=period,
                                            intensity=intensity, council=council.id),
                                    council_name=council.name))
    return rows


def payments_for(providers, *, period="2026-Q3") -> list[Payment]:
    return [Payment(org.id * 10, org.id, period, Decimal(20000 + 5000 * i), 10 + 3 * i, org.name, kind)
            for i, (org, kind) in enumerate(providers)]


def make_run(providers, council, actor=None, *, when: datetime = RUN_DAY):
    clock.set_now(when)
    try:
        return record_run(actor, strata_for(providers, council), payments_for(providers), as_of=date(2026, 12, 1))
    finally:
        clock.set_now(None)


@pytest.fixture
def providers(org_factory):
    """Four providers for a run: three independent, one a council's in-house unit."""
    return [(org_factory("provider", name="Ash Homes"), "independent"),
            (org_factory("provider", name="Birch Care"), "independent"),
            (org_factory("provider", name="Cedar Council Homes", provider_type="in_house"), "in-house"),
            (org_factory("provider", name="Damson Trust"), "independent")]


@pytest.fixture
def council(org_factory):
    return org_factory("commissioning_unit", name="Midshire Council")
