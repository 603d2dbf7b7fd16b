"""When a procurement shows the Health and Social Care (Wales) Act 2025 not-for-profit restrictions.

They restrict profit in Welsh councils' children's homes, fostering services
and secure accommodation services (the dates and their source are one table,
accounts.wales_care). Of this platform's categories, residential care is the
children's homes and fostering is fostering; secure accommodation is
commissioned as residential care. The information is shown, never enforced.
"""
from __future__ import annotations

from tenders.jurisdiction import Nation

COVERED_CATEGORIES = ("childrens_homes", "fostering")


def restrictions_apply(nation: Nation, category: str) -> bool:
    """A Welsh council's children's home, fostering or secure accommodation procurement."""
    return nation == Nation.WALES and category in COVERED_CATEGORIES
