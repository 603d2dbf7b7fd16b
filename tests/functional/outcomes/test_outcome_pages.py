"""Contract outcomes through the pages: submit, query, resubmit, verify, calculate, approve; what each person sees."""
from html import unescape
from io import BytesIO

from sqlalchemy import select

from outcomes.models import EvidenceFile, OutcomeReturn, PaymentStatement
from outcomes.services.common import outcomes_for
from tests.conftest import submit
from trail.models import AuditEvent

STRATA = "high, 11-15, 1, 1\nmedium, 16-17, 2, 1"
CSV = b"quarter,cohort,remained\n2026-Q2,3,2\n"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _return_form(**changes):
    data = {"period": "2026-Q2", "cohort": "3", "achieved": "2", "strata": STRATA,
            "narrative": "Two of three stayed in their first home."}
    data.update(changes)
    return data


def _submit_return(client, contract, outcome, **changes):
    url = f"/tenders/{contract.procurement_id}/contract/outcomes/{outcome.id}/return"
    data = _return_form(**changes)
    return submit(client, url, data)


def test_the_whole_round_through_the_pages(client, db, world, auth, contract):
    p = contract.procurement_id
    outcome = outcomes_for(contract)[0]
    auth.sign_in(world.p1)
    url = f"/tenders/{p}/contract/outcomes/{outcome.id}/return"
    page = client.get(url)
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    sent = client.post(url, data=_return_form(csrf_token=token, evidence=(BytesIO(CSV), "q2-stability.csv")),
                       content_type="multipart/form-data")
    assert sent.status_code == 302, _text(sent)
    first = db.session.scalars(select(OutcomeReturn)).one()
    assert first.status == "submitted" and first.evidence[0].sha256
    auth.sign_out()

    auth.sign_in(world.c1)
    queried = submit(client, f"/tenders/{p}/contract/returns/{first.id}/query",
                     {"query-reason": "The cohort looks low: please check the intake list"},
                     form_url=f"/tenders/{p}/contract/returns/{first.id}", prefix="query-")
    assert queried.status_code == 302
    evidence = client.get(f"/tenders/{p}/contract/evidence/{first.evidence[0].id}")
    assert evidence.status_code == 200 and evidence.data == CSV
    auth.sign_out()

    auth.sign_in(world.p1)
    again = _submit_return(client, contract, outcome, cohort="20", achieved="15",
                           strata="high, 11-15, 10, 8\nmedium, 16-17, 10, 7")
    assert again.status_code == 302, _text(again)
    second = db.session.scalars(select(OutcomeReturn).where(OutcomeReturn.supersedes_id == first.id)).one()
    db.session.refresh(first)
    assert first.status == "superseded"
    auth.sign_out()

    auth.sign_in(world.c1)
    verified = submit(client, f"/tenders/{p}/contract/returns/{second.id}/verify", {},
                      form_url=f"/tenders/{p}/contract/returns/{second.id}")
    assert verified.status_code == 302
    calculated = submit(client, f"/tenders/{p}/contract/statements", {"period": "2026-Q2"},
                        form_url=f"/tenders/{p}/contract/outcomes")
    assert calculated.status_code == 302
    statement = db.session.scalars(select(PaymentStatement)).one()
    assert "Approve the 2026-Q2 statement" not in _text(client.get(f"/tenders/{p}/contract/outcomes"))
    refused = submit(client, f"/tenders/{p}/contract/statements/{statement.id}/approve", {},
                     form_url=f"/tenders/{p}/contract/outcomes")
    assert refused.status_code == 403
    auth.sign_out()

    auth.sign_in(world.c2)
    approved = submit(client, f"/tenders/{p}/contract/statements/{statement.id}/approve", {},
                      form_url=f"/tenders/{p}/contract/outcomes")
    assert approved.status_code == 302
    db.session.refresh(statement)
    assert statement.status == "approved" and statement.approved_by_id == world.c2.id
    auth.sign_out()

    public = _text(client.get(f"/tenders/{p}/contract/outcomes"))
    assert "Payment statements by period" in public and "Approved" in public
    assert "75%" in public  # 15 of 20
    assert "Timeline of returns and decisions" in public
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("outcomes.%"))))
    assert {"outcomes.return_submitted", "outcomes.return_queried", "outcomes.return_resubmitted",
            "outcomes.return_verified", "outcomes.statement_calculated", "outcomes.statement_approved"} <= actions


def test_the_public_sees_small_counts_suppressed_and_the_parties_see_them_in_full(client, db, world, auth,
                                                                                   contract):
    from outcomes.services import returns
    from tests.unit.outcomes.builders import LATER, submitted

    outcome = outcomes_for(contract)[0]
    returns.verify_return(submitted(world, outcome, "2026-Q2", cohort=3, achieved=2), world.c1, now=LATER)
    page = _text(client.get(f"/tenders/{contract.procurement_id}/contract/outcomes"))
    assert "fewer than 5" in page and "66.7%" not in page
    auth.sign_in(world.c1)
    page = _text(client.get(f"/tenders/{contract.procurement_id}/contract/outcomes"))
    assert "66.7%" in page and "fewer than 5" not in page.split("Targets against actuals")[1].split("Payment")[0]


def test_a_bad_return_keeps_what_was_typed_and_says_what_is_wrong(client, db, world, auth, contract):
    outcome = outcomes_for(contract)[0]
    auth.sign_in(world.p1)
    response = _submit_return(client, contract, outcome, achieved="5", cohort="3",
                              narrative="Kept everything typed here")
    text = _text(response)
    assert response.status_code == 200
    assert "The number achieved cannot be more than the cohort" in text
    assert "Kept everything typed here" in text
    assert db.session.scalars(select(OutcomeReturn)).first() is None


def test_a_narrative_naming_a_childs_date_of_birth_must_be_looked_at_again(client, db, world, auth, contract):
    outcome = outcomes_for(contract)[0]
    auth.sign_in(world.p1)
    response = _submit_return(client, contract, outcome, narrative="One boy, DOB 03/04/2012, moved twice.")
    assert "may contain personal data about a child" in _text(response)
    assert db.session.scalars(select(OutcomeReturn)).first() is None


def test_evidence_is_not_for_the_public_or_other_providers(client, db, world, auth, contract):
    from forum.attachments import Upload
    from outcomes.services import returns
    from tests.unit.outcomes.builders import LATER, proportion

    outcome = outcomes_for(contract)[0]
    returns.submit_return(outcome, world.p1, period="2026-Q2", figures=proportion(10, 7), narrative_md="",
                          files=[Upload("records.csv", CSV)], now=LATER)
    file_id = db.session.scalars(select(EvidenceFile.id)).one()
    url = f"/tenders/{contract.procurement_id}/contract/evidence/{file_id}"
    assert client.get(url).status_code in (302, 401)
    auth.sign_in(world.p2)
    assert client.get(url).status_code == 403
    auth.sign_out()
    auth.sign_in(world.auditor)
    assert client.get(url).data == CSV
