"""Drafting forms: a new procurement and its details, the specification and its outcomes, the award criteria,
a published change to the specification, and tender documents."""
from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import FieldList, Form, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.forms import AppForm, DateField
from core.vocabulary import REGIONS
from tenders.forms.parsing import promote_row_errors, validate_money, validate_time, validate_whole
from tenders.models import CATEGORIES, CONTRACT_TYPES, CRITERION_KINDS, OUTCOME_DOMAINS


class NewProcurementForm(AppForm):
    title = StringField("Title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title"), Length(max=200)])
    category = SelectField(
        "Category",
        widget=GovSelect(),
        choices=[("", "Choose a category")] + list(CATEGORIES.items()),
        validators=[InputRequired(message="Select a category")],
    )
    region = SelectField("Region", widget=GovSelect(), choices=[("", "Choose a region")] + [(r, r) for r in REGIONS],
                         default="", validators=[Optional()])
    subject_md = TextAreaField("Subject-matter", widget=GovTextArea(), validators=[Length(max=20000)],
                               description="What is being bought and for whom, without naming any child. "
                                           "This appears on the public notices. Markdown is allowed.")
    submit = SubmitField("Create draft", widget=GovSubmitInput())


class DetailsForm(NewProcurementForm):
    estimated_value = StringField("Estimated value, including VAT (£)", widget=GovTextInput(),
                                  validators=[Optional(), validate_money],
                                  description="The whole-life value including extensions. It decides the regime.")
    contract_type = SelectField("Contract type", widget=GovSelect(),
                                choices=[("", "Not decided")] + list(CONTRACT_TYPES.items()))
    duration_months = StringField("Initial duration (months)", widget=GovTextInput(),
                                  validators=[Optional(), validate_whole])
    extension_months = StringField("Extension options (months, 0 if none)", widget=GovTextInput(),
                                   validators=[Optional(), validate_whole])
    review_clauses_md = TextAreaField("Review clauses", widget=GovTextArea(), validators=[Length(max=20000)],
                                      description="Price reviews, break points, change control. Clear review clauses "
                                                  "in both the tender and the contract allow lawful changes later.")
    submit = SubmitField("Save details", widget=GovSubmitInput())


class OutcomeForm(Form):
    """One outcome row; a row left entirely blank is ignored."""

    # The service checks the domain (a blank row has none), so the select does not refuse it here.
    domain = SelectField("Domain", widget=GovSelect(), validate_choice=False,
                         choices=[("", "Choose a domain")] + list(OUTCOME_DOMAINS.items()))
    description = TextAreaField("Outcome", widget=GovTextArea(), validators=[Length(max=2000)])
    indicator = StringField("Indicator", widget=GovTextInput(), validators=[Length(max=1000)])
    baseline_method = StringField("How the baseline is taken", widget=GovTextInput(), validators=[Length(max=1000)],
                                  description="From the child's own starting point")
    target = StringField("Target", widget=GovTextInput(), validators=[Length(max=1000)])
    timescale = StringField("Timescale", widget=GovTextInput(), validators=[Length(max=200)])
    evidence_source = StringField("Evidence source", widget=GovTextInput(), validators=[Length(max=1000)])
    payment_share = StringField("Share of payment at risk (%)", widget=GovTextInput(), validators=[validate_whole])

    def is_blank(self) -> bool:
        return not any((self[name].data or "").strip() for name in
                       ("domain", "description", "indicator", "baseline_method", "target", "timescale",
                        "evidence_source"))


class SpecificationForm(AppForm):
    body_md = TextAreaField("Specification", widget=GovTextArea(), validators=[Length(max=100000)],
                            description="Describe the need and what must change for children. Avoid prescribing "
                                        "inputs such as staff ratios or session counts. Markdown is allowed.")
    outcomes = FieldList(FormField(OutcomeForm), min_entries=1)
    note = StringField("What changed (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    # GOV.UK "add another": shows the form again with one more outcome row and everything typed kept; no JS needed.
    add_outcome = SubmitField("Add another outcome", widget=GovSubmitInput())
    submit = SubmitField("Save as a new version", widget=GovSubmitInput())

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        promote_row_errors(self, "outcomes", "Outcome")
        return valid


class CriterionRowForm(Form):
    kind = SelectField("Kind", widget=GovSelect(), validate_choice=False,
                       choices=[("", "Choose")] + list(CRITERION_KINDS.items()))
    name = StringField("Criterion", widget=GovTextInput(), validators=[Length(max=200)])
    weight = StringField("Weight", widget=GovTextInput(), validators=[validate_whole])


class CriteriaForm(AppForm):
    score_max = StringField("Scoring scale: top score", widget=GovTextInput(),
                            validators=[InputRequired(message="Enter the top of the scoring scale"), validate_whole],
                            description="Quality criteria are scored from 0 to this number.")
    criteria = FieldList(FormField(CriterionRowForm), min_entries=4)
    add_criterion = SubmitField("Add another criterion", widget=GovSubmitInput())
    submit = SubmitField("Save award criteria", widget=GovSubmitInput())

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        promote_row_errors(self, "criteria", "Criterion")
        return valid


class SpecChangeForm(AppForm):
    new_day = DateField("New response deadline (optional)", validators=[Optional()])
    new_at = StringField("Time", widget=GovTextInput(), validators=[Optional(), validate_time])
    submit = SubmitField("Publish the changed specification", widget=GovSubmitInput())


class DocumentForm(AppForm):
    title = StringField("Document title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title for the document"), Length(max=200)])
    document = FileField("File", widget=GovFileInput())
    submit = SubmitField("Upload document", widget=GovSubmitInput())
