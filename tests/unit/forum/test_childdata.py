"""The child-personal-data check: likely identifiers must be removed or confirmed, and confirmations audited."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.safeguarding import ChildDataWarning, find_identifiers
from forum import services
from trail.models import AuditEvent

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("text, kind", [
    ("DOB: 3 March", "dob"),
    ("her date of birth is known", "dob"),
    ("born 04/05/2015", "date"),
    ("since 12 March 2014", "date"),
    ("NHS 943 476 5919", "nhs_number"),
    ("NI number AB 12 34 56 C", "ni_number"),
    ("lives near M1 1AE", "postcode"),
    ("write to jo.bloggs@example.org", "email"),
    ("ring 07700 900123", "phone"),
    ("or +44 161 496 0000", "phone"),
])
def test_likely_child_identifiers_are_found(text, kind):
    assert kind in [f.kind for f in find_identifiers(text, today=TODAY)]


@pytest.mark.parametrize("text", [
    "We need 12 placements for young people aged 11 to 15 by April 2027.",
    "Budget £2,500,000 a year; 40 beds across 6 homes.",
    "Meeting on 12/03/2027 at 10:00",  # a future date cannot be a date of birth
    "Reference 1234567890 is not a valid NHS number",
    "Postcode district M1 only",
])
def test_ordinary_commissioning_text_is_not_flagged(text):
    assert find_identifiers(text, today=TODAY) == []


def test_post_with_identifiers_is_refused_until_confirmed(db, thread, member):
    with pytest.raises(ChildDataWarning) as exc:
        services.reply(thread, member, "Child A, DOB 01/02/2014, postcode M1 1AE")
    assert {f.kind for f in exc.value.findings} >= {"dob", "date", "postcode"}
    assert "body" in exc.value.reasons
    post = services.reply(thread, member, "Our office is at M1 1AE", confirmed_no_child_data=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "forum.child_data_confirmed")).one()
    assert event.actor_user_id == member.id and event.subject_id == str(post.id)
    assert "M1 1AE" not in event.payload  # the audit records the kinds found, never the data
    assert "postcode" in event.payload


def test_need_statement_text_is_checked_too(db, forum, commissioner, need_details):
    with pytest.raises(ChildDataWarning):
        services.publish_need(forum, commissioner, need_details(gaps_md="One boy, NHS 943 476 5919"))


def test_edits_are_checked(db, thread, member):
    post = services.reply(thread, member, "Clean text")
    with pytest.raises(ChildDataWarning):
        services.edit_post(post, member, "Contact me on 07700 900123")
