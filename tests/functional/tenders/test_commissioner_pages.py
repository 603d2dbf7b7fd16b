"""Commissioners drafting, checking and publishing through the pages; bad input keeps what was typed."""
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from tenders.models import Procurement
from tests.conftest import submit, submit_and_confirm
from tests.unit.tenders.builders import T0, draft, in_engagement


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _date(d) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


def test_commissioner_creates_a_draft(client, db, world, auth, at):
    auth.sign_in(world.c1)
    response = submit(
        client,
        "/tenders/new",
        {
            "title": "Short breaks for disabled children",
            "category": "short_breaks",
            "region": "North West",
            "subject_md": "Overnight short breaks.",
        },
    )
    assert response.status_code == 302
    p = db.session.scalars(select(Procurement).where(Procurement.title == "Short breaks for disabled children")).one()
    assert p.owner_org_id == world.org.id and p.stage == "planning"


def test_providers_including_in_house_units_cannot_start_procurements(client, db, world, auth):
    auth.sign_in(world.in_house)
    assert client.get("/tenders/new").status_code == 403


def test_spec_page_saves_a_version_and_shows_highlighted_warnings(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/specification"
    data = {"body_md": "The provider must employ a qualified teacher. Children thrive.",
            "outcomes-0-domain": "safety", "outcomes-0-description": "Children feel safe where they live",
            "outcomes-0-indicator": "Missing episodes", "outcomes-0-baseline_method": "Episodes in prior 6 months",
            "outcomes-0-target": "Halve missing episodes", "outcomes-0-timescale": "6 months",
            "outcomes-0-evidence_source": "Police and home records", "outcomes-0-payment_share": "10",
            "note": "Safety first"}
    response = submit(client, url, data, follow_redirects=True)
    html = _text(response)
    assert "Version 2 saved" in html
    assert "<mark>must employ</mark>" in html
    assert "prescribes who delivers" in html
    assert len(p.versions) == 2 and p.versions[1].outcomes[0].domain == "safety"
    diff = _text(client.get(f"/tenders/{p.id}/specification/versions?a=1&b=2"))
    assert "Section: Introduction" in diff and 'class="cc-diff2__row cc-diff2__row--changed"' in diff
    assert "<ins>The provider must employ a qualified teacher. Children</ins>" in diff
    assert "<del>Providers will help each child settle and</del>" in diff


def test_criteria_with_weights_not_summing_to_100_show_an_error_and_keep_the_input(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    data = {
        "score_max": "5",
        "criteria-0-kind": "quality",
        "criteria-0-name": "Outcomes approach",
        "criteria-0-weight": "55",
        "criteria-1-kind": "price",
        "criteria-1-name": "Price",
        "criteria-1-weight": "30",
    }
    response = submit(client, f"/tenders/{p.id}/criteria", data)
    html = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in html and "add up to 85" in html
    assert 'value="Outcomes approach"' in html and 'value="55"' in html
    assert [c.weight for c in p.criteria] == [50, 20, 30]


def test_non_numeric_value_is_a_form_error_not_a_crash(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/details", {"title": p.title, "category": "childrens_homes",
                                                            "estimated_value": "lots", "extension_months": "0"})
    assert response.status_code == 200 and "Enter an amount in pounds" in _text(response)


def test_engagement_notice_with_a_past_closing_date_is_refused_on_the_page(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/engagement", {"closes_on": _date(T0 - timedelta(days=1))})
    assert "The closing date must be in the future" in _text(response)
    assert p.stage == "planning"
    response = submit_and_confirm(client, f"/tenders/{p.id}/engagement", {"closes_on": _date(T0 + timedelta(days=14))})
    assert response.status_code == 302 and p.stage == "engagement"


def test_engagement_event_is_added_with_date_time_and_place(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/events", {"title": "Provider briefing",
                                                          "day": _date(T0 + timedelta(days=3)), "at": "10:30",
                                                          "place": "County Hall, Room 2"},
                      form_url=f"/tenders/{p.id}/engagement")
    assert response.status_code == 302
    assert p.events[0].starts_at == (T0 + timedelta(days=3)).replace(hour=10, minute=30)
    response = submit(client, f"/tenders/{p.id}/events", {"title": "x", "day": _date(T0), "at": "25:99",
                                                          "place": "Hall"}, form_url=f"/tenders/{p.id}/engagement")
    assert response.status_code == 400 and "Enter a time like 10am, 2:30pm or 14:30" in _text(response)
    response = submit(
        client,
        f"/tenders/{p.id}/events",
        {"title": "Provider lunch", "day": _date(T0 + timedelta(days=4)), "at": "12:30pm", "place": "Hall"},
        form_url=f"/tenders/{p.id}/engagement",
    )
    assert response.status_code == 302
    assert p.events[-1].starts_at == (T0 + timedelta(days=4)).replace(hour=12, minute=30)


def test_publishing_the_tender_with_inverted_dates_shows_errors_and_changes_nothing(client, db, world, auth, at):
    p = in_engagement(world)
    auth.sign_in(world.c1)
    data = {"clarification_day": _date(T0 + timedelta(days=20)), "clarification_at": "12:00",
            "response_day": _date(T0 + timedelta(days=10)), "response_at": "12:00"}
    response = submit(client, f"/tenders/{p.id}/publish", data)
    assert "must be after the clarification deadline" in _text(response)
    assert p.stage == "engagement"
    data["response_day"] = _date(T0 + timedelta(days=30))
    from tests.unit.tenders.builders import clear_conflicts
    clear_conflicts(world, p)  # rule 4: declarations and the conflicts assessment
    assert submit_and_confirm(client, f"/tenders/{p.id}/publish", data).status_code == 302
    assert p.stage == "tender" and p.published_version.number == 1


def test_deadlines_are_typed_and_shown_in_uk_time_and_stored_in_utc(client, db, world, auth, at):
    p = in_engagement(world)
    auth.sign_in(world.c1)
    from tests.unit.tenders.builders import clear_conflicts
    clear_conflicts(world, p)
    summer = T0 + timedelta(days=30)  # 1 April 2026: British Summer Time, UTC+1
    response = submit_and_confirm(client, f"/tenders/{p.id}/publish", {
        "clarification_day": _date(T0 + timedelta(days=20)), "clarification_at": "12:00",
        "response_day": _date(summer), "response_at": "12:00"})
    assert response.status_code == 302
    assert p.response_deadline == summer.replace(hour=11, minute=0)  # noon in the UK is 11:00 UTC in summer
    assert p.clarification_deadline == (T0 + timedelta(days=20)).replace(hour=12, minute=0)  # 22 March: GMT
    assert "1 April 2026, midday" in _text(client.get(f"/tenders/{p.id}"))


def test_another_organisations_commissioner_cannot_manage(client, db, world, auth, at):
    p = in_engagement(world)
    auth.sign_in(world.other_commissioner)
    assert client.get(f"/tenders/{p.id}/details").status_code == 403
    assert client.get(f"/tenders/{p.id}/publish").status_code == 403


def test_cancel_with_reason_is_shown_publicly(client, db, world, auth, at):
    p = in_engagement(world)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/close", {"outcome": "cancelled", "reason": ""})
    assert "Give the reason" in _text(response) and p.stage == "engagement"
    submit(client, f"/tenders/{p.id}/close", {"outcome": "cancelled", "reason": "Need now met in-house"})
    auth.sign_out()
    assert "Need now met in-house" in _text(client.get(f"/tenders/{p.id}"))


def test_tender_documents_are_uploaded_before_the_tender_and_downloadable_by_the_public(client, db, world, auth, at):
    import io
    p = in_engagement(world)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/documents", {"title": "", "document": (io.BytesIO(b""), "")})
    assert "Enter a title for the document" in _text(response)
    response = submit(client, f"/tenders/{p.id}/documents",
                      {"title": "Pricing schedule", "document": (io.BytesIO(b"a,b\n1,2\n"), "pricing.csv")})
    assert response.status_code == 302
    auth.sign_out()
    [document] = p.documents
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "Pricing schedule" in html
    download = client.get(f"/tenders/{p.id}/documents/{document.id}")
    assert download.data == b"a,b\n1,2\n" and download.mimetype == "application/octet-stream"


def test_documents_of_a_draft_are_not_public(client, db, world):
    from tenders.services import procurements
    p = draft(world)
    document = procurements.add_document(p, world.c1, title="Draft annex", filename="annex.txt",
                                         content_type="text/plain", data=b"secret draft", now=T0)
    assert client.get(f"/tenders/{p.id}/documents/{document.id}").status_code == 401
