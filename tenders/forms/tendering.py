"""During the tender: clarification questions and answers, and sealed responses (and drafts of them)."""
from __future__ import annotations

from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from core.forms import AppForm
from tenders.forms.parsing import validate_money


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
                        validators=[InputRequired(message="Enter your price"), validate_money])
    documents = MultipleFileField("Supporting documents (optional)", widget=GovFileInput(multiple=True))
    submit = SubmitField("Seal and submit response", widget=GovSubmitInput())
    save_draft = SubmitField("Save as a draft", widget=GovSubmitInput())


class ResponseDraftForm(ResponseForm):
    """The response form saved as a draft: anything may be missing, but text must still be showable."""

    method_statement = TextAreaField("Method statement", widget=GovTextArea(), validators=[Length(max=50000)])
    price = StringField("Price, including VAT (£)", widget=GovTextInput(), validators=[Length(max=40)])
