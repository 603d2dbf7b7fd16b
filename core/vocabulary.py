"""The words every package shares for where a service is: one list of regions, used by forums, procurements
and organisations alike, so a filter on one page means the same as on another."""
from __future__ import annotations

# The nine English regions (ONS) and Wales: where the platform's councils commission.
REGIONS = [
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "Wales",
]
