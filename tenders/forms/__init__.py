"""Tenders forms. They validate and convert what was typed; services apply the rules and save."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
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
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from core.forms import AppForm, DateField
from core.parsing import parse_clock_time
from core.timezones import uk_to_utc
from core.vocabulary import REGIONS
from tenders.models import CATEGORIES, CONTRACT_TYPES, CRITERION_KINDS, OUTCOME_DOMAINS, STAGES

# Value bands for the list filter, named by regime; the amounts come from the thresholds table.
VALUE_BANDS = {
    "below_threshold": "Below the notifiable threshold",
    "notifiable_below_threshold": "Notifiable below-threshold",
    "light_touch": "Light-touch threshold and above",
}


MAX_POUNDS = Decimal(10) ** 11  # £100bn: anything larger is a typing slip, and would overflow the column


def parse_pounds(text: str | None) -> int | None:
    """'£1,250,000.50' → 125000050 pence; None if empty; ValueError if not money."""
    cleaned = (text or "").replace("£", "").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("not an amount") from exc
    if not amount.is_finite() or abs(amount) >= MAX_POUNDS:
        raise ValueError("not a sensible amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("too many decimal places")
    return int(amount * 100)


def parse_time(text: str | None) -> time | None:
    """A time typed the way people write it ("14:30", "10am", "2:30pm"); None if empty or not a time."""
    try:
        return parse_clock_time(text) if text and text.strip() else None
    except ValueError:
        return None


def combine(day: date | None, at: str | None) -> datetime | None:
    """A date and time typed on a form, read as UK time, as the naive UTC the database holds."""
    moment = parse_time(at)
    return uk_to_utc(day, moment) if day and moment else None


def parse_int(text: str | None) -> int | None:
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"-?\d{1,9}", cleaned):
        raise ValueError("not a whole number")
    return int(cleaned)


def _validate_time(form: Form, field: StringField) -> None:
    if field.data and field.data.strip():
        try:
            parse_clock_time(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def _validate_money(form: Form, field: StringField) -> None:
    try:
        parse_pounds(field.data)
    except ValueError:
        raise ValidationError("Enter an amount in pounds, like 1250000 or £1,250,000.00") from None


def _validate_whole(form: Form, field: StringField) -> None:
    try:
        parse_int(field.data)
    except ValueError:
        raise ValidationError("Enter a whole number") from None


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
                                  validators=[Optional(), _validate_money],
                                  description="The whole-life value including extensions. It decides the regime.")
    contract_type = SelectField("Contract type", widget=GovSelect(),
                                choices=[("", "Not decided")] + list(CONTRACT_TYPES.items()))
    duration_months = StringField("Initial duration (months)", widget=GovTextInput(),
                                  validators=[Optional(), _validate_whole])
    extension_months = StringField("Extension options (months, 0 if none)", widget=GovTextInput(),
                                   validators=[Optional(), _validate_whole])
    review_clauses_md = TextAreaField("Review clauses", widget=GovTextArea(), validators=[Length(max=20000)],
                                      description="Price reviews, break points, change control. Clear review clauses "
                                                  "in both the tender and the contract allow lawful changes later.")
    submit = SubmitField("Save details", widget=GovSubmitInput())


def _promote_row_errors(form: FlaskForm, list_name: str, label: str) -> None:
    """Row errors inside a FieldList also go to the error summary, which lists only top-level fields."""
    for index, entry in enumerate(form[list_name], start=1):
        for field in entry.form:
            for message in field.errors:
                form.form_errors.append(f"{label} {index}, {field.label.text.lower()}: {message}")


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
    payment_share = StringField("Share of payment at risk (%)", widget=GovTextInput(), validators=[_validate_whole])

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
        _promote_row_errors(self, "outcomes", "Outcome")
        return valid


class CriterionRowForm(Form):
    kind = SelectField("Kind", widget=GovSelect(), validate_choice=False,
                       choices=[("", "Choose")] + list(CRITERION_KINDS.items()))
    name = StringField("Criterion", widget=GovTextInput(), validators=[Length(max=200)])
    weight = StringField("Weight", widget=GovTextInput(), validators=[_validate_whole])


class CriteriaForm(AppForm):
    score_max = StringField("Scoring scale: top score", widget=GovTextInput(),
                            validators=[InputRequired(message="Enter the top of the scoring scale"), _validate_whole],
                            description="Quality criteria are scored from 0 to this number.")
    criteria = FieldList(FormField(CriterionRowForm), min_entries=4)
    add_criterion = SubmitField("Add another criterion", widget=GovSubmitInput())
    submit = SubmitField("Save award criteria", widget=GovSubmitInput())

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        _promote_row_errors(self, "criteria", "Criterion")
        return valid


class EventForm(AppForm):
    title = StringField("Event", widget=GovTextInput(), validators=[InputRequired(message="Enter what the event is"),
                                                                   Length(max=200)])
    day = DateField("Date", validators=[InputRequired(message="Enter the date of the event")])
    at = StringField(
        "Time",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the time"), _validate_time],
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


class PublishTenderForm(AppForm):
    clarification_day = DateField("Clarification questions close",
                                  validators=[InputRequired(message="Enter the clarification deadline")])
    clarification_at = StringField("Time clarifications close", widget=GovTextInput(),
                                   validators=[InputRequired(message="Enter the time"), _validate_time])
    response_day = DateField("Responses due", validators=[InputRequired(message="Enter the response deadline")])
    response_at = StringField("Time responses are due", widget=GovTextInput(),
                              validators=[InputRequired(message="Enter the time"), _validate_time])
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


class SpecChangeForm(AppForm):
    new_day = DateField("New response deadline (optional)", validators=[Optional()])
    new_at = StringField("Time", widget=GovTextInput(), validators=[Optional(), _validate_time])
    submit = SubmitField("Publish the changed specification", widget=GovSubmitInput())


class QuestionForm(AppForm):
    question = TextAreaField("Your question", widget=GovTextArea(),
                             validators=[InputRequired(message="Enter your question"), Length(max=5000)],
                             description="The answer goes to every bidder and the public. Your organisation is "
                                         "shown only as a pseudonym, like “Bidder Q-3”.")
    submit = SubmitField("Send question", widget=GovSubmitInput())


class AnswerForm(AppForm):
    answer = TextAreaField("Answer (published to everyone)", widget=GovTextArea(),
                           validators=[InputRequired(message="Enter the answer"), Length(max=10000)])
    submit = SubmitField("Publish answer", widget=GovSubmitInput())


class ResponseForm(AppForm):
    method_statement = TextAreaField("Method statement", widget=GovTextArea(),
                                     validators=[InputRequired(message="Enter your method statement"),
                                                 Length(max=50000)])
    price = StringField("Price, including VAT (£)", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter your price"), _validate_money])
    documents = MultipleFileField("Supporting documents (optional)", widget=GovFileInput(multiple=True))
    submit = SubmitField("Seal and submit response", widget=GovSubmitInput())
    save_draft = SubmitField("Save as a draft", widget=GovSubmitInput())


class ResponseDraftForm(ResponseForm):
    """The response form saved as a draft: anything may be missing, but text must still be showable."""

    method_statement = TextAreaField("Method statement", widget=GovTextArea(), validators=[Length(max=50000)])
    price = StringField("Price, including VAT (£)", widget=GovTextInput(), validators=[Length(max=40)])


class EvaluatorForm(AppForm):
    evaluator = SelectField("Commissioner", widget=GovSelect(), validate_choice=True,
                            validators=[InputRequired(message="Choose a commissioner")])
    is_moderator = BooleanField("Moderator (records the consensus scores)", widget=GovCheckboxInput())
    submit = SubmitField("Assign evaluator", widget=GovSubmitInput())


class ConsensusForm(AppForm):
    score = StringField("Consensus score", widget=GovTextInput(), validators=[_validate_whole])
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


class FilterForm(AppForm):
    """The /tenders filters: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    stage = SelectField("Stage", widget=GovSelect(), choices=[("", "Any stage")] +
                        [(k, v) for k, v in STAGES.items() if k != "planning"], validators=[Optional()])
    region = SelectField("Region", widget=GovSelect(), choices=[("", "Any region")] + [(r, r) for r in REGIONS],
                         default="", validate_choice=False)
    category = SelectField("Category", widget=GovSelect(), choices=[("", "Any category")] + list(CATEGORIES.items()),
                           validators=[Optional()])
    band = SelectField("Estimated value", widget=GovSelect(),
                       choices=[("", "Any value")] + list(VALUE_BANDS.items()),
                       validators=[Optional()])
    submit = SubmitField("Filter", widget=GovSubmitInput())


def score_sheet_form(criteria: list, score_max: int, existing: dict[int, tuple[int, str]]) -> FlaskForm:
    """One score and rationale per quality criterion, built for this procurement's criteria."""

    class ScoreSheetForm(AppForm):
        submit = SubmitField("Save my scores", widget=GovSubmitInput())

    for criterion in criteria:
        score, rationale = existing.get(criterion.id, (None, ""))
        setattr(ScoreSheetForm, f"score-{criterion.id}", StringField(
            f"{criterion.name} (weight {criterion.weight}): score from 0 to {score_max}", widget=GovTextInput(),
            validators=[_validate_whole], default="" if score is None else str(score)))
        setattr(ScoreSheetForm, f"rationale-{criterion.id}", TextAreaField(
            f"Why you gave this score for {criterion.name}", widget=GovTextArea(), validators=[Length(max=5000)],
            default=rationale))
    return ScoreSheetForm()


class DocumentForm(AppForm):
    title = StringField("Document title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title for the document"), Length(max=200)])
    document = FileField("File", widget=GovFileInput())
    submit = SubmitField("Upload document", widget=GovSubmitInput())
