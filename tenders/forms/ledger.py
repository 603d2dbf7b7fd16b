"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (equal information).

The forms only convert what was typed; the services check every rule (an
empty message, a redaction without a reason...) so the CLI and tests get the
same messages.
"""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length

from core.forms import AppForm
from tenders.forms.parsing import promote_row_errors


class NewConversationForm(AppForm):
    organisation = SelectField("Organisation to write to", widget=GovSelect(), validate_choice=False)
    procurement = SelectField("About a procurement (optional)", widget=GovSelect(), validate_choice=False,
                              description="While a procurement is in engagement or tender, every message about it "
                                          "is a bilateral contact: the commissioner must disclose it to every "
                                          "provider or record why it is not material.")
    subject = StringField("Subject", widget=GovTextInput(), validators=[Length(max=200)])
    body = TextAreaField("Message", widget=GovTextArea(), validators=[Length(max=20_000)],
                         description="You can use Markdown.")
    submit = SubmitField("Send message", widget=GovSubmitInput())


class MessageForm(AppForm):
    body = TextAreaField("Your message", widget=GovTextArea(), validators=[Length(max=20_000)],
                         description="You can use Markdown.")
    submit = SubmitField("Send message", widget=GovSubmitInput())


class TagForm(AppForm):
    procurement = SelectField("Procurement this conversation concerns", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Mark as concerning this procurement", widget=GovSubmitInput())


class RedactionRowForm(Form):
    what = StringField("What was redacted", widget=GovTextInput(), validators=[Length(max=1000)])
    reason = StringField("Why", widget=GovTextInput(), validators=[Length(max=1000)])


class DisclosureForm(AppForm):
    # Only for a contact that names no procurement; the view fills the choices and the service checks them.
    procurements = SelectMultipleField("Procurements this contact is disclosed to", widget=GovCheckboxesInput(),
                                       validate_choice=False,
                                       description="The summary is published on each procurement's page and sent "
                                                   "to its participants. Those the messages name are ticked.")
    summary = TextAreaField("Summary of what was said (published to every participant)", widget=GovTextArea(),
                            validators=[Length(max=20_000)], description="You can use Markdown.")
    redactions = FieldList(FormField(RedactionRowForm), min_entries=3)
    submit = SubmitField("Disclose to every participant", widget=GovSubmitInput())

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        promote_row_errors(self, "redactions", "Redaction")
        return valid


class NotMaterialForm(AppForm):
    reason = TextAreaField("Why this contact is not material", widget=GovTextArea(),
                           validators=[Length(max=20_000)],
                           description="The procurement page lists the date and the provider, not what was said.")
    submit = SubmitField("Mark as not material", widget=GovSubmitInput())


class NotAboutLiveForm(AppForm):
    reason = TextAreaField("Why this contact is not about any live procurement", widget=GovTextArea(),
                           validators=[Length(max=20_000)],
                           description="Auditors see the reason in the contacts register. Nothing is published.")
    submit = SubmitField("Mark as not about any live procurement", widget=GovSubmitInput())
