"""Procurements' pages: one module a stage or topic, every URL rule listed in tenders.views.urls.

Public:        the list, its feed, the procurement page, documents, versions, co-design, the rules
Commissioners: drafting, engagement, publishing, clarifications' answers, opening, evaluation, award, contract,
               notices, the parity ledger, conflicts of interest, spin-offs
Providers:     clarifications, sealed responses and their receipts, the assessment summary
CLI:           flask --app wsgi tenders enter-due-contracts
"""
from tenders.views.urls import bp

__all__ = ["bp"]
