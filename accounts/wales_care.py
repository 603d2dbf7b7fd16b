"""The Health and Social Care (Wales) Act 2025 not-for-profit restrictions on children's care, as one data table.

The Act removes private profit from the care of looked-after children in
Wales: children's homes, fostering services and secure accommodation
services. The platform shows these dates as information, on a Welsh
council's procurement for such a service and on a provider's profile; it
never enforces them. The dates are the ones announced for the Act's phases
and must be checked against the Act's commencement regulations before
anyone relies on them: every page that shows them says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accounts.models import PROFIT_DISTRIBUTING_FORMS

SOURCE = "Health and Social Care (Wales) Act 2025"
CHECK_NOTE = ("Information, not legal advice: check each date against the Act's commencement regulations before "
              "relying on it.")
SERVICES = "children's homes, fostering services and secure accommodation services"


@dataclass(frozen=True)
class Restriction:
    code: str
    what: str
    starts: str  # as announced; a year alone where no day has been set
    starts_on: date | None  # the day, where one is given


RESTRICTIONS = (
    Restriction("new_registrations", "New registrations: only not-for-profit providers may register a new "
                "children's home, fostering service or secure accommodation service.", "1 April 2026",
                date(2026, 4, 1)),
    Restriction("no_expansion", "No expansion: existing for-profit providers may not add services or places.",
                "1 April 2027", date(2027, 4, 1)),
    Restriction("placements", "Placements: councils place children only with not-for-profit providers.", "2030",
                None),
)


def may_distribute_profit(legal_form: str | None) -> bool | None:
    """Whether a legal form can pay profit to owners (None: not recorded). The platform's reading of the form,
    not a ruling on the Act's definition of a not-for-profit provider."""
    if legal_form is None:
        return None
    return legal_form in PROFIT_DISTRIBUTING_FORMS
