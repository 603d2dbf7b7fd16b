"""Forum forms. They check the shape of input; forum.services applies the rules and saves."""
from __future__ import annotations

from flask_wtf.file import FileField
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
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from core.forms import AppForm, DateField
from core.parsing import parse_clock_time, parse_pounds
from forum.models import (
    AGE_BANDS,
    CATEGORIES,
    EMAIL_MODES,
    FORUM_STATUSES,
    FREQUENCIES,
    HORIZONS,
    INTENSITIES,
    MEETING_MODES,
    NEED_CATEGORIES,
    NEED_STATUSES,
    REGIONS,
    WATCH_LEVELS,
    area_choices,
)
from forum.services import MAX_POST_CHARS, MAX_TITLE_CHARS

CONFIRM_LABEL = "I have checked: this is not personal data about a child"
POST_HINT = ("You can use Markdown, and mention an organisation with @[Organisation name]. "
             "Never include anything that could identify a child.")
BODY_LENGTH = Length(max=MAX_POST_CHARS, message=f"Your message must be {MAX_POST_CHARS:,} characters or fewer")


class PoundsField(StringField):
    """An optional sum in whole pounds, typed as people write it ("£1,200,000"); `data` is the int or None.

    One field, one message: a bad entry gets only core.parsing's error, never a second from a number check.
    """

    MAXIMUM = 2_000_000_000

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = (valuelist[0] if valuelist else "") or ""
        self.data = None
        if not self.raw_text.strip():
            return
        try:
            pounds = parse_pounds(self.raw_text)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        if pounds > self.MAXIMUM:
            raise ValueError("Enter an amount of no more than £2,000,000,000")
        self.data = pounds

    def _value(self) -> str:
        if getattr(self, "raw_text", None) is not None:
            return self.raw_text
        return f"{self.data:,}" if isinstance(self.data, int) else ""


class ClockTimeField(StringField):
    """A UK clock time typed as "10am", "2:30pm" or "14:30"; `data` is a datetime.time."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = (valuelist[0] if valuelist else "") or ""
        self.data = None
        if self.raw_text.strip():
            self.data = parse_clock_time(self.raw_text)

    def _value(self) -> str:
        if getattr(self, "raw_text", None) is not None:
            return self.raw_text
        return self.data.strftime("%H:%M") if self.data is not None else ""


class ChildDataConfirmMixin:
    """Shown only after the check found likely identifiers (views set `show_confirm`)."""

    confirm_no_child_data = BooleanField(CONFIRM_LABEL, widget=GovCheckboxInput(), default=False)
    show_confirm = False


class ForumForm(ChildDataConfirmMixin, AppForm):
    title = StringField("Forum name", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter the forum’s name"), Length(max=MAX_TITLE_CHARS)],
                        description="For example, “Residential care for children with high level needs – North West”")
    remit = TextAreaField("Remit", widget=GovTextArea(),
                          validators=[InputRequired(message="Describe the forum’s remit"), BODY_LENGTH],
                          description="What the forum is for and who should join. You can use Markdown.")
    region = SelectField("Region", widget=GovSelect(), choices=[("", "Choose a region")] + [(r, r) for r in REGIONS],
                         validators=[InputRequired(message="Select the region the forum covers")])
    categories = SelectMultipleField("Service categories", widget=GovCheckboxesInput(),
                                     choices=list(CATEGORIES.items()),
                                     validators=[InputRequired(message="Select at least one service category")])
    co_owners = SelectMultipleField("Co-owning commissioning organisations (optional)", widget=GovCheckboxesInput(),
                                    coerce=int, validators=[Optional()],
                                    description="Councils or consortia who run this forum with you.")
    submit = SubmitField("Save forum", widget=GovSubmitInput())


class ForumStatusForm(AppForm):
    status = RadioField("Forum status", widget=GovRadioInput(), choices=list(FORUM_STATUSES.items()),
                        validators=[InputRequired(message="Select a status")])
    submit = SubmitField("Change status", widget=GovSubmitInput())


class ThreadForm(ChildDataConfirmMixin, AppForm):
    title = StringField("Title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title"),
                                    Length(max=MAX_TITLE_CHARS, message="The title must be 200 characters or fewer")])
    body = TextAreaField("Message", widget=GovTextArea(),
                         validators=[InputRequired(message="Enter your message"), BODY_LENGTH],
                         description=POST_HINT)
    attachment = FileField("Attach a file (optional)", widget=GovFileInput(),
                           description="PDF, DOCX, XLSX, ODT or CSV, up to 10 MB.")
    submit = SubmitField("Post", widget=GovSubmitInput())


class ReplyForm(ChildDataConfirmMixin, AppForm):
    body = TextAreaField("Your reply", widget=GovTextArea(),
                         validators=[InputRequired(message="Enter your message"), BODY_LENGTH],
                         description=POST_HINT)
    quote = HiddenField()
    attachment = FileField("Attach a file (optional)", widget=GovFileInput(),
                           description="PDF, DOCX, XLSX, ODT or CSV, up to 10 MB.")
    submit = SubmitField("Post reply", widget=GovSubmitInput())


class EditPostForm(ChildDataConfirmMixin, AppForm):
    body = TextAreaField("Message", widget=GovTextArea(),
                         validators=[InputRequired(message="Enter your message"), BODY_LENGTH],
                         description="Everyone can see earlier versions of your post.")
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class ReasonForm(AppForm):
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           validators=[InputRequired(message="Enter a reason"),
                                       Length(max=2000, message="The reason must be 2,000 characters or fewer")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class WatchForm(AppForm):
    level = RadioField("How closely do you want to follow this?", widget=GovRadioInput(),
                       choices=list(WATCH_LEVELS.items()), validators=[InputRequired(message="Select an option")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class NeedItemForm(Form):
    category = SelectField("Need", widget=GovSelect(), choices=[("", "Choose a need")] + list(NEED_CATEGORIES.items()),
                           validators=[Optional()])
    intensity = SelectField("Intensity", widget=GovSelect(), choices=[("", "Choose")] + list(INTENSITIES.items()),
                            validators=[Optional()])
    frequency = SelectField("Frequency", widget=GovSelect(), choices=[("", "Choose")] + list(FREQUENCIES.items()),
                            validators=[Optional()])
    children = IntegerField(
        "Number of children",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000, message="Enter a number of children from 1 to 100,000"),
        ],
    )


class NeedForm(ChildDataConfirmMixin, AppForm):
    title = StringField("Title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title for the need statement"),
                                    Length(max=MAX_TITLE_CHARS)])
    cohort_size = IntegerField("Cohort size", widget=GovTextInput(),
                               validators=[InputRequired(message="Enter how many children and young people"),
                                           NumberRange(min=1, max=100_000, message="Enter a number from 1 to 100,000")],
                               description="How many children and young people, as a whole number. Never names.")
    area_code = SelectField("Council area", widget=GovSelect(), validators=[Optional()],
                            description="Where the need is: it is counted in the sufficiency analysis for this area.")
    horizon = RadioField("When must the need be met?", widget=GovRadioInput(), choices=list(HORIZONS.items()),
                         validators=[Optional()])
    age_bands = SelectMultipleField("Age bands", widget=GovCheckboxesInput(), choices=list(AGE_BANDS.items()),
                                    validators=[InputRequired(message="Select at least one age band")])
    items = FieldList(FormField(NeedItemForm), min_entries=4, max_entries=12)
    current_provision = TextAreaField("Current provision", widget=GovTextArea(),
                                      validators=[InputRequired(message="Describe current provision"), BODY_LENGTH])
    gaps = TextAreaField("Gaps", widget=GovTextArea(),
                         validators=[InputRequired(message="Describe the gaps"), BODY_LENGTH])
    outcomes = TextAreaField("Outcomes sought", widget=GovTextArea(),
                             validators=[InputRequired(message="Describe the outcomes sought"), BODY_LENGTH])
    budget_min = PoundsField("Indicative budget from (£ a year, optional)", widget=GovTextInput(),
                             description="For example, 1,200,000")
    budget_max = PoundsField("Indicative budget to (£ a year, optional)", widget=GovTextInput(),
                             description="For example, 1,500,000")
    timescale = StringField("Timescale", widget=GovTextInput(),
                            validators=[InputRequired(message="Enter the timescale"), Length(max=200)],
                            description="For example, “new provision needed from April 2027”")
    status = RadioField("Status", widget=GovRadioInput(), choices=list(NEED_STATUSES.items()), default="open",
                        validators=[InputRequired(message="Select the status of the need")])
    submit = SubmitField("Publish need statement", widget=GovSubmitInput())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.area_code.choices = [("", "Choose a council area")] + area_choices()


class MeetingForm(ChildDataConfirmMixin, AppForm):
    title = StringField("Title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a title for the meeting"),
                                    Length(max=MAX_TITLE_CHARS)])
    date = DateField("Date",
                     validators=[InputRequired(message="Enter the date of the meeting")],
                     description="For example, 27 3 2027")
    start_time = ClockTimeField("Start time (UK time)", widget=GovTextInput(),
                                validators=[InputRequired(message="Enter the start time, like 10am or 14:30")],
                                description="For example, 10am, 2:30pm or 14:30")
    end_time = ClockTimeField("End time (UK time)", widget=GovTextInput(),
                              validators=[InputRequired(message="Enter the end time, like 12:30pm or 16:00")],
                              description="For example, 12:30pm or 16:00")
    mode = RadioField("How will people attend?", widget=GovRadioInput(), choices=list(MEETING_MODES.items()),
                      validators=[InputRequired(message="Select in person or online")])
    location = StringField("Place (for in-person meetings)", widget=GovTextInput(),
                           validators=[Optional(), Length(max=300)])
    online_link = StringField("Joining link (for online meetings)", widget=GovTextInput(),
                              validators=[Optional(), Length(max=500)],
                              description="Only people registered for the meeting will see it.")
    agenda = TextAreaField("Agenda", widget=GovTextArea(),
                           validators=[InputRequired(message="Enter the agenda"), BODY_LENGTH])
    capacity = IntegerField("Capacity", widget=GovTextInput(),
                            validators=[InputRequired(message="Enter how many people can attend"),
                                        NumberRange(min=1, max=10_000, message="Enter a number from 1 to 10,000")],
                            description="When it is full, people join a waiting list.")
    submit = SubmitField("Schedule meeting", widget=GovSubmitInput())



class MinutesForm(ChildDataConfirmMixin, AppForm):
    minutes = TextAreaField("Minutes", widget=GovTextArea(),
                            validators=[InputRequired(message="Enter the minutes"), BODY_LENGTH],
                            description="Published to everyone, like the forum. You can use Markdown.")
    submit = SubmitField("Publish minutes", widget=GovSubmitInput())


class DocumentForm(AppForm):
    document = FileField("Add a document (slides or papers)", widget=GovFileInput(),
                         description="PDF, DOCX, XLSX, ODT or CSV, up to 10 MB. Published to everyone.")
    submit = SubmitField("Upload document", widget=GovSubmitInput())


class AttendanceForm(AppForm):
    attended = SelectMultipleField("Who attended?", widget=GovCheckboxesInput(), coerce=int, validators=[Optional()])
    submit = SubmitField("Save attendance", widget=GovSubmitInput())


class NotificationSettingsForm(AppForm):
    email_mode = RadioField("When should we email you about forum activity?", widget=GovRadioInput(),
                            choices=list(EMAIL_MODES.items()), validators=[InputRequired(message="Select an option")])
    submit = SubmitField("Save", widget=GovSubmitInput())
