"""Procurements and everything that hangs off them, one module a stage; importing the package registers every
table with the metadata.

One procurement moves through the stages in STAGES (mapped to OCDS in
the product's stage table). Rows that record what somebody said or decided are never
deleted: the app offers no way to (PA23 s.98). Money is held in whole pence.
"""
from tenders.models import codesign, conflicts, drafts, ledger, spinoffs
from tenders.models.contracts import Contract, ContractPerformanceNotice
from tenders.models.engagement import EngagementEvent, meeting_place
from tenders.models.evaluation import Award, ConsensusScore, EvaluatorAssignment, Score
from tenders.models.procurements import (
    CATEGORIES,
    CLOSED_STAGES,
    CONTRACT_TYPES,
    DRAFTING_STAGES,
    LIVE_STAGES,
    PUBLIC_STAGES,
    SPEC_EDIT_STAGES,
    STAGES,
    TRANSITIONS,
    Procurement,
    Stage,
    Threshold,
    procurement_need,
)
from tenders.models.responses import Clarification, ResponseStatus, TenderResponse
from tenders.models.specification import (
    CRITERION_KINDS,
    OUTCOME_DOMAINS,
    AwardCriterion,
    ProcurementDocument,
    SpecOutcome,
    SpecVersion,
)

__all__ = [
    "Award",
    "AwardCriterion",
    "CATEGORIES",
    "CLOSED_STAGES",
    "CONTRACT_TYPES",
    "CRITERION_KINDS",
    "Clarification",
    "ConsensusScore",
    "Contract",
    "ContractPerformanceNotice",
    "DRAFTING_STAGES",
    "EngagementEvent",
    "EvaluatorAssignment",
    "LIVE_STAGES",
    "OUTCOME_DOMAINS",
    "PUBLIC_STAGES",
    "Procurement",
    "ProcurementDocument",
    "ResponseStatus",
    "SPEC_EDIT_STAGES",
    "STAGES",
    "Score",
    "SpecOutcome",
    "SpecVersion",
    "Stage",
    "TRANSITIONS",
    "TenderResponse",
    "Threshold",
    "codesign",
    "conflicts",
    "drafts",
    "ledger",
    "meeting_place",
    "procurement_need",
    "spinoffs",
]
