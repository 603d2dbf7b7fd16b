"""The method in words, for readers of the figures: served at /api/v1/benchmarks/method.

Written next to the parameters it quotes, so the document cannot say one
threshold while the code uses another.
"""
from __future__ import annotations

from typing import Any

from benchmarking.method import (
    CLASSIFY_LEVEL,
    INNER_LEVEL,
    METHOD_VERSION,
    MIN_COMPARATORS,
    MIN_NAMED_COHORT,
    OUTER_LEVEL,
    REPLY_WORKING_DAYS,
    parameters,
)
from core.disclosure import THRESHOLD


def method_document() -> dict[str, Any]:
    return {
        "method_version": METHOD_VERSION,
        "parameters": parameters(),
        "sections": [
            {"title": "What is compared",
             "text": "Verified returns of proportion outcomes (how many of the children counted achieved the "
                     "outcome), one table per outcome indicator and period. Returns that are superseded, disputed "
                     "or refused are left out."},
            {"title": "Indirect standardisation",
             "text": "Each child is counted in a stratum fixed at intake: need intensity, age band and service "
                     "category. The platform-wide success rate in each stratum, applied to a provider's own intake "
                     "mix, gives the number of successes expected of it. Nothing the provider controls enters the "
                     "adjustment, so a provider with a harder intake is compared with what is expected of that "
                     "intake."},
            {"title": "Observed against expected",
             "text": f"Observed over expected (O/E): above 1 means more children achieved the outcome than "
                     f"expected. Its {INNER_LEVEL:.0%} and {OUTER_LEVEL:.1%} intervals are the exact "
                     "(Clopper-Pearson) intervals of the provider's proportion, divided by its expected proportion."},
            {"title": "Within, above or below expected",
             "text": f"A provider is above or below expected only when its {CLASSIFY_LEVEL:.1%} interval excludes 1, "
                     "so a provider performing exactly as expected is flagged by chance about once in 500. The "
                     "funnel plot shows the same limits against the number of children."},
            {"title": "No ranking",
             "text": "Providers are always listed alphabetically. The platform publishes no league table."},
            {"title": "Cost per successful outcome",
             "text": "What was paid under approved payment statements in a period, over the successful outcomes "
                     "in that period, with the exact (Garwood) Poisson interval on the number of successes."},
            {"title": "In-house and independent provision",
             "text": "The same figures for all in-house provider units together and all independent providers "
                     "together."},
            {"title": "Who is named",
             "text": f"A provider is named only when it counted at least {MIN_NAMED_COHORT} children on the "
                     f"outcome and at least {MIN_COMPARATORS} providers report on it; otherwise it counts only in "
                     "the totals of its type."},
            {"title": "Small numbers",
             "text": f"Counts under {THRESHOLD} show as “fewer than {THRESHOLD}”, and further counts are hidden "
                     "where a hidden one could otherwise be worked out by subtraction, including from the in-house "
                     "and independent subtotals. A ratio is hidden with its counts."},
            {"title": "Right of reply",
             "text": f"Before publication each provider sees its own result against anonymised peers and has "
                     f"{REPLY_WORKING_DAYS} working days (no weekends, and no bank holiday in any part of the UK) "
                     "to add a note, published beside its figures. Figures are published the day after."},
            {"title": "Reproducing a run",
             "text": "Every run records its method version, parameters, inputs and the hashes of its inputs and "
                     "results in the audit trail. `flask benchmarks reproduce RUN` recomputes it from the trail and "
                     "fails on any difference."},
        ],
    }
