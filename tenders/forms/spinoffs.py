"""Spin-off proposals on contracts, the lawful-route modification check and the modification register.

Money and whole numbers are kept as typed (StringField) so a slip is shown
back with its message; the views convert with parse_pounds / parse_int.
"""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.forms import AppForm, DateField
from tenders.forms.parsing import validate_money, validate_whole

YES_NO = [("no", "No"), ("yes", "Yes")]
DECISIONS = [
    ("accept", "Accept it as a modification of the contract"),
    ("decline", "Decline it"),
    ("new_procurement", "Turn it into a new procurement (starts in preliminary market engagement)"),
]


class ProposeSpinOffForm(AppForm):
    title = StringField("Title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title for the spin-off"), Length(max=200)])
    description = TextAreaField("What the spin-off service is", widget=GovTextArea(),
                                validators=[InputRequired(message="Describe the spin-off service"),
                                            Length(max=20000)],
                                description="Who it is for and what it adds to the contract, without naming any "
                                            "child. Markdown is allowed.")
    evidence = TextAreaField("Outcomes evidence it builds on", widget=GovTextArea(),
                             validators=[Optional(), Length(max=20000)],
                             description="The outcomes this contract has achieved that the spin-off builds on.")
    price = StringField("Price, including VAT (£)", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter the price, including VAT"), validate_money])
    duration_months = StringField("Duration (months)", widget=GovTextInput(),
                                  validators=[InputRequired(message="Enter the duration in months"), validate_whole])
    submit = SubmitField("Propose the spin-off", widget=GovSubmitInput())


class DecideSpinOffForm(AppForm):
    """The commissioner's answers (they change the check) and the decision, with its published reason."""

    changes_overall_nature = RadioField(
        "Would the spin-off change the overall nature of the contract?", widget=GovRadioInput(), choices=YES_NO,
        default="no", validators=[InputRequired(message="Answer whether it changes the overall nature")])
    unforeseeable = RadioField(
        "Does it arise from circumstances that could not reasonably have been foreseen before the award?",
        widget=GovRadioInput(), choices=YES_NO, default="no",
        validators=[InputRequired(message="Answer whether the circumstances were unforeseeable")])
    additional_from_same_provider = RadioField(
        "Can the additional services only practically come from this provider? (a change of provider would cause "
        "significant inconvenience or substantial duplication of costs)",
        widget=GovRadioInput(), choices=YES_NO, default="no",
        validators=[InputRequired(message="Answer whether only this provider can practically deliver it")])
    known_risk_materialised = RadioField(
        "Has a known risk, set out in the tender or transparency notice, materialised (caused by neither party)?",
        widget=GovRadioInput(), choices=YES_NO, default="no",
        validate_choice=False)
    corporate_restructuring = RadioField(
        "Is the only change that the provider is replaced by its successor after a corporate restructuring?",
        widget=GovRadioInput(), choices=YES_NO, default="no",
        validate_choice=False)
    materially_changes_scope = RadioField(
        "Would it materially change the scope of the contract (or, for PCR 2015 contracts, extend it considerably or "
        "bring in conditions that would have let other providers take part)?",
        widget=GovRadioInput(), choices=YES_NO, default="yes",
        validate_choice=False)
    shifts_economic_balance = RadioField(
        "Would it materially change the economic balance of the contract in the provider's favour?",
        widget=GovRadioInput(), choices=YES_NO, default="no",
        validate_choice=False)
    term_change_months = StringField(
        "By how many months would it move the end of the contract? (0 if not at all)", widget=GovTextInput(),
        default="0", validators=[Optional(), validate_whole])
    not_substantial_reasons = TextAreaField(
        "Why the modification is not substantial (recorded with the decision)", widget=GovTextArea(),
        validators=[Optional(), Length(max=5000)],
        description="Needed only for the “not a substantial modification” route: say why the scope and the economic "
                    "balance do not materially change.")
    decision = RadioField("Decision", widget=GovRadioInput(), choices=DECISIONS, validate_choice=False)
    reason = TextAreaField("Reason (published)", widget=GovTextArea(), validators=[Optional(), Length(max=5000)])
    closes_on = DateField("If it becomes a new procurement: engagement closes on", validators=[Optional()])
    check = SubmitField("Update the check", widget=GovSubmitInput())
    submit = SubmitField("Record the decision", widget=GovSubmitInput())
