"""The "check your answers" pages before each irreversible public act on a procurement.

Each function takes the validated form and returns the summary page; the route performs the act only when
the summary page is confirmed (core.check_answers.confirmed). The rows say what will be published, in the
words the notice will use.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template
from flask_login import current_user

from core import clock
from core.check_answers import Answer, Caution, carried
from core.timezones import uk_date, uk_when
from tenders.guard_rails import tender_cautions
from tenders.models import Procurement
from tenders.services import evaluation
from tenders.thresholds import regime_of


def _page(procurement: Procurement, form: Any, context: dict[str, Any], *, heading: str, consequence: str,
          answers: list[Answer], confirm_label: str, cautions: list[Caution] | None = None) -> str:
    return render_template("tenders/check_answers.html", form=form, carried=carried(form), answers=answers,
                           cautions=cautions or [], heading=heading, consequence=consequence,
                           confirm_label=confirm_label, **context)


def engagement_notice(procurement: Procurement, form: Any, context: dict[str, Any]) -> str:
    """What the preliminary market engagement notice will publish (Procurement Regulations 2024 reg 17)."""
    events = "; ".join(f"{e.title}, {uk_when(e.when)}, {e.where}" for e in procurement.events) or "None"
    return _page(procurement, form, context, heading="publish the engagement notice",
                 consequence="The notice is published to everyone and cannot be withdrawn. The procurement moves "
                             "to preliminary market engagement.",
                 answers=[Answer("Contracting authority", procurement.owner.name),
                          Answer("Title", procurement.title), Answer("Identifier", procurement.reference),
                          Answer("Category", procurement.category_label),
                          Answer("Engagement closes on", uk_date(form.closes_on.data)),
                          Answer("Events", events),
                          Answer("Forum", procurement.forum.title if procurement.forum else "None")],
                 confirm_label="Publish engagement notice")


def tender_notice(procurement: Procurement, form: Any, context: dict[str, Any], *, clarification_deadline: datetime,
                  response_deadline: datetime) -> str:
    """The tender notice's dates and regime, with the cautions on its response window."""
    now = clock.utcnow()
    regime = regime_of(procurement, now)
    version = procurement.latest_version
    answers = [Answer("Procurement", f"{procurement.reference}: {procurement.title}"),
               Answer("Specification", f"Version {version.number}, frozen on publication" if version else "None"),
               Answer("Regime", regime.label),
               Answer("Clarification questions close", uk_when(clarification_deadline)),
               Answer("Responses due", uk_when(response_deadline))]
    if form.no_engagement_reason.data:
        answers.append(Answer("Why no engagement notice was published", form.no_engagement_reason.data))
    return _page(procurement, form, context, heading="publish the tender notice",
                 consequence="The tender notice is published to everyone. The specification is frozen and sealed "
                             "responses open.",
                 answers=answers, confirm_label="Publish tender notice",
                 cautions=tender_cautions(procurement, regime, response_deadline, now))


def scores(procurement: Procurement, form: Any, context: dict[str, Any]) -> str:
    """The evaluator's own scores, which cannot be changed once submitted."""
    criteria = {c.id: c.name for c in evaluation.quality_criteria(procurement)}
    mine = [s for s in evaluation.visible_scores(procurement, current_user) if s.evaluator_id == current_user.id]
    answers = [Answer(f"{s.response.provider.name}: {criteria.get(s.criterion_id, 'criterion')}",
                      f"{s.score} out of {procurement.score_max}. {s.rationale}") for s in mine]
    return _page(procurement, form, context, heading="submit your scores",
                 consequence="Once submitted your scores cannot be changed, and you will see the other evaluators' "
                             "scores.",
                 answers=answers or [Answer("Scores", "You have not scored any response yet")],
                 confirm_label="Submit my scores")


def award(procurement: Procurement, form: Any, context: dict[str, Any], chosen_label: str) -> str:
    """The award decision as the contract award notice will publish it."""
    return _page(procurement, form, context, heading="publish the award decision",
                 consequence="The contract award notice is published, every bidder is told, and the standstill "
                             "period starts. It cannot be undone.",
                 answers=[Answer("Award to", chosen_label), Answer("Reasons for the decision", form.reasons.data),
                          Answer("Standstill period", "Applies: 8 working days" if form.standstill.data
                                 else "Does not apply")],
                 confirm_label="Publish the contract award notice")


def modification_decision(procurement: Procurement, form: Any, context: dict[str, Any]) -> str:
    """The commissioner's answers and decision on a spin-off, published with its reason."""
    answers = [Answer(str(field.label.text), dict(field.choices).get(field.data, field.data or ""))
               for field in form if field.type == "RadioField" and field.data]
    if form.term_change_months.data:
        answers.append(Answer(str(form.term_change_months.label.text), form.term_change_months.data))
    if form.not_substantial_reasons.data:
        answers.append(Answer(str(form.not_substantial_reasons.label.text), form.not_substantial_reasons.data))
    answers.append(Answer("Reason (published)", form.reason.data or ""))
    if form.decision.data == "new_procurement" and form.closes_on.data:
        answers.append(Answer("Engagement closes on", uk_date(form.closes_on.data)))
    return _page(procurement, form, context, heading="record the modification decision",
                 consequence="The decision and its reason are published and the contract's modification register "
                             "is updated. It cannot be undone.",
                 answers=answers, confirm_label="Record the decision")
