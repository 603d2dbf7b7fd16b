"""Engagement forms: the engagement notice, its events (a forum meeting or not), and the forum and need
statements a procurement is linked to."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from core.forms import AppForm, DateField
from tenders.forms.parsing import validate_time


class EventForm(AppForm):
    title = StringField("Event", widget=GovTextInput(), validators=[InputRequired(message="Enter what the event is"),
                                                                   Length(max=200)])
    day = DateField("Date", validators=[InputRequired(message="Enter the date of the event")])
    at = StringField(
        "Time",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the time"), validate_time],
        description="UK time, for example 10am or 14:30",
    )
    place = StringField("Place", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter where it takes place"), Length(max=300)],
                        description="An address, or “Online” with how to join")
    submit = SubmitField("Add event", widget=GovSubmitInput())


class LinksForm(AppForm):
    """Choices are filled by the view from tenders.queries (forums the organisation owns or co-owns)."""

    forum = SelectField("Forum", widget=GovSelect(), validate_choice=True,
                        description="Forums your organisation owns or co-owns. The procurement is listed on the "
                                    "forum's page once its notice is published.")
    needs = SelectMultipleField("Need statements this procurement answers", widget=GovCheckboxesInput(),
                                coerce=int, validators=[Optional()],
                                description="Need statements published in forums your organisation owns or co-owns.")
    submit = SubmitField("Save links", widget=GovSubmitInput())


class MeetingEventForm(AppForm):
    meeting = SelectField("Forum meeting", widget=GovSelect(), validate_choice=True,
                          validators=[InputRequired(message="Choose a meeting of the linked forum")],
                          description="Its date, time and place appear on the notice, and stay in step with the "
                                      "meeting: if it is cancelled, the notice says so.")
    submit = SubmitField("Add meeting as an engagement event", widget=GovSubmitInput())


class EngagementForm(AppForm):
    closes_on = DateField("Engagement closes on",
                          validators=[InputRequired(message="Enter the date engagement closes")])
    submit = SubmitField("Publish engagement notice", widget=GovSubmitInput())
