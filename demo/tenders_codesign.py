"""Demo co-design for a procurement in engagement, made only through the co-design services.

Two public threads; proposals accepted, adapted and declined, each with its
published reason; a mitigation note for the providers with prior involvement;
and the engagement report attached to the tender documents. Every section of
the resulting draft knows where its text came from.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from accounts.models import User
from tenders.models import Procurement
from tenders.services import codesign, specification

DEMO_SECTIONS = [
    ("Homes and placements",
     "Each child lives in a home that meets their needs, as close to their family, school and friends as is safe."),
    ("Education", "Each child attends school or college and makes progress from their own starting point."),
    ("Working with families",
     "Children keep the relationships that matter to them, and families are involved in planning."),
]


def load_codesign_demo(procurement: Procurement, commissioner: User, providers: list[User],
                       now: datetime) -> dict[str, Any]:
    """Co-design the draft of `procurement` (in engagement) with `providers`.

    Everything is dated in the 12 hours before `now`, so `now` should be after the draft's latest version and
    before the tender is published. Returns the threads, the three proposals, the mitigation note and the report.
    """
    if not providers:
        raise ValueError("The co-design demo needs at least one provider")
    first, second, last = providers[0], providers[1 % len(providers)], providers[-1]

    def at(hours: float) -> datetime:
        return now - timedelta(hours=hours)

    latest = procurement.latest_version
    if latest is None:
        raise ValueError("The co-design demo needs a draft specification to co-design")
    body, existing = latest.body_md, codesign.sections_of(latest)
    for heading, text in DEMO_SECTIONS:
        if codesign.slugify(heading) not in existing:
            body = codesign.add_section(body, heading, text)
    if body != latest.body_md:
        # Give the draft the named sections the demo works on: a direct edit, credited to the commissioner.
        specification.save_version(
            procurement, commissioner, body_md=body,
            outcomes=[specification.OutcomeInput(
                domain=o.domain, description=o.description, indicator=o.indicator, baseline_method=o.baseline_method,
                target=o.target, timescale=o.timescale, evidence_source=o.evidence_source,
                payment_share=o.payment_share) for o in latest.outcomes],
            note="Draft divided into sections for co-design", now=at(12))

    homes = codesign.open_thread(
        procurement, first, title="Keeping children close to home", now=at(10),
        message_md="Most children placed out of area lose their school place. Could the draft say more about "
                   "matching homes to where children already live?")
    codesign.post_message(homes, second, now=at(9.5),
                          body_md="Agreed. Stable homes close to school matter more than anything else we measure.")
    accepted = codesign.propose_change(
        homes, first, section_key="homes-and-placements", now=at(9),
        text="Each child lives in a home that meets their needs, within 20 miles of their family, school and "
             "friends unless a plan agreed with the child says otherwise.",
        rationale_md="A clear distance makes the commitment testable, and the child's plan keeps the exception.")
    adapted = codesign.propose_change(
        homes, second, section_key=codesign.NEW_SECTION, new_heading="Moving on to adulthood", now=at(8.5),
        text="Young people are supported to move on to adulthood with a home, an income and a trusted adult.",
        rationale_md="The draft says nothing about leaving care, which is when placements most often break down.")

    therapy = codesign.open_thread(
        procurement, last, title="Therapeutic support", now=at(8),
        message_md="Our in-house homes use a therapeutic model. Should the draft prescribe one?")
    codesign.post_message(therapy, commissioner, now=at(7.5),
                          body_md="We want to describe the outcomes, not the model: propose wording if you have it.")
    declined = codesign.propose_change(
        therapy, last, section_key=codesign.INTRODUCTION, now=at(7),
        text="All homes use the same accredited therapeutic model chosen by the council.",
        rationale_md="One model across all homes makes moves between homes easier for children.")

    codesign.decide_proposal(accepted, commissioner, decision="accepted", now=at(6),
                             reason_md="A clear distance is something children and families can hold us to.")
    codesign.decide_proposal(
        adapted, commissioner, decision="adapted", now=at(5.5),
        adapted_text="Young people are supported to move on to adulthood with a settled home, an income, "
                     "education or work, and a trusted adult who stays in touch.",
        reason_md="We added education or work, and that the trusted adult stays in touch after the move.")
    codesign.decide_proposal(declined, commissioner, decision="declined", now=at(5),
                             reason_md="The specification describes outcomes; providers choose how to achieve them.")

    note = codesign.record_mitigation_note(
        procurement, commissioner, now=at(4),
        shared_md="Every thread, proposal and decision is public on this page, and the engagement report with the "
                  "provenance of each section is part of the tender documents.",
        time_limit_md="Responses are due at least 30 days after the tender notice, longer than the minimum, so "
                      "providers who did not take part have time to read the full record.")
    document = codesign.attach_report(procurement, commissioner, now=at(3))
    return {"threads": [homes, therapy], "proposals": [accepted, adapted, declined], "note": note,
            "report": document}
