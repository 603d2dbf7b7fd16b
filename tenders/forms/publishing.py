"""Publishing the tender notice, with its deadlines, and closing a procurement without an award."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.forms import AppForm, DateField
from tenders.forms.parsing import validate_time


class PublishTenderForm(AppForm):
    clarification_day = DateField("Clarification questions close",
                                  validators=[InputRequired(message="Enter the clarification deadline")])
    clarification_at = StringField("Time clarifications close", widget=GovTextInput(),
                                   validators=[InputRequired(message="Enter the time"), validate_time])
    response_day = DateField("Responses due", validators=[InputRequired(message="Enter the response deadline")])
    response_at = StringField("Time responses are due", widget=GovTextInput(),
                              validators=[InputRequired(message="Enter the time"), validate_time])
    no_engagement_reason = TextAreaField("Why no engagement notice was published", widget=GovTextArea(),
                                         validators=[Optional(), Length(max=5000)],
                                         description="Needed only if you publish the tender without a preliminary "
                                                     "market engagement notice. It is published.")
    submit = SubmitField("Publish tender notice", widget=GovSubmitInput())


class CloseForm(AppForm):
    outcome = RadioField("What happened", widget=GovRadioInput(),
                         choices=[("cancelled", "Cancelled"), ("unsuccessful", "Unsuccessful: no suitable response")],
                         validators=[InputRequired(message="Select what happened")])
    reason = TextAreaField("Reason (published)", widget=GovTextArea(),
                           validators=[InputRequired(message="Give the reason: it is published"), Length(max=5000)])
    submit = SubmitField("Close the procurement", widget=GovSubmitInput())
