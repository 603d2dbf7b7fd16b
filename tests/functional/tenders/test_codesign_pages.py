"""Co-design through the pages: threads, proposals with diffs, decisions, provenance, the report, the lock."""
from datetime import timedelta
from html import unescape

from sqlalchemy import func, select

from core import clock, storage
from tenders.models import ProcurementDocument
from tenders.models.codesign import CodesignMessage, CodesignProposal, CodesignThread, MitigationNote
from tenders.services import codesign, links, procurements, specification
from tests.conftest import submit
from tests.unit.tenders.builders import (
    CLARIFY_BY,
    DEADLINE,
    GOOD_OUTCOMES,
    T0,
    clear_conflicts,
    forum_of,
    in_engagement,
    meeting_in,
)

E = T0 - timedelta(days=10)
BODY = "Homes for children.\n\n## Homes and placements\n\nNear home.\n\n## Education\n\nAt school.\n"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _sectioned(world):
    p = in_engagement(world)
    specification.save_version(p, world.c1, body_md=BODY, outcomes=list(GOOD_OUTCOMES), now=E - timedelta(days=1))
    return p


def _with_proposal(world):
    p = _sectioned(world)
    thread = codesign.open_thread(p, world.p1, title="Close to home", message_md="Could we?", now=E)
    proposal = codesign.propose_change(thread, world.p1, section_key="homes-and-placements",
                                       text="Within 20 miles of home.", rationale_md="Testable.", now=E)
    return p, thread, proposal


def test_a_provider_opens_a_thread_and_others_read_it_attributed(client, db, world, auth, at):
    at(E)
    p = _sectioned(world)
    auth.sign_in(world.in_house)
    response = submit(client, f"/tenders/{p.id}/codesign/new", {"title": "Therapeutic support",
                                                                 "message": "Should the draft name a model?"})
    assert response.status_code == 302
    thread = db.session.scalars(select(CodesignThread)).one()
    auth.sign_out()
    html = _text(client.get(f"/tenders/{p.id}/codesign/{thread.id}"))
    assert "Therapeutic support" in html and "Should the draft name a model?" in html
    assert "Person Number" in html and "(Northshire In-House Homes), 20 February 2026, 9am" in html
    assert "Northshire In-House Homes: 1 thread opened" in _text(client.get(f"/tenders/{p.id}"))


def test_an_empty_first_message_shows_an_error_and_keeps_the_title(client, db, world, auth, at):
    at(E)
    p = _sectioned(world)
    auth.sign_in(world.p1)
    response = submit(client, f"/tenders/{p.id}/codesign/new", {"title": "Kept title", "message": "  "})
    html = _text(response)
    assert response.status_code == 200 and "Enter the first message" in html and 'value="Kept title"' in html
    assert _count(db, CodesignThread) == 0


def test_posting_an_empty_message_in_a_thread_is_refused(client, db, world, auth, at):
    at(E)
    p, thread, _ = _with_proposal(world)
    auth.sign_in(world.p2)
    url = f"/tenders/{p.id}/codesign/{thread.id}"
    response = submit(client, url, {"message": ""})
    assert response.status_code == 200 and "Enter your message" in _text(response)
    response = submit(client, url, {"message": "Agreed."}, follow_redirects=True)
    assert "Agreed." in _text(response) and _count(db, CodesignMessage) == 2


def test_a_proposal_made_on_the_page_shows_as_a_diff_against_the_current_draft(client, db, world, auth, at):
    at(E)
    p = _sectioned(world)
    thread = codesign.open_thread(p, world.p1, title="Close to home", message_md="Could we?", now=E)
    auth.sign_in(world.p2)
    url = f"/tenders/{p.id}/codesign/{thread.id}/propose"
    start = _text(client.get(url + "?section=education"))
    assert "At school.</textarea>" in start
    bad = submit(client, url, {"section": "education", "text": "", "rationale": "Because"})
    assert "Enter the text you propose for the section" in _text(bad) and _count(db, CodesignProposal) == 0
    response = submit(client, url, {"section": "education", "text": "Attending and progressing.",
                                    "rationale": "Progress matters more than attendance alone."},
                      follow_redirects=True)
    html = _text(response)
    assert "Section: Education" in html
    assert "<del>At school</del>." in html and "<ins>Attending and progressing</ins>." in html
    assert "Beta Care" in html and "Not decided yet" in html


def test_the_owner_decides_from_the_thread_page_and_a_missing_reason_keeps_the_typed_text(client, db, world, auth,
                                                                                          at):
    at(E)
    p, thread, proposal = _with_proposal(world)
    auth.sign_in(world.c1)
    thread_url = f"/tenders/{p.id}/codesign/{thread.id}"
    assert f'name="decision-{proposal.id}-reason"' in _text(client.get(thread_url))
    url = f"/tenders/{p.id}/codesign/proposals/{proposal.id}"
    prefix = f"decision-{proposal.id}-"
    response = submit(client, url, {prefix + "decision": "adapted", prefix + "adapted_text": "Within 15 miles.",
                                    prefix + "reason": ""}, form_url=thread_url, prefix=prefix)
    html = _text(response)
    assert response.status_code == 200 and "Give the reason for the decision" in html
    assert "Within 15 miles.</textarea>" in html and proposal.decision is None
    response = submit(client, url, {prefix + "decision": "adapted", prefix + "adapted_text": "Within 15 miles.",
                                    prefix + "reason": "A shorter distance."}, form_url=thread_url, prefix=prefix,
                      follow_redirects=True)
    html = _text(response)
    assert "A shorter distance." in html and "specification version 3" in html
    db.session.refresh(proposal)
    assert proposal.decision == "adapted" and p.latest_version.number == 3
    provenance = _text(client.get(f"/tenders/{p.id}/specification/versions/3/provenance"))
    assert "Proposed by Alpha Homes in the co-design thread “Close to home”" in provenance
    assert "adapted and accepted by Casey One" in provenance and "Drafted by Casey One" in provenance
    again = submit(client, url, {prefix + "decision": "declined", prefix + "reason": "Changed my mind."},
                   form_url=thread_url, prefix=prefix)
    assert again.status_code == 200 and "a decision cannot be changed" in _text(again)
    db.session.refresh(proposal)
    assert proposal.decision == "adapted"


def test_a_provider_cannot_decide_on_the_page(client, db, world, auth, at):
    at(E)
    p, thread, proposal = _with_proposal(world)
    auth.sign_in(world.p1)
    prefix = f"decision-{proposal.id}-"
    response = submit(client, f"/tenders/{p.id}/codesign/proposals/{proposal.id}",
                      {prefix + "decision": "accepted", prefix + "reason": "Mine."},
                      form_url=f"/tenders/{p.id}/codesign/{thread.id}")
    assert response.status_code == 403
    db.session.refresh(proposal)
    assert proposal.decision is None


def test_a_meeting_proposal_is_recorded_on_its_form_crediting_the_provider(client, db, world, auth, at):
    p = _sectioned(world)
    forum = forum_of(world.c1)
    links.link_forum(p, world.c1, forum, now=E)
    event = links.add_meeting_event(p, world.c1, meeting_in(forum, world.c1), now=E)
    at(event.when + timedelta(hours=3))
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/codesign/meeting-proposal"
    response = submit(client, url, {"event": str(event.id), "organisation": str(world.p2.organisation_id),
                                    "section": "__new__", "new_heading": "Moving on", "text": "Adulthood.",
                                    "rationale": "Said at the meeting."}, follow_redirects=True)
    html = _text(response)
    assert "credited to Beta Care" in html and "in the meeting “Market engagement session”" in html
    assert "Beta Care: 1 proposal made in a meeting" in _text(client.get(f"/tenders/{p.id}/codesign"))


def test_the_mitigation_note_needs_both_fields_and_is_shown_publicly(client, db, world, auth, at):
    at(E)
    p, _, _ = _with_proposal(world)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/codesign/mitigation"
    response = submit(client, url, {"shared": "All threads are public.", "time_limit": ""})
    html = _text(response)
    assert "Say why the time limit for responses is adequate" in html and "All threads are public.</textarea>" in html
    assert _count(db, MitigationNote) == 0
    submit(client, url, {"shared": "All threads are public.", "time_limit": "35 days to respond."})
    auth.sign_out()
    page = _text(client.get(f"/tenders/{p.id}"))
    assert "Providers with prior involvement" in page and "Alpha Homes: 1 thread opened, 1 proposal" in page
    assert "35 days to respond." in page


def test_the_report_downloads_and_the_owner_attaches_it_to_the_tender_documents(client, db, world, auth, at):
    at(E)
    p, _, proposal = _with_proposal(world)
    codesign.decide_proposal(proposal, world.c1, decision="declined", reason_md="Outcomes only.", now=E)
    download = client.get(f"/tenders/{p.id}/codesign/report.md")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert "Outcomes only." in download.get_data(as_text=True)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/codesign/report/attach", {}, form_url=f"/tenders/{p.id}/codesign",
                      follow_redirects=True)
    assert "added to the tender documents" in _text(response)
    document = db.session.scalars(select(ProcurementDocument)).one()
    assert storage.read_bytes(document.file) == download.data
    assert "This report is attached" in _text(client.get(f"/tenders/{p.id}/codesign"))


def test_after_the_tender_is_published_threads_show_the_closed_notice_and_refuse_posts(client, db, world, auth, at):
    at(E)
    p, thread, proposal = _with_proposal(world)
    codesign.decide_proposal(proposal, world.c1, decision="declined", reason_md="No.", now=E)
    codesign.record_mitigation_note(p, world.c1, shared_md="a", time_limit_md="b", now=E + timedelta(hours=1))
    codesign.attach_report(p, world.c1, now=E + timedelta(hours=2))
    clear_conflicts(world, p)
    procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    at(T0 + timedelta(days=1))
    html = _text(client.get(f"/tenders/{p.id}/codesign/{thread.id}"))
    notice = "Co-design closed on 2 March 2026 when the tender was published; ask questions through"
    assert notice in html and f'href="/tenders/{p.id}/clarifications"' in html
    assert 'name="message"' not in html
    auth.sign_in(world.p2)
    response = submit(client, f"/tenders/{p.id}/codesign/{thread.id}", {"message": "Late idea"},
                      form_url="/account")
    assert response.status_code == 200 and notice in _text(response)
    assert _count(db, CodesignMessage) == 1
    assert 'name="text"' not in _text(client.get(f"/tenders/{p.id}/codesign/{thread.id}/propose"))


def test_the_owner_sees_codesign_links_and_problems_on_the_procurement_page(client, db, world, auth, at):
    at(E)
    p, _, _ = _with_proposal(world)
    auth.sign_in(world.c1)
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "Co-design threads, proposals and the engagement report" in html
    assert "Decide every co-design proposal first" in html
    assert clock.utcnow() == E


def test_a_likely_child_identifier_shows_the_confirmation_box_and_keeps_the_message(client, db, world, auth, at):
    at(E)
    p, thread, _ = _with_proposal(world)
    auth.sign_in(world.p2)
    url = f"/tenders/{p.id}/codesign/{thread.id}"
    text = "Call 07700 900123 about the boy."
    html = _text(submit(client, url, {"message": text}))
    assert "may contain personal data about a child" in html and 'name="confirm_no_child_data"' in html
    assert f"{text}</textarea>" in html and _count(db, CodesignMessage) == 1
    response = submit(client, url, {"message": "Call the home's office.", "confirm_no_child_data": "y"})
    assert response.status_code == 302 and _count(db, CodesignMessage) == 2


def test_the_current_draft_specification_shows_on_the_engagement_stage_procurement_page(client, db, world, auth, at):
    at(E)
    p = _sectioned(world)
    html = _text(client.get(f"/tenders/{p.id}"))
    latest = p.latest_version
    assert f"Current draft specification (version {latest.number})" in html
    assert "At school." in html
