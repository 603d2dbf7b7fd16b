"""Forms for returns, decisions on them, statements, ratings and outcome terms.

Numbers are kept as typed (StringField) so a slip is shown back with its
message; the views convert them. The strata are one text box, a row per
line ("intensity, age band, cohort, achieved"), so the form needs no script.
"""
from __future__ import annotations

from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from core.forms import AppForm
from forum.forms import ChildDataConfirmMixin
from outcomes.models import DIRECTIONS, FORMULAS, MEASURES, RATINGS, RESOLUTIONS
from outcomes.periods import PERIOD_CHOICES

STRATA_HINT = ("One line per group at intake: need intensity (low, medium, high, very_high), age band (0-4, 5-10, "
               "11-15, 16-17, 18-25), how many, how many achieved. For example: high, 11-15, 6, 4. Counts only: "
               "never a name or date of birth.")


class ReturnForm(ChildDataConfirmMixin, AppForm):
    period = SelectField("Period", widget=GovSelect(), choices=[],
                         validators=[InputRequired(message="Choose the period the return is for")])
    cohort = StringField("Cohort: how many children or young people the outcome covered", widget=GovTextInput(),
                         validators=[Optional(), Length(max=20)])
    achieved = StringField("How many achieved the outcome (or the count)", widget=GovTextInput(),
                           validators=[Optional(), Length(max=20)])
    value = StringField("Score measured (scale outcomes: the cohort's mean score)", widget=GovTextInput(),
                        validators=[Optional(), Length(max=20)])
    distance_travelled = StringField("Distance travelled: the mean change from each child's own baseline",
                                     widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    milestone_met = RadioField("Was the milestone met?", widget=GovRadioInput(),
                               choices=[("yes", "Yes"), ("no", "No")], validators=[Optional()])
    strata = TextAreaField("Cohort by need intensity and age band at intake", widget=GovTextArea(),
                           validators=[Optional(), Length(max=5000)], description=STRATA_HINT)
    narrative = TextAreaField("Narrative", widget=GovTextArea(), validators=[Optional(), Length(max=20000)],
                              description="What happened this period and why, for the whole cohort. Never describe "
                                          "or name a child. Markdown is allowed.")
    evidence = MultipleFileField("Evidence files (optional)", widget=GovFileInput(multiple=True),
                                 description="PDF, DOCX, XLSX, ODT or CSV: aggregate records only. Their names are "
                                             "checked too.")
    submit = SubmitField("Submit the return", widget=GovSubmitInput())


class ReasonForm(AppForm):
    reason = TextAreaField("Reason", widget=GovTextArea(), validators=[Optional(), Length(max=20000)])


class VerifyForm(AppForm):
    submit = SubmitField("Verify the return", widget=GovSubmitInput())


class QueryForm(ReasonForm):
    submit = SubmitField("Query the return", widget=GovSubmitInput())


class DisputeForm(ReasonForm):
    submit = SubmitField("Dispute the return", widget=GovSubmitInput())


class ResolveForm(AppForm):
    resolution = RadioField("How was the dispute resolved?", widget=GovRadioInput(),
                            choices=[(k.value, v) for k, v in RESOLUTIONS.items()],
                            validators=[InputRequired(message="Choose how the dispute was resolved")])
    reason = TextAreaField("Reason", widget=GovTextArea(), validators=[Optional(), Length(max=20000)])
    cohort = StringField("Amended cohort", widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    achieved = StringField("Amended number achieved (or count)", widget=GovTextInput(),
                           validators=[Optional(), Length(max=20)])
    value = StringField("Amended score (scale outcomes; 1 or 0 for a milestone)", widget=GovTextInput(),
                        validators=[Optional(), Length(max=20)])
    strata = TextAreaField("Amended cohort by need intensity and age band", widget=GovTextArea(),
                           validators=[Optional(), Length(max=5000)], description=STRATA_HINT)
    submit = SubmitField("Record the resolution", widget=GovSubmitInput())


class CalculateForm(AppForm):
    period = SelectField("Period", widget=GovSelect(), choices=[],
                         validators=[InputRequired(message="Choose the period")])
    submit = SubmitField("Calculate the payment statement", widget=GovSubmitInput())


class ApproveForm(AppForm):
    submit = SubmitField("Approve the statement", widget=GovSubmitInput())


class RatingForm(AppForm):
    outcome = SelectField("Outcome (KPI)", widget=GovSelect(), choices=[],
                          validators=[InputRequired(message="Choose the outcome")])
    period = SelectField("Period", widget=GovSelect(), choices=[],
                         validators=[InputRequired(message="Choose the period")])
    rating = RadioField("Rating", widget=GovRadioInput(), choices=[(k.value, v) for k, v in RATINGS.items()],
                        validators=[InputRequired(message="Choose a rating")])
    rationale = TextAreaField("Rationale", widget=GovTextArea(), validators=[Optional(), Length(max=20000)])
    publish = BooleanField("Publish this rating", widget=GovCheckboxInput(),
                           description="Voluntary for this contract: published ratings appear on the contract page.")
    submit = SubmitField("Record the rating", widget=GovSubmitInput())


class TermsForm(AppForm):
    measure = RadioField("How the outcome is measured", widget=GovRadioInput(),
                         choices=[(k.value, v) for k, v in MEASURES.items()],
                         validators=[InputRequired(message="Choose how the outcome is measured")])
    direction = RadioField("Which way is better", widget=GovRadioInput(),
                           choices=[(k.value, v) for k, v in DIRECTIONS.items()],
                           validators=[InputRequired(message="Choose whether higher or lower figures are better")])
    formula = RadioField("Payment formula", widget=GovRadioInput(), choices=[(k.value, v) for k, v in FORMULAS.items()],
                         validators=[InputRequired(message="Choose the payment formula")])
    baseline = StringField("Baseline", widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    target = StringField("Target", widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    tiers = TextAreaField(
        "Tiers (tiered formula only)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
        description="One line per tier: the threshold, then the percent of the amount at risk it "
        "earns. For example: 60, 50",
    )
    at_risk_percent = StringField("Share of the price at risk on this outcome (%)", widget=GovTextInput(),
                                  validators=[Optional(), Length(max=5)])
    cap_percent = StringField("Cap: most of the amount at risk it can earn (%)", widget=GovTextInput(),
                              validators=[Optional(), Length(max=5)])
    period_months = SelectField("How often returns are made", widget=GovSelect(),
                                choices=[(str(k), v) for k, v in PERIOD_CHOICES.items()])
    submit = SubmitField("Save the payment terms", widget=GovSubmitInput())
