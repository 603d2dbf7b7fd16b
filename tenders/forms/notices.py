"""Forms for the contract notices a commissioner publishes: UK7 contract details, UK9 performance, termination."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from core.forms import AppForm, DateField


class ContractDetailsNoticeForm(AppForm):
    submit = SubmitField("Publish the contract details notice", widget=GovSubmitInput())


class PerformanceNoticeForm(AppForm):
    period_ends_on = DateField("Last day of the period assessed", validators=[Optional()])
    assessment = TextAreaField("Assessment against the key performance indicators (published)",
                               widget=GovTextArea(), validators=[Optional(), Length(max=20000)],
                               description="For each KPI: what was measured, the result and the rating. No "
                                           "child's personal data. Markdown is allowed.")
    submit = SubmitField("Publish the contract performance notice", widget=GovSubmitInput())


class TerminationNoticeForm(AppForm):
    terminated_on = DateField("The day the contract ended", validators=[Optional()],
                             description="Its last day: the end of its term, or the day it was terminated early.")
    reason = TextAreaField("Why it ended (published)", widget=GovTextArea(),
                           validators=[Optional(), Length(max=20000)])
    submit = SubmitField("Publish the contract termination notice", widget=GovSubmitInput())
