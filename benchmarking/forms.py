"""Benchmark forms: the filters on /benchmarks and a provider's reply."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from benchmarking.services import NOTE_LIMIT
from core.forms import AppForm
from forum.forms import ChildDataConfirmMixin


class FilterForm(AppForm):
    """Read from the query string; a value not in its list is ignored (shown as "all")."""

    class Meta:
        csrf = False

    category = SelectField("Category", widget=GovSelect(), validate_choice=False)
    region = SelectField("Region", widget=GovSelect(), validate_choice=False)
    period = SelectField("Period", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def choose(self, categories: list[tuple[str, str]], regions: list[str], periods: list[str]) -> None:
        self.category.choices = [("", "All categories"), *categories]
        self.region.choices = [("", "All regions"), *((r, r) for r in regions)]
        self.period.choices = [("", "Latest period"), *((p, p) for p in reversed(periods))]
        for field in (self.category, self.region, self.period):
            if field.data not in {value for value, _ in field.choices}:
                field.data = ""


class ReplyForm(ChildDataConfirmMixin, AppForm):
    note = TextAreaField("Your note (published beside your figures)", widget=GovTextArea(),
                         validators=[InputRequired(message="Enter your note"),
                                     Length(max=NOTE_LIMIT, message=f"Your note must be {NOTE_LIMIT:,} characters "
                                                                     "or fewer")],
                         description="Say what a reader should know about your results: your intake, a change "
                                     "of service, anything the figures miss. Never write about a child who could "
                                     "be identified.")
    submit = SubmitField("Save note", widget=GovSubmitInput())
