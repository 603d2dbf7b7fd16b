"""The filters of the public list of procurements."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import Optional

from core.forms import AppForm
from core.vocabulary import REGIONS
from tenders.models import CATEGORIES, STAGES

# Value bands for the list filter, named by regime; the amounts come from the thresholds table.
VALUE_BANDS = {
    "below_threshold": "Below the notifiable threshold",
    "notifiable_below_threshold": "Notifiable below-threshold",
    "light_touch": "Light-touch threshold and above",
}


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
