"""Providers responding and asking; receipts; the two-person opening; evaluation and award pages."""
import io
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from tenders.models import TenderResponse
from tests.conftest import submit as post
from tests.conftest import submit_and_confirm
from tests.unit.tenders.builders import AFTER, DEADLINE, T0, awarded, declare_none, evaluated, in_tender, opened, submit
from trail.models import AuditEvent


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _response_data(p, price="1,050,000"):
    data = {"method_statement": "Small homes, trained staff, strong school links.", "price": price}
    for outcome in p.published_version.outcomes:
        data[f"commitment-{outcome.id}"] = f"We commit to: {outcome.target}"
    for criterion in p.criteria:
        if criterion.kind == "quality":
            data[f"answer-{criterion.id}"] = f"On {criterion.name}: key workers who stay."
    return data


def test_verified_provider_submits_and_gets_a_receipt(client, db, world, auth, at):
    p = in_tender(world)
    at(T0 + timedelta(days=2))
    auth.sign_in(world.p1)
    data = _response_data(p)
    data["documents"] = [(io.BytesIO(b"%PDF-1.4 policy"), "safeguarding.pdf")]
    response = post(client, f"/tenders/{p.id}/respond", data, follow_redirects=True)
    html = _text(response)
    stored = db.session.scalars(select(TenderResponse)).one()
    assert "Receipt for your sealed response" in html and stored.sha256 in html
    assert stored.submitted_at == T0 + timedelta(days=2)


def test_missing_commitment_keeps_what_was_typed(client, db, world, auth, at):
    p = in_tender(world)
    auth.sign_in(world.p1)
    data = _response_data(p)
    first = p.published_version.outcomes[0]
    data[f"commitment-{first.id}"] = ""
    response = post(client, f"/tenders/{p.id}/respond", data)
    html = _text(response)
    assert "There is a problem" in html and "outcome 1 has no commitment" in html
    assert "Small homes, trained staff" in html and 'value="1,050,000"' in html
    assert db.session.scalars(select(TenderResponse)).first() is None


def test_unverified_provider_gets_a_clear_error(client, db, world, auth, at):
    p = in_tender(world)
    auth.sign_in(world.unverified)
    response = client.get(f"/tenders/{p.id}/respond")
    assert "must be verified" in _text(response)


def test_late_submission_is_refused_on_the_page(client, db, world, auth, at):
    p = in_tender(world)
    auth.sign_in(world.p1)
    page = client.get(f"/tenders/{p.id}/respond")
    assert page.status_code == 200
    at(DEADLINE + timedelta(seconds=1))
    response = post(client, f"/tenders/{p.id}/respond", _response_data(p))
    assert db.session.scalars(select(TenderResponse)).first() is None
    assert response.status_code == 200 and "you can no longer submit a response" in _text(response)


def test_provider_reading_another_providers_receipt_is_refused_and_audited(client, db, world, auth, at):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 100)
    auth.sign_in(world.p2)
    response = client.get(f"/tenders/{p.id}/responses/{receipt.response_id}/receipt")
    assert response.status_code == 403
    refusal = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")
                                 .order_by(AuditEvent.seq.desc())).first()
    assert refusal.actor_user_id == world.p2.id and "response.receipt" in refusal.payload


def test_nobody_can_read_a_response_page_before_opening(client, db, world, auth, at):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 100)
    for user in (world.c1, world.auditor, world.p1):
        auth.sign_in(user)
        assert client.get(f"/tenders/{p.id}/responses/{receipt.response_id}").status_code == 403
        auth.sign_out()


def test_withdraw_then_resubmit_from_the_page(client, db, world, auth, at):
    p = in_tender(world)
    submit(world, p, world.p1, 100)
    auth.sign_in(world.p1)
    post(client, f"/tenders/{p.id}/respond/withdraw", {}, form_url=f"/tenders/{p.id}", prefix="withdraw-")
    assert db.session.scalars(select(TenderResponse)).one().status == "withdrawn"


def test_clarification_is_asked_answered_and_published_with_a_pseudonym(client, db, world, auth, at):
    p = in_tender(world)
    auth.sign_in(world.p1)
    response = post(client, f"/tenders/{p.id}/clarifications", {"question": "Is education on site expected?"},
                    follow_redirects=True)
    assert "Bidder Q-1" in _text(response)
    auth.sign_out()
    auth.sign_in(world.c1)
    from tenders.models import Clarification
    q = db.session.scalars(select(Clarification)).one()
    at(DEADLINE - timedelta(days=2))
    response = post(client, f"/tenders/{p.id}/clarifications/{q.id}/answer",
                    {"answer": "No: children attend local schools."}, follow_redirects=True)
    assert "consider extending the deadline" in _text(response)
    auth.sign_out()
    public = _text(client.get(f"/tenders/{p.id}"))
    assert "Bidder Q-1 asked" in public and "children attend local schools" in public
    assert "Alpha Homes" not in public


def test_question_after_the_clarification_deadline_shows_an_error(client, db, world, auth, at):
    p = in_tender(world)
    at(p.clarification_deadline + timedelta(minutes=5))
    auth.sign_in(world.p1)
    response = post(client, f"/tenders/{p.id}/clarifications", {"question": "Too late?"})
    assert "no more questions can be asked" in _text(response)


def test_opening_needs_the_deadline_and_two_commissioners(client, db, world, auth, at):
    p = in_tender(world)
    submit(world, p, world.p1, 100)
    auth.sign_in(world.c1)
    page = _text(client.get(f"/tenders/{p.id}/open"))
    assert "The responses stay sealed until the deadline" in page and "Ask to open the responses" not in page
    # A request sent anyway (a page kept open from elsewhere, a script) is refused by the service.
    response = post(client, f"/tenders/{p.id}/open", {}, form_url=f"/tenders/{p.id}/declarations")
    assert "cannot be opened before the deadline" in _text(response)
    at(AFTER)
    post(client, f"/tenders/{p.id}/open", {})
    response = post(client, f"/tenders/{p.id}/open", {})
    assert "a different commissioner" in _text(response)
    assert not p.is_opened
    auth.sign_out()
    auth.sign_in(world.c2)
    response = post(client, f"/tenders/{p.id}/open", {})
    assert response.status_code == 302 and p.is_opened and p.stage == "evaluation"
    assert "Alpha Homes" in _text(client.get(f"/tenders/{p.id}/responses"))


def test_evaluator_scores_off_the_scale_see_an_error(client, db, world, auth, at):
    p = opened(world)
    from tenders.services import evaluation
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    at(AFTER)
    auth.sign_in(world.c1)
    r = evaluation.ranking(p)[0].response
    data = {}
    for c in evaluation.quality_criteria(p):
        data[f"score-{c.id}"] = "9"
        data[f"rationale-{c.id}"] = "Very strong"
    response = post(client, f"/tenders/{p.id}/evaluation/{r.id}/score", data)
    html = _text(response)
    assert "give a score from 0 to 5" in html and 'value="9"' in html
    assert evaluation.visible_scores(p, world.c1) == []


def test_award_page_publishes_the_notice_with_standstill(client, db, world, auth, at):
    p = evaluated(world)
    at(AFTER)
    auth.sign_in(world.c1)
    from tenders.services import evaluation
    top = evaluation.ranking(p)[0].response
    response = submit_and_confirm(client, f"/tenders/{p.id}/award", {"response": str(top.id),
                                  "reasons": "Best outcomes offer.", "standstill": "y"}, follow_redirects=True)
    assert "Standstill ends at the end of 1 April 2026" in _text(response)
    assert p.stage == "award"


def test_bidder_sees_its_own_assessment_summary_only(client, db, world, auth, at):
    p = awarded(world)
    auth.sign_in(world.p2)
    html = _text(client.get(f"/tenders/{p.id}/assessment"))
    assert "Assessment summary" in html and "Alpha Homes" in html
    auth.sign_out()
    auth.sign_in(world.unverified)
    assert client.get(f"/tenders/{p.id}/assessment").status_code == 403


def test_response_documents_download_only_after_opening(client, db, world, auth, at):
    from tenders.services import responses
    p = in_tender(world)
    outcomes = p.published_version.outcomes
    receipt = responses.submit_response(
        p, world.p1, method_statement="M", commitments={o.id: "Yes" for o in outcomes}, price_pence=100,
        criterion_answers={c.id: "Yes" for c in p.criteria if c.kind == "quality"},
        documents=[responses.Document("plan.pdf", "application/pdf", b"%PDF-1.4 our plan")], now=T0)
    url = f"/tenders/{p.id}/responses/{receipt.response_id}/documents/0"
    auth.sign_in(world.c1)
    assert client.get(url).status_code == 403
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    at(AFTER)
    refused = client.get(url)
    assert refused.status_code == 403 and "Declare your interests" in refused.get_data(as_text=True)
    declare_none(p, world.c1, now=AFTER)
    response = client.get(url)
    assert response.status_code == 200 and response.data == b"%PDF-1.4 our plan"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/tenders/{p.id}/responses/{receipt.response_id}/documents/7").status_code == 404
