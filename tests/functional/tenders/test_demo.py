"""The demo has a procurement at every stage, loaded through the services."""
import json

from sqlalchemy import select

from demo.load import load_demo
from tenders.models import STAGES, Procurement
from tenders.services import spinoffs


def test_demo_has_procurements_at_every_stage_with_outcomes_from_the_case_studies(db):
    assert load_demo()
    found = list(db.session.scalars(select(Procurement)))
    assert {p.stage for p in found} == set(STAGES) - {"unsuccessful"}
    for p in found:
        if spinoffs.origin_of(p) is None:  # a spin-off's new procurement starts from its text, with no spec yet
            assert p.latest_version.outcomes, p.title
    draft = next(p for p in found if p.stage == "planning")
    assert json.loads(draft.latest_version.check_warnings)  # the draft still prescribes inputs
    contract = next(p for p in found if p.stage == "contract")
    assert any("69%" in o.target for o in contract.published_version.outcomes)


def test_demo_has_co_design_contacts_a_declared_conflict_and_spin_offs_either_side_of_ten_percent(db):
    """Issue 5's demo: a co-designed spec with provenance, a resolved and an unresolved contact, a declared
    conflict, and spin-offs on each side of the 10% line."""
    from tenders.models import Contract
    from tenders.models.codesign import ClauseProvenance, CodesignProposal
    from tenders.models.conflicts import ConflictDeclaration
    from tenders.models.ledger import Contact
    from tenders.models.spinoffs import SpinOffProposal

    assert load_demo()
    decided = {p.decision for p in db.session.scalars(select(CodesignProposal))}
    assert {"accepted", "adapted", "declined"} <= decided
    assert any(row.origin == "proposal" for row in db.session.scalars(select(ClauseProvenance)))
    resolutions = {c.resolution for c in db.session.scalars(select(Contact))}
    assert "disclosed" in resolutions and None in resolutions
    assert db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.has_interest.is_(True))).first()
    proposals = list(db.session.scalars(select(SpinOffProposal)))
    shares = [p.price_pence / db.session.get(Contract, p.contract_id).original_value_pence for p in proposals]
    assert min(shares) <= 0.10 < max(shares)


def test_demo_send_transport_is_a_public_contract_not_light_touch(db, client):
    from html import unescape

    from core import clock
    from tenders.thresholds import regime_of

    assert load_demo()
    transport = db.session.scalars(select(Procurement).where(Procurement.category == "transport")).one()
    result = regime_of(transport, clock.utcnow())
    assert transport.cpv_code == "60130000" and not result.start.provisional
    assert (result.code, result.threshold_pence, result.regime.framework) == ("public_contract", 20_772_000, "pa23")
    html = unescape(client.get(f"/tenders/{transport.id}").get_data(as_text=True))
    assert "Public contract (above threshold, not light-touch)" in html and "£207,720.00" in html


def test_demo_has_a_welsh_contract_whose_modification_check_has_no_publication_duty(db, client):
    """Glanafon (a devolved Welsh authority): a contract over £5m whose waiting spin-off needs no s.77 publication,
    its UK7 published, and the not-for-profit restrictions on its page."""
    from core import clock
    from tenders.jurisdiction import Nation, nation_of
    from tenders.models.spinoffs import SpinOffProposal
    from tenders.services.spinoffs import Answers

    assert load_demo()
    p = db.session.scalars(select(Procurement).where(
        Procurement.title == "Small not-for-profit children's homes in Glanafon")).one()
    assert p.stage == "contract" and nation_of(p.owner) == Nation.WALES
    proposal = db.session.scalars(select(SpinOffProposal).where(SpinOffProposal.procurement_id == p.id)).one()
    check = spinoffs.check_for(proposal, Answers(), clock.utcnow().date())
    assert check.figures["value_after_pence"] > 500_000_000
    published = next(n for n in check.notices if n.code == "modified_contract_publication")
    assert published.status == "not required" and "devolved Welsh authority" in published.why
    page = client.get(f"/tenders/{p.id}").get_data(as_text=True)
    assert "not-for-profit restrictions" in page and "Contract details notice" in page
    assert p.owner.legal_form == "public_body"
