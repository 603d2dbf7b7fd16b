"""The form for what a procurement buys and when it legally started, and the two public rules calculators."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, \
    GovTextInput
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, Optional

from tenders.forms import _validate_money, _validate_time
from tenders.jurisdiction import NATION_LABELS
from tenders.regime_rules import AUTHORITIES, PSR_DECISIONS, PSR_PROCESSES, REGIMES
from tenders.workingdays import STANDSTILL_BY_REGIME


class DayMonthYearField(DateField):
    """A GOV.UK date input that survives a request missing some of its three boxes (a hand-made URL or POST):
    the widget unpacks exactly three values, so anything else is treated as nothing typed, and the field's
    validators say so."""

    def process(self, formdata, data=unset_value, extra_filters=None):  # type: ignore[no-untyped-def]
        super().process(formdata, data, extra_filters)
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = None
            if self.data is None and formdata is not None and self.name in formdata:
                self.process_errors.append("Enter the day, month and year")


class RegimeFactsForm(FlaskForm):
    cpv_code = StringField("Main CPV code", widget=GovTextInput(),
                           validators=[InputRequired(message="Enter the main CPV code"), Length(max=20)],
                           description="Eight digits, for example 85311300. The category proposed one; choose the "
                                       "code that says what is really being bought. It decides whether the "
                                       "contract is light-touch or under the Provider Selection Regime.")
    recorded_start_on = DayMonthYearField("Legal start, if earlier (optional)", widget=GovDateInput(), format="%d %m %Y",
                                  validators=[Optional()],
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


class RegimeCalculatorForm(FlaskForm):
    """Which regime: a GET form on a public page, so no CSRF token."""

    class Meta:
        csrf = False

    value = StringField("Estimated value, including VAT (£)", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter the estimated value"), _validate_money])
    cpv = StringField("Main CPV code", widget=GovTextInput(), validators=[Optional(), Length(max=20)],
                      description="Eight digits, for example 60130000 (special-purpose road passenger transport).")
    started_on = DayMonthYearField("Legal start", widget=GovDateInput(), format="%d %m %Y",
                           validators=[InputRequired(message="Enter the date the procurement legally started")],
                           description="When the first notice was published or suppliers were first contacted. "
                                       "For example 3 2 2026")
    nation = SelectField("Nation of the contracting authority", widget=GovSelect(),
                         choices=[(n.value, label) for n, label in NATION_LABELS.items()])
    authority = SelectField("Kind of authority", widget=GovSelect(), choices=list(AUTHORITIES.items()))
    work_out_regime = SubmitField("Work out the regime", widget=GovSubmitInput())


class StandstillCalculatorForm(FlaskForm):
    """When standstill ends: a GET form on a public page, so no CSRF token."""

    class Meta:
        csrf = False

    published_on = DayMonthYearField("Date the notice was published", widget=GovDateInput(), format="%d %m %Y",
                             validators=[InputRequired(message="Enter the date the notice was published")],
                             description="For example 28 11 2026")
    published_time = StringField("Time it was published (UK time)", widget=GovTextInput(),
                                 validators=[Optional(), _validate_time],
                                 description="24-hour clock, for example 09:30. Leave blank for the start of the day.")
    regime = SelectField("Regime", widget=GovSelect(),
                         choices=[(code, REGIMES[code]) for code in STANDSTILL_BY_REGIME])
    work_out_standstill = SubmitField("Work out the standstill", widget=GovSubmitInput())
