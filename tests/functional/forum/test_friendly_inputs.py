"""Budgets and meeting times typed the way people write them are accepted through the forms."""
from __future__ import annotations

from sqlalchemy import select

from forum.models import Meeting, NeedStatement
from tests.conftest import submit
from tests.functional.forum.test_needs_meetings_pages import _meeting_form

NEED = {"cohort_size": "30", "age_bands": ["5-10"], "items-0-category": "sensory_physical",
        "items-0-intensity": "high", "items-0-frequency": "weekly", "current_provision": "One unit.",
        "gaps": "No weekends.", "outcomes": "Families stay together.", "timescale": "From 2027", "status": "open"}


def test_need_budget_accepts_commas_and_pound_sign(client, auth, forum, commissioner, db):
    auth.sign_in(commissioner)
    response = submit(client, f"/forums/{forum.slug}/needs/new",
                      {**NEED, "title": "Budget with commas", "budget_min": "1,200,000", "budget_max": "£1,500,000"})
    assert response.status_code == 302, response.get_data(as_text=True)
    need = db.session.scalar(select(NeedStatement).where(NeedStatement.title == "Budget with commas"))
    assert (need.budget_min, need.budget_max) == (1_200_000, 1_500_000)


def test_bad_budget_gets_exactly_one_error_and_keeps_what_was_typed(client, auth, forum, commissioner):
    auth.sign_in(commissioner)
    html = submit(client, f"/forums/{forum.slug}/needs/new",
                  {**NEED, "title": "Bad budget", "budget_min": "about a million"}).get_data(as_text=True)
    message = "Enter an amount in whole pounds, like 1,200,000"
    # Once in the error summary and once by the field: one error, not two.
    assert html.count(message) == 2
    assert 'value="about a million"' in html and 'value="Bad budget"' in html


def test_meeting_times_accept_am_pm_and_24_hour(client, auth, forum, commissioner, db):
    auth.sign_in(commissioner)
    response = submit(client, f"/forums/{forum.slug}/meetings/new",
                      _meeting_form(title="Half past two", start_time="10am", end_time="2:30pm"))
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == "Half past two"))
    assert (meeting.ends_at - meeting.starts_at).total_seconds() == 4.5 * 3600
    response = submit(client, f"/forums/{forum.slug}/meetings/new",
                      _meeting_form(title="Afternoon", start_time="14:30", end_time="4pm"))
    assert response.status_code == 302, response.get_data(as_text=True)
