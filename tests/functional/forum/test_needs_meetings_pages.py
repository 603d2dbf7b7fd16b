"""Need statements, meetings, attachments, search and notifications over HTTP."""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from core.clock import utcnow
from forum import queries, services
from forum.models import Attachment, Meeting, NeedStatement
from tests.conftest import submit
from tests.unit.forum.files import EXE, PDF


def test_commissioner_publishes_need_through_the_form_and_it_is_listed(client, auth, forum, commissioner, db):
    auth.sign_in(commissioner)
    response = submit(client, f"/forums/{forum.slug}/needs/new", {
        "title": "Short breaks for disabled children", "cohort_size": "30", "age_bands": ["5-10", "11-15"],
        "items-0-category": "sensory_physical", "items-0-intensity": "high", "items-0-frequency": "weekly",
        "current_provision": "One council-run unit.", "gaps": "No weekend provision.",
        "outcomes": "Families stay together.", "budget_min": "400000", "budget_max": "600000",
        "timescale": "From September 2027", "status": "open"})
    assert response.status_code == 302
    need = db.session.scalar(select(NeedStatement).where(NeedStatement.title == "Short breaks for disabled children"))
    assert [i.label for i in need.items] == ["Sensory and physical: high intensity, weekly"]
    page = client.get(client.get(f"/needs/{need.id}").headers["Location"]).get_data(as_text=True)
    assert "£400,000 to £600,000 a year" in page and "No weekend provision." in page
    assert "Short breaks for disabled children" in client.get(f"/forums/{forum.slug}").get_data(as_text=True)
    listing = client.get("/needs?region=North+West&status=open").get_data(as_text=True)
    assert "Short breaks for disabled children" in listing
    assert "Short breaks for disabled children" not in client.get("/needs?status=met").get_data(as_text=True)


def test_a_small_cohort_is_published_as_fewer_than_five_on_the_pages_and_in_the_api(client, auth, forum,
                                                                                     commissioner, db):
    auth.sign_in(commissioner)
    submit(client, f"/forums/{forum.slug}/needs/new", {
        "title": "Three siblings together", "cohort_size": "3", "age_bands": ["5-10"],
        "items-0-category": "family", "items-0-intensity": "medium", "items-0-frequency": "daily",
        "current_provision": "a", "gaps": "b", "outcomes": "c", "timescale": "soon", "status": "open"})
    need = db.session.scalar(select(NeedStatement).where(NeedStatement.title == "Three siblings together"))
    listing = client.get("/needs").get_data(as_text=True)
    assert "fewer than 5 children and young people" in listing and "3 children and young people" not in listing
    data = client.get(f"/api/v1/needs/{need.id}").get_json()
    assert data["cohort_size"] is None and data["cohort_label"] == "fewer than 5 children and young people"


def test_incomplete_need_row_is_a_clear_error(client, auth, forum, commissioner):
    auth.sign_in(commissioner)
    response = submit(client, f"/forums/{forum.slug}/needs/new", {
        "title": "Kept need title", "cohort_size": "3", "age_bands": ["5-10"],
        "items-0-category": "behaviour", "current_provision": "a", "gaps": "b", "outcomes": "c",
        "timescale": "soon", "status": "open"})
    html = response.get_data(as_text=True)
    assert "For each need, select a category, an intensity and a frequency" in html
    assert 'value="Kept need title"' in html


def test_non_numeric_cohort_is_a_clear_error(client, auth, forum, commissioner):
    auth.sign_in(commissioner)
    html = submit(client, f"/forums/{forum.slug}/needs/new", {"cohort_size": "lots"}).get_data(as_text=True)
    assert "There is a problem" in html


def _meeting_form(**overrides):
    day = (utcnow() + timedelta(days=20)).date()
    data = {"title": "Provider briefing", "date": [str(day.day), str(day.month), str(day.year)],
            "start_time": "10:00", "end_time": "12:00", "mode": "online", "location": "",
            "online_link": "https://meet.example.org/briefing", "agenda": "1. Welcome", "capacity": "1"}
    data.update(overrides)
    return data


def test_meeting_link_only_shown_after_registering_and_full_meeting_waitlists(client, auth, forum, commissioner,
                                                                             member, user_factory, db, app):
    auth.sign_in(commissioner)
    response = submit(client, f"/forums/{forum.slug}/meetings/new", _meeting_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == "Provider briefing"))
    anonymous = app.test_client()
    assert "meet.example.org/briefing" not in anonymous.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    member_client = app.test_client()
    from tests.conftest import Auth

    Auth(member_client).sign_in(member)
    page = member_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "meet.example.org/briefing" not in page and "Register" in page
    assert submit(member_client, f"/meetings/{meeting.id}/register", {}, form_url=f"/meetings/{meeting.id}"
                  ).status_code == 302
    assert "meet.example.org/briefing" in member_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    late = user_factory("provider")
    services.join_forum(forum, late)
    db.session.commit()
    late_client = app.test_client()
    Auth(late_client).sign_in(late)
    response = submit(late_client, f"/meetings/{meeting.id}/register", {}, form_url=f"/meetings/{meeting.id}",
                      follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "waiting list" in html and "meet.example.org/briefing" not in html


def test_meeting_form_errors_are_clear(client, auth, forum, commissioner):
    auth.sign_in(commissioner)
    html = submit(client, f"/forums/{forum.slug}/meetings/new",
                  _meeting_form(start_time="25:99", online_link="", capacity="0")).get_data(as_text=True)
    assert "Enter a time like 10am, 2:30pm or 14:30" in html
    assert "Enter a number from 1 to 10,000" in html


def test_minutes_and_documents_are_published_to_everyone(client, auth, forum, commissioner, meeting_details, db,
                                                          app):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details())
    meeting.starts_at = utcnow() - timedelta(days=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    db.session.commit()
    auth.sign_in(commissioner)
    assert submit(client, f"/meetings/{meeting.id}/minutes", {"minutes": "Agreed **next steps**."},
                  form_url=f"/meetings/{meeting.id}").status_code == 302
    page = client.get(f"/meetings/{meeting.id}")
    from tests.conftest import csrf_token

    token = csrf_token(page.get_data(as_text=True))
    bad = client.post(f"/meetings/{meeting.id}/documents", data={
        "csrf_token": token, "document": (io.BytesIO(EXE), "slides.pdf")}, content_type="multipart/form-data")
    assert bad.status_code == 400
    assert "must be a PDF, DOCX, XLSX, ODT or CSV" in bad.get_data(as_text=True)
    good = client.post(f"/meetings/{meeting.id}/documents", data={
        "csrf_token": token, "document": (io.BytesIO(PDF), "slides.pdf")}, content_type="multipart/form-data")
    assert good.status_code == 302
    document = db.session.scalar(select(Attachment).where(Attachment.meeting_id == meeting.id))
    public = app.test_client()
    html = public.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "<strong>next steps</strong>" in html and "slides.pdf" in html
    download = public.get(f"/attachments/{document.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.mimetype == "application/pdf"


def test_reply_with_attachment_over_http(client, auth, forum, thread, member, db):
    auth.sign_in(member)
    page = client.get(f"/forums/{forum.slug}/threads/{thread.id}")
    from tests.conftest import csrf_token

    response = client.post(f"/forums/{forum.slug}/threads/{thread.id}/reply", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "body": "Our brochure",
        "attachment": (io.BytesIO(PDF), "brochure.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    html = client.get(f"/forums/{forum.slug}/threads/{thread.id}").get_data(as_text=True)
    assert "brochure.pdf" in html


def test_search_page_highlights_and_survives_fts_syntax(client, thread, db):
    html = client.get("/search?q=spring").get_data(as_text=True)
    assert "<mark>spring</mark>" in html and "1 result<" in html and "Capacity for sibling groups" in html
    both = client.get("/search?q=sibling").get_data(as_text=True)
    assert "1 result<" in both  # the thread by its title and its post by its text: one result per thread
    for query in ['"unbalanced', "NEAR(", "a OR", "*", "title:x AND -y", "%", "\\"]:
        response = client.get("/search", query_string={"q": query})
        assert response.status_code in (200, 400), query
        assert "Search the forums" in response.get_data(as_text=True)
    symbols = client.get("/search", query_string={"q": "***"})
    assert symbols.status_code == 400 and "symbols on their own cannot be searched" in symbols.get_data(as_text=True)


def test_notifications_page_counts_unread_and_marks_read(client, auth, forum, member, commissioner, db):
    services.start_thread(forum, commissioner, "Fresh news", "Read me")
    db.session.commit()
    auth.sign_in(member)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Fresh news" in html and "Notifications (1 unread)" in html
    assert submit(client, "/notifications/read", {}, form_url="/notifications").status_code == 302
    assert "Notifications (1 unread)" not in client.get("/notifications").get_data(as_text=True)
    assert submit(client, "/notifications/settings", {"email_mode": "daily"}).status_code == 302
    assert queries.email_mode(member) == "daily"


def test_watch_form_sets_thread_level(client, auth, forum, thread, member, db):
    auth.sign_in(member)
    response = submit(client, f"/forums/{forum.slug}/threads/{thread.id}/watch", {"level": "mute"},
                      form_url=f"/forums/{forum.slug}/threads/{thread.id}")
    assert response.status_code == 302
    assert queries.watch_level(member, thread=thread) == "mute"


def test_owner_cancels_a_meeting_with_a_public_reason(client, auth, forum, commissioner, meeting_details, db, app):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details())
    db.session.commit()
    auth.sign_in(commissioner)
    blank = submit(client, f"/meetings/{meeting.id}/cancel-meeting", {"cancel-reason": ""},
                   form_url=f"/meetings/{meeting.id}", prefix="cancel-")
    assert blank.status_code == 400 and "Enter a reason" in blank.get_data(as_text=True)
    done = submit(client, f"/meetings/{meeting.id}/cancel-meeting", {"cancel-reason": "Venue unavailable"},
                  form_url=f"/meetings/{meeting.id}", prefix="cancel-")
    assert done.status_code == 302
    html = app.test_client().get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "This meeting was cancelled" in html and "Venue unavailable" in html


def test_search_page_says_when_there_are_too_many_results_to_rank(client, thread, member, monkeypatch):
    from forum import search

    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    for word in ("alpha", "bravo", "charlie"):  # one thread each: a thread is one result however many posts match
        services.reply(services.start_thread(thread.forum, member, f"Sighting {word}", "Notes to follow"),
                       member, f"Kestrel report {word}")
    page = client.get("/search?q=kestrel").get_data(as_text=True)
    assert "More than 2 results" in page and "most recent first" in page
    assert "report charlie" in page and "report alpha" not in page
    assert "Next page" not in page  # two per page by default would need 20; the limit is 2
    narrowed = client.get("/search?q=kestrel+report+bravo").get_data(as_text=True)
    assert "1 result" in narrowed and "More than" not in narrowed
    past_the_end = client.get("/search?q=kestrel&page=5")
    assert past_the_end.status_code == 200 and "This page is past the last result." in past_the_end.get_data(
        as_text=True
    )


def test_owner_changes_a_meeting_and_everyone_registered_is_told(client, auth, forum, commissioner, member,
                                                                   meeting_details, db, app):
    from accounts.models import Notification

    meeting = services.schedule_meeting(forum, commissioner, meeting_details(capacity=3))
    services.register_for_meeting(meeting, member)
    db.session.commit()
    auth.sign_in(commissioner)
    url = f"/meetings/{meeting.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert "Change the meeting" in form and 'value="Market engagement session"' in form
    day = (utcnow() + timedelta(days=9)).date()
    data = {"title": "Market engagement session (moved)", "date": [str(day.day), str(day.month), str(day.year)],
            "start_time": "2pm", "end_time": "4pm", "mode": "in_person", "location": "Library, Room 1",
            "agenda": "1. Introductions", "capacity": "0"}
    too_small = submit(client, url, data)
    assert "Enter a number from 1 to 10,000" in too_small.get_data(as_text=True)
    assert submit(client, url, data | {"capacity": "5"}).status_code == 302
    db.session.refresh(meeting)
    assert meeting.title == "Market engagement session (moved)" and meeting.location == "Library, Room 1"
    assert meeting.capacity == 5 and meeting.starts_at.date() == day
    told = db.session.scalars(select(Notification).where(Notification.user_id == member.id)).all()
    assert any("Meeting changed" in n.text for n in told)
    page = app.test_client().get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Library, Room 1" in page


def test_a_started_or_cancelled_meeting_cannot_be_changed(forum, commissioner, meeting_details, db):
    import pytest

    from core.errors import RuleViolation
    from forum import meeting_edits

    meeting = services.schedule_meeting(forum, commissioner, meeting_details())
    services.cancel_meeting(meeting, commissioner, "Venue unavailable")
    with pytest.raises(RuleViolation, match="cancelled"):
        meeting_edits.change_meeting(meeting, commissioner, meeting_details(title="Renamed"))
