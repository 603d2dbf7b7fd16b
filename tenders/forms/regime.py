"""The form for what a procurement buys and when it legally started, and the two public rules calculators."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.forms import AppForm, DateField
from tenders.forms.parsing import validate_money, validate_time
from tenders.jurisdiction import NATION_LABELS
from tenders.regime_rules import AUTHORITIES, PSR_DECISIONS, PSR_PROCESSES, REGIMES
from tenders.workingdays import STANDSTILL_BY_REGIME


class RegimeFactsForm(AppForm):
    cpv_code = StringField("Main CPV code", widget=GovTextInput(),
                           validators=[InputRequired(message="Enter the main CPV code"), Length(max=20)],
                           description="Eight digits, for example 85311300. The category proposed one; choose the "
                                       "code that says what is really being bought. It decides whether the "
                                       "contract is light-touch or under the Provider Selection Regime.")
    recorded_start_on = DateField("Legal start, if earlier (optional)", validators=[Optional()],
                                  description="When suppliers were first contacted or a notice was first published "
                                              "outside this platform. Leave blank to use the first notice or "
                                              "contact recorded here. For example 3 2 2025")
    psr_decision = RadioField("Is this a health care service under the Provider Selection Regime?",
                              widget=GovRadioInput(), choices=list(PSR_DECISIONS.items()), default="",
                              validators=[Optional()])
    psr_reason = TextAreaField("Reason for your decision", widget=GovTextArea(), validators=[Length(max=5000)],
                               description="Needed when you confirm or rule out the regime; kept in the audit trail.")
    psr_process = SelectField("Provider Selection Regime process", widget=GovSelect(),
                              choices=[("", "Not under the Provider Selection Regime")] + [
                                  (code, text.split(":")[0]) for code, text in PSR_PROCESSES.items()],
                              validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class RegimeCalculatorForm(AppForm):
    """Which regime: a GET form on a public page, so no CSRF token."""

    class Meta:
        csrf = False

    value = StringField("Estimated value, including VAT (£)", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter the estimated value"), validate_money])
    cpv = StringField("Main CPV code", widget=GovTextInput(), validators=[Optional(), Length(max=20)],
                      description="Eight digits, for example 60130000 (special-purpose road passenger transport).")
    started_on = DateField(
        "Legal start",
        validators=[InputRequired(message="Enter the date the procurement legally started")],
        description="When the first notice was published or suppliers were first contacted. For example 3 2 2026",
    )
    nation = SelectField("Nation of the contracting authority", widget=GovSelect(),
                         choices=[(n.value, label) for n, label in NATION_LABELS.items()])
    authority = SelectField("Kind of authority", widget=GovSelect(), choices=list(AUTHORITIES.items()))
    work_out_regime = SubmitField("Work out the regime", widget=GovSubmitInput())


class StandstillCalculatorForm(AppForm):
    """When standstill ends: a GET form on a public page, so no CSRF token."""

    class Meta:
        csrf = False

    published_on = DateField(
        "Date the notice was published",
        validators=[InputRequired(message="Enter the date the notice was published")],
        description="For example 28 11 2026",
    )
    published_time = StringField("Time it was published (UK time)", widget=GovTextInput(),
                                 validators=[Optional(), validate_time],
                                 description="For example 9:30am or 14:30. Leave blank for the start of the day.")
    regime = SelectField("Regime", widget=GovSelect(),
                         choices=[(code, REGIMES[code]) for code in STANDSTILL_BY_REGIME])
    work_out_standstill = SubmitField("Work out the standstill", widget=GovSubmitInput())
