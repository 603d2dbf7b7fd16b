"""The words every package shares for what a service is and where: one list of service categories and one of
regions, used by forums, need statements, procurements and organisations alike, so a filter on one page
means the same as on another ("Children's homes" is never "Residential care" elsewhere)."""
from __future__ import annotations

# The kinds of children's service the platform's forums discuss and its councils buy: key -> label.
SERVICE_CATEGORIES = {
    "childrens_homes": "Children's homes",
    "fostering": "Fostering",
    "residential_special_schools": "Residential special schools",
    "send_education": "Special educational provision (SEND)",
    "short_breaks": "Short breaks",
    "supported_accommodation": "Supported accommodation (16+)",
    "family_support": "Family support",
    "therapeutic": "Therapeutic services",
    "transitions": "Transitions to adulthood",
    "transport": "Home-to-school and SEND transport",
}

# The nine English regions (ONS) and Wales: where the platform's councils commission.
REGIONS = [
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "Wales",
]
