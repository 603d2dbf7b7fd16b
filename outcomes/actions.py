"""The audit actions of contract outcomes: terms, returns, ratings and statements (registered by the app factory)."""

DOMAIN = "Contract outcomes"
ACTIONS = {
    "outcomes.terms_set": "A contract's outcomes were copied from its specification when it was entered into",
    "outcomes.terms_agreed": "A commissioner set one outcome's payment terms: measure, formula, share at risk, cap",
    "outcomes.return_submitted": "A provider submitted an outcome return for a period",
    "outcomes.return_resubmitted": "A provider submitted a corrected outcome return for a period",
    "outcomes.return_queried": "A commissioner queried an outcome return, with the reason",
    "outcomes.return_disputed": "A commissioner disputed an outcome return, with the reason",
    "outcomes.return_verified": "A commissioner verified an outcome return",
    "outcomes.dispute_resolved": "A dispute about an outcome return was resolved",
    "outcomes.rating_recorded": "A rating of the provider's performance was recorded",
    "outcomes.statement_calculated": "An outcome statement (what is due for the period) was calculated",
    "outcomes.statement_approved": "An outcome statement was approved",
}
