"""The words of the sufficiency view: where supply is counted from, kinds of setting, kinds of neighbour.

The need vocabulary (need categories, intensities, horizons) is the need
statements' own, from forum.models, so a forecast, a setting and a need
statement all speak of the same needs.
"""
from __future__ import annotations

from enum import StrEnum

from forum.models import HORIZONS, INTENSITIES, NEED_CATEGORIES  # noqa: F401  (re-exported for this package)

INTENSITY_RANK = {key: rank for rank, key in enumerate(INTENSITIES)}
HORIZON_RANK = {key: rank for rank, key in enumerate(HORIZONS)}


class Source(StrEnum):
    """How far away the places that meet a need are, nearest first."""

    LOCAL = "local"
    NEARBY = "nearby"
    REGIONAL = "regional"
    NATIONAL = "national"


SOURCE_LABELS = {Source.LOCAL: "In the council's own area", Source.NEARBY: "In a neighbouring council",
                 Source.REGIONAL: "Elsewhere in the region", Source.NATIONAL: "Elsewhere in the country"}


class NeighbourKind(StrEnum):
    GEOGRAPHIC = "geographic"
    STATISTICAL = "statistical"


NEIGHBOUR_KINDS = {NeighbourKind.GEOGRAPHIC: "Geographic (shares a border)",
                   NeighbourKind.STATISTICAL: "Statistical (a similar council)"}

# The kinds of setting Ofsted registers (its "Provider type" column), and what the platform calls them.
SETTING_TYPES = {
    "childrens_home": "Children's home",
    "secure_childrens_home": "Secure children's home",
    "residential_special_school": "Residential special school",
    "independent_fostering_agency": "Independent fostering agency",
    "supported_accommodation": "Supported accommodation",
    "residential_family_centre": "Residential family centre",
    "short_breaks": "Short breaks",
    "other": "Other",
}


class SettingSource(StrEnum):
    DECLARED = "declared"     # a provider declared it
    IMPORTED = "imported"     # loaded from Ofsted's list by a council


class StatementStatus(StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
