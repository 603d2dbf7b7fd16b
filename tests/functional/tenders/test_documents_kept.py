"""Documents people keep: the engagement report as a PDF, receipts that list files with hashes, emailed and
downloadable, and bids labelled by bidder after the opening."""
import hashlib
import io
from datetime import timedelta
from html import unescape

from sqlalchemy import func, select

from core.models import OutboxMessage
from tenders.services import codesign, responses
from tenders.services.responses import Document
from tests.conftest import submit as submit_form
from tests.unit.tenders.builders import (
    AFTER,
    T0,
    in_engagement,
    in_tender,
    opened,
    submit,
)


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_the_engagement_report_downloads_as_a_pdf_too(client, db, world, at):
    p = in_engagement(world)
    codesign.open_thread(p, world.p1, title="Close to home", message_md="Could we?", now=T0 - timedelta(days=10))
    db.session.commit()
    pdf = client.get(f"/tenders/{p.id}/codesign/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    assert f"engagement-report-{p.reference}-v" in pdf.headers["Content-Disposition"]
    assert "report.pdf" in _text(client.get(f"/tenders/{p.id}"))


def test_a_receipt_lists_each_file_with_its_hash_and_is_emailed_and_downloadable(client, db, world, auth, at):
    p = in_tender(world)
    data = b"%PDF-1.4 our method statement"
    outcomes = p.published_version.outcomes
    receipt = responses.submit_response(p, world.p1, method_statement="How", commitments={o.id: "We commit"
                                                                                          for o in outcomes},
                                        criterion_answers={c.id: "Ours" for c in p.criteria if c.kind == "quality"},
                                        price_pence=100_000_00, documents=[Document("method.pdf", "application/pdf",
                                                                                    data)],
                                        now=T0 + timedelta(days=1))
    db.session.commit()
    digest = hashlib.sha256(data).hexdigest()
    assert receipt.documents == (("method.pdf", digest),)
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == world.p1.email)
                              .order_by(OutboxMessage.id.desc())).first()
    assert "receipt for your sealed response" in mail.subject and f"method.pdf: {digest}" in mail.body
    auth.sign_in(world.p1)
    page = _text(client.get(f"/tenders/{p.id}/responses/{receipt.response_id}/receipt"))
    assert "method.pdf" in page and digest in page and "Download the receipt" in page
    download = client.get(f"/tenders/{p.id}/responses/{receipt.response_id}/receipt.txt")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert f"method.pdf: {digest}" in download.get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(world.p2)
    assert client.get(f"/tenders/{p.id}/responses/{receipt.response_id}/receipt.txt").status_code in (403, 404)


def test_the_score_page_says_what_0_to_5_mean_and_scores_name_the_bidder(client, db, world, auth, at):
    from tenders.scoring import bands
    from tenders.services import evaluation

    p = opened(world)
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    first = responses.responses_for(p)[0]
    evaluation.record_scores(p, world.c1, first, {c.id: (3, "Fair") for c in evaluation.quality_criteria(p)},
                             now=AFTER)
    db.session.commit()
    at(AFTER)
    auth.sign_in(world.c1)
    html = _text(client.get(f"/tenders/{p.id}/evaluation/{first.id}/score"))
    assert "What the scores mean" in html and "Satisfactory" in html and "Excellent" in html
    assert [b.scores for b in bands(5)] == ["0", "1", "2", "3", "4", "5"]
    evaluation_page = _text(client.get(f"/tenders/{p.id}/evaluation"))
    assert f'data-label="Response">{first.provider.name}<' in evaluation_page


def test_documents_added_after_publication_are_addenda_and_every_bidder_is_emailed(client, db, world, auth, at):
    p = in_tender(world)
    submit(world, p, world.p1, 110_000_000)
    db.session.commit()
    at(T0 + timedelta(days=2))
    auth.sign_in(world.c1)
    before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    response = submit_form(client, f"/tenders/{p.id}/documents",
                           {"title": "Pricing schedule, corrected",
                            "document": (io.BytesIO(b"corrected schedule"), "pricing.csv")}, follow_redirects=True)
    assert "Addendum published. Every bidder has been emailed." in _text(response)
    [document] = p.documents
    assert document.is_addendum
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id).offset(before)).all()
    assert world.p1.email in {m.recipient for m in mails}
    assert any("addendum “Pricing schedule, corrected”" in m.subject for m in mails)
    from accounts.models import Notification

    told = db.session.scalars(select(Notification).where(Notification.user_id == world.p1.id)).all()
    assert any("addendum “Pricing schedule, corrected”" in n.text for n in told)
    assert "Addendum" in _text(client.get(f"/tenders/{p.id}"))
    at(AFTER)  # after the deadline: refused, nothing added
    refused = submit_form(client, f"/tenders/{p.id}/documents",
                          {"title": "Too late", "document": (io.BytesIO(b"late"), "late.txt")})
    assert "no addendum can be added now" in _text(refused) and len(p.documents) == 1


def test_a_response_saved_as_a_draft_is_kept_unsealed_and_only_a_submission_is_sealed(client, db, world, auth, at):
    from tenders.models import TenderResponse
    from tenders.models.drafts import ResponseDraft

    p = in_tender(world)
    db.session.commit()
    at(T0 + timedelta(days=1))
    auth.sign_in(world.p1)
    url = f"/tenders/{p.id}/respond"
    outcome = p.published_version.outcomes[0]
    saved = submit_form(client, url, {"method_statement": "Half written", f"commitment-{outcome.id}": "We will",
                                      "price": "", "save_draft": "Save as a draft"}, follow_redirects=True)
    html = _text(saved)
    assert "Your draft is saved. It is not a response" in html
    assert "Half written</textarea>" in html and "We will</textarea>" in html
    assert db.session.scalar(select(func.count()).select_from(TenderResponse)) == 0
    row = db.session.scalars(select(ResponseDraft)).one()
    assert b"Half written" not in row.content  # encrypted like a response
    data = {"method_statement": "Finished", "price": "1000000", "submit": "Seal and submit response"}
    data |= {f"answer-{c.id}": "Our answer" for c in p.criteria if c.kind == "quality"}
    data |= {f"commitment-{o.id}": "We commit" for o in p.published_version.outcomes}
    assert submit_form(client, url, data).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(TenderResponse)) == 1
    assert db.session.scalar(select(func.count()).select_from(ResponseDraft)) == 0


def test_the_response_form_asks_for_an_answer_on_every_award_criterion(client, db, world, auth, at):
    p = in_tender(world)
    db.session.commit()
    at(T0 + timedelta(days=1))
    auth.sign_in(world.p1)
    url = f"/tenders/{p.id}/respond"
    form = _text(client.get(url))
    quality = [c for c in p.criteria if c.kind == "quality"]
    for criterion in quality:
        assert f'name="answer-{criterion.id}"' in form and criterion.name in form
    data = {"method_statement": "M", "price": "1000000", "submit": "Seal and submit response"}
    data |= {f"commitment-{o.id}": "We commit" for o in p.published_version.outcomes}
    data[f"answer-{quality[0].id}"] = "Key workers who stay"
    refused = _text(submit_form(client, url, data))
    assert f"Answer every award criterion: “{quality[1].name}” has no answer" in refused
    assert "Key workers who stay</textarea>" in refused
    data |= {f"answer-{c.id}": f"On {c.name}" for c in quality}
    assert submit_form(client, url, data).status_code == 302
    import json

    from tenders import crypto
    from tenders.models import TenderResponse

    sealed = db.session.scalars(select(TenderResponse)).one()
    content = json.loads(crypto.decrypt(responses.sealed_ciphertext(sealed)))  # sealed with the rest
    assert content["criterion_answers"] == {str(c.id): f"On {c.name}" for c in quality}
