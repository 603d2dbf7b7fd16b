"""Forms of the sufficiency pages: they parse input only; the services check the rules."""
from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from accounts.models import LEGAL_FORMS
from core.forms import AppForm, DateField
from forum.forms import ChildDataConfirmMixin
from sufficiency.vocabulary import INTENSITIES, NEED_CATEGORIES, SETTING_TYPES


class SettingForm(AppForm):
    name = StringField("Setting name", widget=GovTextInput(),
                       validators=[InputRequired(message="Enter the setting's name"), Length(max=200)])
    ofsted_urn = StringField("Ofsted URN (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=20)],
                             description="As on Ofsted's register, for example SC123456")
    area_code = SelectField("Council area", widget=GovSelect(),
                            validators=[InputRequired(message="Select the council area the setting is in")])
    setting_type = SelectField("Kind of setting", widget=GovSelect(), choices=list(SETTING_TYPES.items()),
                               validators=[InputRequired(message="Select the kind of setting")])
    categories = SelectMultipleField("Needs met (from your statement of purpose)", widget=GovCheckboxesInput(),
                                     choices=list(NEED_CATEGORIES.items()),
                                     validators=[InputRequired(message="Select at least one category of need")])
    highest_intensity = RadioField("Highest intensity of need met", widget=GovRadioInput(),
                                   choices=list(INTENSITIES.items()),
                                   validators=[InputRequired(message="Select the highest intensity of need met")])
    registered_places = IntegerField("Registered places", widget=GovTextInput(),
                                     validators=[InputRequired(message="Enter the registered places"),
                                                 NumberRange(min=0, max=10_000, message="Enter 0 to 10,000")])
    age_from = IntegerField("Youngest age taken", widget=GovTextInput(),
                            validators=[InputRequired(message="Enter the youngest age taken"),
                                        NumberRange(min=0, max=25, message="Enter an age from 0 to 25")])
    age_to = IntegerField("Oldest age taken", widget=GovTextInput(),
                          validators=[InputRequired(message="Enter the oldest age taken"),
                                      NumberRange(min=0, max=25, message="Enter an age from 0 to 25")])
    legal_form = SelectField(
        "Legal form",
        widget=GovSelect(),
        choices=[("", "Not recorded")] + list(LEGAL_FORMS.items()),
        validators=[Optional()],
    )
    vacancies = IntegerField("Current vacancies (optional)", widget=GovTextInput(),
                             validators=[Optional(), NumberRange(min=0, max=10_000, message="Enter 0 to 10,000")],
                             description="Seen only by your organisation and by commissioners.")
    vacancies_confirmed_on = DateField("Date vacancies were last confirmed", validators=[Optional()],
                                       description="For example, 3 12 2026")
    submit = SubmitField("Save capacity", widget=GovSubmitInput())


class ForecastForm(ChildDataConfirmMixin, AppForm):
    title = StringField("Forecast title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title for the forecast"), Length(max=200)])
    file = FileField("CSV file", widget=GovFileInput(),
                     description="Columns: area,category,intensity,horizon,count. Counts only, never a child.")
    submit = SubmitField("Upload forecast", widget=GovSubmitInput())


class CorrectForecastForm(AppForm):
    file = FileField("Corrected CSV file", widget=GovFileInput(),
                     description="It replaces every line of the forecast.")
    submit = SubmitField("Upload correction", widget=GovSubmitInput())


class RegisterImportForm(AppForm):
    file = FileField("Ofsted's list of children's social care providers (CSV)", widget=GovFileInput())
    submit = SubmitField("Import", widget=GovSubmitInput())


class RunForm(AppForm):
    name = StringField("Name of the run", widget=GovTextInput(),
                       validators=[InputRequired(message="Name the run"), Length(max=200)],
                       description="For example, “Spring 2027 sufficiency review”")
    submit = SubmitField("Run the gap analysis", widget=GovSubmitInput())


class StatementForm(ChildDataConfirmMixin, AppForm):
    title = StringField("Title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title for the statement"), Length(max=200)])
    narrative = TextAreaField("Narrative (markdown)", widget=GovTextArea(),
                              validators=[InputRequired(message="Write the statement's narrative"),
                                          Length(max=50_000)])
    run_id = SelectField("Figures from the gap-analysis run", widget=GovSelect(), coerce=str,
                         validators=[InputRequired(message="Choose the gap-analysis run")])
    submit = SubmitField("Publish statement", widget=GovSubmitInput())


class AttachForm(AppForm):
    procurement_id = SelectField("Procurement", widget=GovSelect(), coerce=str,
                                 validators=[InputRequired(message="Choose the procurement")])
    submit = SubmitField("Attach to its engagement notice", widget=GovSubmitInput())
