"""Evaluation and award: evaluators, score sheets, consensus, the award decision and the contract."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from core.forms import AppForm, DateField
from tenders.forms.parsing import validate_whole


class EvaluatorForm(AppForm):
    evaluator = SelectField("Commissioner", widget=GovSelect(), validate_choice=True,
                            validators=[InputRequired(message="Choose a commissioner")])
    is_moderator = BooleanField("Moderator (records the consensus scores)", widget=GovCheckboxInput())
    submit = SubmitField("Assign evaluator", widget=GovSubmitInput())


class ConsensusForm(AppForm):
    score = StringField("Consensus score", widget=GovTextInput(), validators=[validate_whole])
    rationale = TextAreaField("Rationale", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Record consensus", widget=GovSubmitInput())


class AwardForm(AppForm):
    response = RadioField("Award to", widget=GovRadioInput(), validators=[InputRequired(message="Choose the response")])
    reasons = TextAreaField("Reasons for the decision (published)", widget=GovTextArea(),
                            validators=[InputRequired(message="Give the reasons"), Length(max=10000)])
    standstill = BooleanField("Apply a standstill period of 8 working days", widget=GovCheckboxInput(), default=True,
                              description="Required unless the contract is light-touch (PA23 s.51(3)) or a Provider "
                                          "Selection Regime direct award A or B (SI 2023/1348 reg 12). Keeping it "
                                          "anyway is the default: platform policy.")
    submit = SubmitField("Publish the contract award notice", widget=GovSubmitInput())


class ContractForm(AppForm):
    starts_on = DateField("Contract start date", validators=[InputRequired(message="Enter the start date")])
    submit = SubmitField("Enter into the contract", widget=GovSubmitInput())


def score_sheet_form(criteria: list, score_max: int, existing: dict[int, tuple[int, str]]) -> FlaskForm:
    """One score and rationale per quality criterion, built for this procurement's criteria."""

    class ScoreSheetForm(AppForm):
        submit = SubmitField("Save my scores", widget=GovSubmitInput())

    for criterion in criteria:
        score, rationale = existing.get(criterion.id, (None, ""))
        setattr(ScoreSheetForm, f"score-{criterion.id}", StringField(
            f"{criterion.name} (weight {criterion.weight}): score from 0 to {score_max}", widget=GovTextInput(),
            validators=[validate_whole], default="" if score is None else str(score)))
        setattr(ScoreSheetForm, f"rationale-{criterion.id}", TextAreaField(
            f"Why you gave this score for {criterion.name}", widget=GovTextArea(), validators=[Length(max=5000)],
            default=rationale))
    return ScoreSheetForm()
