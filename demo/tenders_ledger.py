"""Demo data for the parity ledger: one private contact disclosed with a redaction, one still to resolve (its
provider picked no procurement but quoted the reference, so it was tagged automatically), and one in which no
procurement was named, marked not about any live procurement.

Called by the demo loader with a procurement in engagement, one of its owning
commissioners and at least two provider people. Everything goes through the
real services, so the audit trail and the outbox are what they would be.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.models import User
from tenders.models import Procurement
from tenders.models.ledger import Contact
from tenders.services import ledger
from tenders.services.ledger import RedactionInput


@dataclass
class LedgerDemo:
    disclosed: Contact
    pending: Contact
    not_about_live: Contact


def load_ledger_demo(procurement: Procurement, commissioner: User, providers: list[User],
                     now: datetime) -> LedgerDemo:
    """The three contacts, each made through the services at the times a real exchange would have them."""
    if len(providers) < 2:
        raise ValueError("the ledger demo needs two provider people")
    first, second = providers[0], providers[1]
    asked = ledger.start_conversation(
        first, organisation=commissioner.organisation, procurement=procurement,
        subject="Sharing a home across two boroughs",
        body_md=("Could one of our homes in the neighbouring borough count towards the lot? It is ten minutes "
                 "from the boundary, and our registered manager's rota already covers it."),
        now=now - timedelta(days=3))
    ledger.send_message(asked, commissioner, body_md=(
        "Yes: homes within 20 miles of the boundary count, as the engagement notice will now say. "
        "We will publish this to every provider."), now=now - timedelta(days=3, hours=-2))
    disclosed = ledger.contacts_of(asked)[0]
    ledger.disclose_contact(disclosed, commissioner, summary_md=(
        "A provider asked whether a home just outside the county can count towards the lot. **Homes within "
        "20 miles of the county boundary count.** The engagement notice and the draft specification will say so."),
        redactions=[RedactionInput("The address and staffing of the provider's home",
                                   "Commercially sensitive, and not needed to understand the answer")],
        now=now - timedelta(days=2))
    visit = ledger.start_conversation(
        first, organisation=commissioner.organisation, procurement=None,
        subject="New registered manager",
        body_md=("Our home in Calderbrook has a new registered manager from Monday. Could you update your list of "
                 "provider contacts?"),
        now=now - timedelta(days=2))
    unrelated = ledger.contacts_of(visit)[0]
    ledger.mark_not_about_live_procurement(
        unrelated, commissioner,
        reason="A change of contact details for the provider list: it says nothing about any procurement.",
        now=now - timedelta(days=1, hours=20))
    pending = ledger.start_conversation(
        second, organisation=commissioner.organisation, procurement=None,
        subject="Mobilisation period",
        body_md=(f"About {procurement.reference}: is a three-month mobilisation period realistic, given the Ofsted "
                 f"registration time for a new home?"),
        now=now - timedelta(days=1))
    return LedgerDemo(disclosed, ledger.contacts_of(pending)[0], unrelated)
