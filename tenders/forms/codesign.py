"""Co-design threads, proposals, specification sections and clause provenance (PA23 s.16(4)-(5): prior involvement).

Field names match the keys of the services' RuleViolation reasons, so a
refusal lands next to the field it is about. Choices (sections, meetings,
providers) are filled in by the views from the current record.
"""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from core.forms import AppForm
from forum.forms import ChildDataConfirmMixin

MARKDOWN_HINT = "Markdown is allowed. Everything here is public: never write anything that identifies a child."
DECISION_CHOICES = [
    ("accepted", "Accept: the proposed text goes into a new version of the draft"),
    ("adapted", "Adapt: a new version with your adapted text"),
    ("declined", "Decline: the draft stays as it is"),
]


class ThreadForm(ChildDataConfirmMixin, AppForm):
    title = StringField("Thread title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title for the thread"), Length(max=200)])
    message = TextAreaField("First message", widget=GovTextArea(), description=MARKDOWN_HINT,
                            validators=[InputRequired(message="Enter the first message"), Length(max=20000)])
    submit = SubmitField("Open the thread", widget=GovSubmitInput())


class MessageForm(ChildDataConfirmMixin, AppForm):
    message = TextAreaField("Your message", widget=GovTextArea(), description=MARKDOWN_HINT,
                            validators=[InputRequired(message="Enter your message"), Length(max=20000)])
    submit = SubmitField("Post message", widget=GovSubmitInput())


class ProposalForm(ChildDataConfirmMixin, AppForm):
    section = RadioField("Which section of the draft", widget=GovRadioInput(),
                         validators=[InputRequired(message="Choose a section of the current draft (or a new section)")])
    new_heading = StringField("Heading of the new section (only for a new section)", widget=GovTextInput(),
                              validators=[Length(max=200)])
    text = TextAreaField("Proposed text for the section", widget=GovTextArea(), description=MARKDOWN_HINT,
                         validators=[InputRequired(message="Enter the text you propose for the section"),
                                     Length(max=20000)])
    rationale = TextAreaField("Why you propose it", widget=GovTextArea(),
                              validators=[InputRequired(message="Explain why you propose this change"),
                                          Length(max=20000)])
    submit = SubmitField("Make the proposal", widget=GovSubmitInput())


class MeetingProposalForm(ProposalForm):
    event = SelectField("Meeting where it was proposed", widget=GovSelect(),
                        validators=[InputRequired(message="Choose the meeting where the proposal was made")])
    organisation = SelectField("Provider that made the proposal", widget=GovSelect(),
                               validators=[InputRequired(message="Choose the provider organisation that made the "
                                                                 "proposal")])
    rationale = TextAreaField("Why they proposed it", widget=GovTextArea(),
                              validators=[InputRequired(message="Explain why the change was proposed"),
                                          Length(max=20000)])
    submit = SubmitField("Record the proposal", widget=GovSubmitInput())


class DecisionForm(AppForm):
    decision = RadioField("Decision", widget=GovRadioInput(), choices=DECISION_CHOICES,
                          validators=[InputRequired(message="Choose whether to accept, adapt or decline the proposal")])
    adapted_text = TextAreaField("Adapted text (only when adapting)", widget=GovTextArea(),
                                 validators=[Length(max=20000)])
    reason = TextAreaField("Reason for the decision", widget=GovTextArea(),
                           description="Published in the thread and sent to the proposer.",
                           validators=[InputRequired(message="Give the reason for the decision: the proposer and "
                                                             "everyone else will read it"), Length(max=20000)])
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class MitigationForm(AppForm):
    shared = TextAreaField("What was shared with all providers", widget=GovTextArea(), description=MARKDOWN_HINT,
                           validators=[InputRequired(message="Say what was shared with all providers"),
                                       Length(max=20000)])
    time_limit = TextAreaField("Why the time limit for responses is adequate", widget=GovTextArea(),
                               validators=[InputRequired(message="Say why the time limit for responses is adequate"),
                                           Length(max=20000)])
    submit = SubmitField("Record the mitigation note", widget=GovSubmitInput())
