"""Declarations of interest and the conflicts assessment (PA23 ss.81-83).

The forms check shape only; tenders.services.conflicts applies the rules
(a description when there is an interest; who, what and mitigation for each).
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from core.forms import AppForm

INTEREST_CHOICES = [("no", "I have no interest to declare in this procurement"),
                    ("yes", "I have an interest to declare")]


class DeclarationForm(AppForm):
    has_interest = RadioField("Do you have an interest to declare?", widget=GovRadioInput(), choices=INTEREST_CHOICES,
                              validators=[InputRequired(message="Say whether you have an interest to declare")])
    description = TextAreaField("If you have an interest, describe it: who or what it involves and how it relates to "
                                "this procurement", widget=GovTextArea(), validators=[Length(max=5000)])
    # Choices are the provider organisations, set by the view; the service checks the one chosen.
    organisation = SelectField("If the interest involves a provider organisation, choose it: you will take no part "
                               "in reading, scoring, moderating or awarding on its response", widget=GovSelect(),
                               choices=[], validate_choice=False)
    submit = SubmitField("Make this declaration", widget=GovSubmitInput())


def assessment_form(interests: list, prefill: dict[int, tuple[str, str, str]],
                    people: list[tuple[str, str]], excluded: list[str]) -> FlaskForm:
    """Who, what and mitigation for each declared interest; or the statement that none were identified.

    Then the people the mitigation excludes (`people`: the owning organisation's commissioners,
    `excluded`: those the latest version excluded, ticked to start with).
    """

    class AssessmentForm(AppForm):
        excluded_people = SelectMultipleField(
            "Who the mitigation excludes from opening, reading, scoring, moderating and the award",
            widget=GovCheckboxesInput(), choices=people, default=excluded, validate_choice=False)
        submit = SubmitField("Record this version of the assessment", widget=GovSubmitInput())

    if not interests:
        AssessmentForm.none_identified = TextAreaField(
            "Statement that no conflicts of interest were identified (and how you checked)", widget=GovTextArea(),
            validators=[Length(max=5000)])
    for declaration in interests:
        who, what, mitigation = prefill.get(declaration.id, ("", "", ""))
        name = declaration.user.full_name
        setattr(AssessmentForm, f"who-{declaration.id}", StringField(
            f"Who holds the interest declared by {name}", widget=GovTextInput(), validators=[Length(max=200)],
            default=who))
        setattr(AssessmentForm, f"what-{declaration.id}", TextAreaField(
            f"What the interest declared by {name} is", widget=GovTextArea(), validators=[Length(max=5000)],
            default=what))
        setattr(AssessmentForm, f"mitigation-{declaration.id}", TextAreaField(
            f"How the interest declared by {name} is mitigated", widget=GovTextArea(), validators=[Length(max=5000)],
            default=mitigation))
    return AssessmentForm()
