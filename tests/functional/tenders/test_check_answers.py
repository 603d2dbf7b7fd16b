"""Every irreversible public act on a procurement happens only from its "check your answers" page."""
from datetime import timedelta
from html import unescape

from tenders.models import EngagementEvent
from tenders.services import evaluation, responses
from tests.conftest import csrf_token, submit, submit_and_confirm
from tests.unit.tenders.builders import (
    AFTER,
    T0,
    clear_conflicts,
    draft,
    evaluated,
    in_engagement,
    opened,
)


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _date(d) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


def _publish_data(response_days: int) -> dict:
    return {"clarification_day": _date(T0 + timedelta(days=3)), "clarification_at": "12:00",
            "response_day": _date(T0 + timedelta(days=response_days)), "response_at": "12:00"}


def test_engagement_notice_is_published_only_from_its_check_your_answers_page(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/engagement"
    page = submit(client, url, {"closes_on": _date(T0 + timedelta(days=14))})
    html = _text(page)
    assert page.status_code == 200 and "Check your answers before you publish the engagement notice" in html
    assert "16 March 2026" in html and p.owner.name in html
    assert p.stage == "planning"
    changed = client.post(url, data={"csrf_token": csrf_token(html), "closes_on": ["16", "3", "2026"],
                                     "check_answers": "change"})
    assert changed.status_code == 200 and 'value="16"' in _text(changed) and p.stage == "planning"
    assert "Check your answers" not in _text(changed)
    assert submit_and_confirm(client, url, {"closes_on": _date(T0 + timedelta(days=14))}).status_code == 302
    assert p.stage == "engagement"


def test_a_refused_engagement_notice_never_reaches_the_summary(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    page = submit(client, f"/tenders/{p.id}/engagement", {"closes_on": _date(T0 - timedelta(days=1))})
    assert "The closing date must be in the future" in _text(page) and "Check your answers" not in _text(page)


def test_short_response_window_is_cautioned_with_its_basis_before_publishing(client, db, world, auth, at, app):
    p = in_engagement(world)
    clear_conflicts(world, p)
    auth.sign_in(world.c1)
    html = _text(submit(client, f"/tenders/{p.id}/publish", _publish_data(response_days=5)))
    assert "Check your answers before you publish the tender notice" in html
    assert "Responses are due 5 days after publication, fewer than the minimum of 25 days" in html
    assert "Basis: platform policy." in html
    assert p.stage == "engagement"
    app.config["TENDERS_MIN_RESPONSE_DAYS"] = 3
    try:
        html = _text(submit(client, f"/tenders/{p.id}/publish", _publish_data(response_days=5)))
    finally:
        app.config["TENDERS_MIN_RESPONSE_DAYS"] = 25
    assert "fewer than the minimum" not in html and "Check your answers" in html


def test_deadline_before_engagement_closes_or_an_event_is_cautioned(client, db, world, auth, at):
    p = in_engagement(world)
    clear_conflicts(world, p)
    p.engagement_closes_on = (T0 + timedelta(days=40)).date()
    db.session.add(EngagementEvent(procurement_id=p.id, title="Provider day", starts_at=T0 + timedelta(days=35),
                                   place="Town Hall", created_at=T0))
    db.session.commit()
    auth.sign_in(world.c1)
    html = _text(submit(client, f"/tenders/{p.id}/publish", _publish_data(response_days=30)))
    assert "Responses are due before engagement closes on 11 April 2026" in html
    assert "Responses are due before the engagement event “Provider day”" in html
    assert "fewer than the minimum" not in html


def test_scores_are_submitted_only_from_the_summary_of_them(client, db, world, auth, at):
    p = opened(world)
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    quality = evaluation.quality_criteria(p)
    first = responses.responses_for(p)[0]
    for response in responses.responses_for(p):
        evaluation.record_scores(p, world.c1, response, {c.id: (4, "Good evidence") for c in quality}, now=AFTER)
    db.session.commit()
    at(AFTER)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/evaluation/submit"
    page = submit(client, url, {}, form_url=f"/tenders/{p.id}/evaluation", prefix="submitscores-")
    html = _text(page)
    assert "Check your answers before you submit your scores" in html
    assert f"{first.provider.name}: {quality[0].name}" in html and "4 out of 5. Good evidence" in html
    assert evaluation.assignment_for(p, world.c1).scores_submitted_at is None
    submit_and_confirm(client, url, {}, form_url=f"/tenders/{p.id}/evaluation", prefix="submitscores-")
    db.session.expire_all()
    assert evaluation.assignment_for(p, world.c1).scores_submitted_at is not None


def test_award_is_published_only_from_its_check_your_answers_page(client, db, world, auth, at):
    p = evaluated(world)
    at(AFTER)
    auth.sign_in(world.c1)
    top = evaluation.ranking(p)[0].response
    page = submit(client, f"/tenders/{p.id}/award", {"response": str(top.id), "reasons": "Best outcomes offer.",
                                                      "standstill": "y"})
    html = _text(page)
    assert "Check your answers before you publish the award decision" in html
    assert top.provider.name in html and "Best outcomes offer." in html and "Applies: 8 working days" in html
    assert p.stage == "evaluation"
