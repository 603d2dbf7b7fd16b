"""Tenders forms. They validate and convert what was typed; services apply the rules and save."""
from tenders.forms.drafting import (
    CriteriaForm,
    CriterionRowForm,
    DetailsForm,
    DocumentForm,
    NewProcurementForm,
    OutcomeForm,
    SpecChangeForm,
    SpecificationForm,
)
from tenders.forms.engagement import EngagementForm, EventForm, LinksForm, MeetingEventForm
from tenders.forms.evaluation import AwardForm, ConsensusForm, ContractForm, EvaluatorForm, score_sheet_form
from tenders.forms.listing import VALUE_BANDS, FilterForm
from tenders.forms.parsing import (
    MAX_POUNDS,
    combine,
    parse_int,
    parse_pounds,
    parse_time,
    promote_row_errors,
    validate_money,
    validate_time,
    validate_whole,
)
from tenders.forms.publishing import CloseForm, PublishTenderForm
from tenders.forms.tendering import AnswerForm, QuestionForm, ResponseDraftForm, ResponseForm

__all__ = [
    "AnswerForm",
    "AwardForm",
    "CloseForm",
    "ConsensusForm",
    "ContractForm",
    "CriteriaForm",
    "CriterionRowForm",
    "DetailsForm",
    "DocumentForm",
    "EngagementForm",
    "EvaluatorForm",
    "EventForm",
    "FilterForm",
    "LinksForm",
    "MAX_POUNDS",
    "MeetingEventForm",
    "NewProcurementForm",
    "OutcomeForm",
    "PublishTenderForm",
    "QuestionForm",
    "ResponseDraftForm",
    "ResponseForm",
    "SpecChangeForm",
    "SpecificationForm",
    "VALUE_BANDS",
    "combine",
    "parse_int",
    "parse_pounds",
    "parse_time",
    "promote_row_errors",
    "score_sheet_form",
    "validate_money",
    "validate_time",
    "validate_whole",
]
