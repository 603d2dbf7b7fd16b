"""What the tenders package gives "My work".

A commissioner sees, for the procurements their organisation owns: questions
to answer (with the time left before the answer cut-off), openings waiting for
a second commissioner, declarations of interest due, contacts to resolve,
co-design proposals to decide, notices due, standstills ending and proposals to
modify a contract. A provider sees open tenders, its draft and submitted responses, new
clarification answers, assessment summaries and the co-design threads it is in.

Each provider reuses the rule that already decides the thing (the answer
cut-off, the conflict gate, the missing-declarations check, the notice
calendar) over one bounded query of the organisation's live procurements.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from accounts import policy as accounts_policy
from accounts.models import User, Viewer
from core import clock
from core.extensions import db
from core.timezones import uk_date, uk_when
from core.urls import url_for_path
from core.worklist import WorkItem, provides
from forum.models import ForumCategory, ForumMembership
from tenders.models import Award, Clarification, Procurement, TenderResponse
from tenders.models.codesign import CodesignMessage, CodesignProposal, CodesignThread
from tenders.models.drafts import ResponseDraft
from tenders.models.ledger import Contact, Conversation
from tenders.models.spinoffs import SpinOffProposal
from tenders.services import conflicts, evaluation
from tenders.services.clarifications import answer_cutoff
from tenders.services.ledger import is_overdue
from tenders.services.notices import notices_for

LIMIT = 20
# The most procurements of one organisation the page looks at: the newest first.
PROCUREMENTS_LIMIT = 100
STANDSTILL_WARNING_DAYS = 10
RECENT_ANSWER_DAYS = 14


def _time_left(moment: datetime, now: datetime) -> str:
    """"2 days left", "5 hours left", or how long ago it passed."""
    delta = moment - now
    if delta.total_seconds() <= 0:
        return "the cut-off has passed: an answer now is recorded as late"
    if delta.days >= 1:
        return f"{delta.days} day{'s' if delta.days != 1 else ''} left before the cut-off"
    hours = max(1, int(delta.total_seconds() // 3600))
    return f"{hours} hour{'s' if hours != 1 else ''} left before the cut-off"


def _owned(user: User, stages: tuple[str, ...]) -> list[Procurement]:
    return list(db.session.scalars(select(Procurement).where(
        Procurement.owner_org_id == user.organisation_id, Procurement.stage.in_(stages))
        .order_by(Procurement.id.desc()).limit(PROCUREMENTS_LIMIT)))


def _with_procurement(model: Any, *conditions: Any, order: tuple[Any, ...]) -> Any:
    """Rows of `model` with the procurement each belongs to: one bounded join, in `order`."""
    return db.session.execute(select(model, Procurement).join(Procurement, Procurement.id == model.procurement_id)
                              .where(*conditions).order_by(*order).limit(LIMIT))


def _show(procurement: Procurement, anchor: str = "") -> str:
    return url_for_path("tenders.show", procurement_id=procurement.id) + anchor


# ---------------------------------------------------------------- commissioners


@provides
def questions_to_answer(user: Viewer) -> Iterator[WorkItem]:
    if not accounts_policy.is_commissioner(user):
        return
    now = clock.utcnow()
    rows = _with_procurement(Clarification, Procurement.owner_org_id == user.organisation_id,
                             Procurement.stage == "tender", Clarification.answered_at.is_(None),
                             order=(Procurement.response_deadline, Clarification.asked_at))
    for clarification, procurement in rows:
        cutoff = answer_cutoff(procurement)
        yield WorkItem("Questions to answer",
                       f"Answer question {clarification.pseudonym_number} on {procurement.reference}: "
                       f"{clarification.question[:90]}",
                       url_for_path("tenders.answer", procurement_id=procurement.id,
                                    clarification_id=clarification.id),
                       f"{_time_left(cutoff, now)} ({uk_when(cutoff)})", due=cutoff)


@provides
def openings_to_confirm(user: Viewer) -> Iterator[WorkItem]:
    """Past the deadline: waiting for a first request, or for a second commissioner (never the one who asked)."""
    if not accounts_policy.is_commissioner(user):
        return
    now = clock.utcnow()
    waiting = [p for p in _owned(user, ("tender",))
               if p.response_deadline is not None and now >= p.response_deadline]
    for procurement in waiting:
        url = url_for_path("tenders.open_responses", procurement_id=procurement.id)
        if procurement.open_requested_by_id == user.id:
            continue
        if procurement.open_requested_by_id is not None:
            if conflicts.is_conflicted(procurement, user, "confirm"):
                continue
            requester = db.session.get_one(User, procurement.open_requested_by_id)
            yield WorkItem("Openings waiting for a second commissioner",
                           f"Confirm the opening of the responses to {procurement.reference} {procurement.title}",
                           url, f"{requester.full_name} asked on "
                                f"{uk_when(procurement.open_requested_at)}", due=procurement.open_requested_at)
        elif not conflicts.is_conflicted(procurement, user, "open"):
            yield WorkItem("Openings waiting for a second commissioner",
                           f"Ask to open the responses to {procurement.reference} {procurement.title}",
                           url, f"The deadline passed on {uk_when(procurement.response_deadline)}",
                           due=procurement.response_deadline)


@provides
def declarations_due(user: Viewer) -> Iterator[WorkItem]:
    """Where I have acted but not yet declared at the current stage (the rule the publish check uses)."""
    if not accounts_policy.is_commissioner(user):
        return
    procurements = _owned(user, ("planning", "engagement", "tender", "evaluation", "award"))
    missing = conflicts.missing_declarations_for(procurements)
    for procurement in procurements:
        if any(person.id == user.id for person in missing.get(procurement.id, [])):
            yield WorkItem("Declarations of interest due",
                           f"Declare your interests in {procurement.reference} {procurement.title} "
                           f"at the {procurement.stage_label.lower()} stage",
                           url_for_path("tenders.conflicts_declarations", procurement_id=procurement.id))


@provides
def contacts_waiting(user: Viewer) -> Iterator[WorkItem]:
    if not accounts_policy.is_commissioner(user):
        return
    now = clock.utcnow()
    found = db.session.scalars(
        select(Contact).join(Conversation, Conversation.id == Contact.conversation_id)
        .where(Conversation.commissioner_org_id == user.organisation_id, Contact.resolution.is_(None))
        .options(joinedload(Contact.provider_org)).order_by(Contact.opened_at, Contact.id).limit(LIMIT))
    for contact in found:
        yield WorkItem("Contacts to resolve",
                       f"Disclose the contact with {contact.provider_org.name}, or record why it is not material",
                       url_for_path("tenders.ledger_contact", contact_id=contact.id),
                       ("Overdue: " if is_overdue(contact, now) else "") + f"opened {uk_when(contact.opened_at)}",
                       due=contact.opened_at)


@provides
def proposals_to_decide(user: Viewer) -> Iterator[WorkItem]:
    if not accounts_policy.is_commissioner(user):
        return
    rows = _with_procurement(CodesignProposal, Procurement.owner_org_id == user.organisation_id,
                             Procurement.stage == "engagement", CodesignProposal.decision.is_(None),
                             order=(CodesignProposal.proposed_at,))
    for proposal, procurement in rows:
        yield WorkItem("Co-design proposals to decide",
                       f"Decide the proposed change to “{proposal.section_heading}” in {procurement.reference}",
                       url_for_path("tenders.codesign_proposal", procurement_id=procurement.id,
                                    proposal_id=proposal.id),
                       f"Proposed {uk_when(proposal.proposed_at)}", due=proposal.proposed_at)


@provides
def notices_due(user: Viewer) -> Iterator[WorkItem]:
    """Engagement and tender notices not yet published, and the contract notices the calendar says are due."""
    if not accounts_policy.is_commissioner(user):
        return
    for procurement in _owned(user, ("planning",))[:LIMIT]:
        yield WorkItem("Notices due",
                       f"Publish the engagement notice or the tender notice for {procurement.reference} "
                       f"{procurement.title}", _show(procurement), "Still a draft: providers cannot see it yet")
    for procurement in _owned(user, ("engagement",))[:LIMIT]:
        yield WorkItem("Notices due", f"Publish the tender notice for {procurement.reference} {procurement.title}",
                       url_for_path("tenders.publish", procurement_id=procurement.id),
                       f"Engagement closes {uk_date(procurement.engagement_closes_on)}"
                       if procurement.engagement_closes_on else None)
    for procurement in _owned(user, ("evaluation",))[:LIMIT]:
        if evaluation.all_submitted(procurement):
            yield WorkItem("Notices due", f"Decide the award for {procurement.reference} and publish the contract "
                           "award notice (UK6)", url_for_path("tenders.award", procurement_id=procurement.id),
                           "Every evaluator has submitted their scores")
    today = clock.utcnow().date()
    for procurement in _owned(user, ("award", "contract"))[:LIMIT]:
        for notice in notices_for(procurement, today):
            if notice.state in ("due", "overdue"):
                name = f"{notice.form} {notice.label}".strip()
                due = datetime.combine(notice.due_on, datetime.min.time()) if notice.due_on else None
                yield WorkItem("Notices due", f"Publish the {name} for {procurement.reference}",
                               _show(procurement, "#notices"),
                               (("Overdue: it was due by " if notice.state == "overdue" else "Due by ")
                                + uk_date(notice.due_on)) if notice.due_on else notice.why, due=due)


@provides
def standstills_ending(user: Viewer) -> Iterator[WorkItem]:
    if not accounts_policy.is_commissioner(user):
        return
    today = clock.utcnow().date()
    rows = _with_procurement(Award, Procurement.owner_org_id == user.organisation_id, Procurement.stage == "award",
                             order=(Award.standstill_ends_on,))
    for award, procurement in rows:
        if award.standstill_ends_on is None or award.standstill_ends_on <= today:
            detail = "The standstill is over: you can enter the contract"
        elif award.standstill_ends_on - today <= timedelta(days=STANDSTILL_WARNING_DAYS):
            detail = f"The standstill ends at the end of {uk_date(award.standstill_ends_on)}"
        else:
            continue
        yield WorkItem("Standstills ending", f"Enter the contract for {procurement.reference} {procurement.title}",
                       url_for_path("tenders.contract", procurement_id=procurement.id), detail,
                       due=datetime.combine(award.standstill_ends_on, datetime.min.time())
                       if award.standstill_ends_on else None)


@provides
def modifications_to_decide(user: Viewer) -> Iterator[WorkItem]:
    if not accounts_policy.is_commissioner(user):
        return
    rows = _with_procurement(SpinOffProposal, Procurement.owner_org_id == user.organisation_id,
                             SpinOffProposal.status == "proposed", order=(SpinOffProposal.id,))
    for proposal, procurement in rows:
        yield WorkItem("Modification proposals", f"Decide “{proposal.title}” on {procurement.reference}",
                       url_for_path("tenders.spinoffs_decide", procurement_id=procurement.id,
                                    proposal_id=proposal.id))


# ---------------------------------------------------------------- providers


def _my_categories(user: User) -> Any:
    """The categories of the forums the person joined: the provider's declared interests."""
    return select(ForumCategory.category).join(ForumMembership, ForumMembership.forum_id == ForumCategory.forum_id) \
        .where(ForumMembership.user_id == user.id)


@provides
def open_tenders(user: Viewer) -> Iterator[WorkItem]:
    """Open tenders in the categories of my forums (every open tender while I have joined none)."""
    if not accounts_policy.is_provider(user):
        return
    now = clock.utcnow()
    query = select(Procurement).where(Procurement.stage == "tender", Procurement.response_deadline > now)
    has_categories = db.session.scalar(select(func.count()).select_from(_my_categories(user).subquery()))
    if has_categories:
        query = query.where(Procurement.category.in_(_my_categories(user)))
    answered = select(TenderResponse.procurement_id).where(TenderResponse.provider_org_id == user.organisation_id,
                                                           TenderResponse.status == "submitted")
    query = query.where(Procurement.id.not_in(answered))
    for procurement in db.session.scalars(query.order_by(Procurement.response_deadline).limit(LIMIT)):
        if procurement.response_deadline is None:  # the query reads tenders whose deadline is ahead only
            continue
        days = (procurement.response_deadline - now).days
        yield WorkItem("Open tenders in my categories" if has_categories else "Open tenders",
                       f"{procurement.reference} {procurement.title}", _show(procurement),
                       f"{days} day{'s' if days != 1 else ''} left: responses close "
                       f"{uk_when(procurement.response_deadline)}", due=procurement.response_deadline)


@provides
def my_responses(user: Viewer) -> Iterator[WorkItem]:
    """Submitted responses still in the tender stage (the receipt, and any change to re-confirm)."""
    if not accounts_policy.is_provider(user):
        return
    rows = _with_procurement(TenderResponse, TenderResponse.provider_org_id == user.organisation_id,
                             TenderResponse.status == "submitted", Procurement.stage == "tender",
                             order=(Procurement.response_deadline,))
    for response, procurement in rows:
        if response.needs_reconfirmation and response.reconfirmed_at is None:
            title = f"Re-confirm your response to {procurement.reference}: the specification changed"
            url = url_for_path("tenders.respond", procurement_id=procurement.id)
        else:
            title = f"Your submitted response to {procurement.reference} {procurement.title}"
            url = url_for_path("tenders.receipt", procurement_id=procurement.id, response_id=response.id)
        yield WorkItem("My responses", title, url, f"Submitted {uk_when(response.submitted_at)}; responses close "
                       f"{uk_when(procurement.response_deadline)}", due=procurement.response_deadline)


@provides
def my_drafts(user: Viewer) -> Iterator[WorkItem]:
    """Saved drafts on tenders still open: a draft is not a submission, so it waits here until it is sent."""
    if not accounts_policy.is_provider(user):
        return
    rows = _with_procurement(ResponseDraft, ResponseDraft.provider_org_id == user.organisation_id,
                             Procurement.stage == "tender", Procurement.response_deadline > clock.utcnow(),
                             order=(Procurement.response_deadline,))
    for draft, procurement in rows:
        yield WorkItem("My responses", f"Finish and submit your draft response to {procurement.reference} "
                       f"{procurement.title}", url_for_path("tenders.respond", procurement_id=procurement.id),
                       f"Draft saved {uk_when(draft.saved_at)}; not submitted. Responses close "
                       f"{uk_when(procurement.response_deadline)}", due=procurement.response_deadline)


@provides
def clarification_answers(user: Viewer) -> Iterator[WorkItem]:
    """Answers of the last two weeks on live tenders my organisation asked about or responded to."""
    if not accounts_policy.is_provider(user):
        return
    mine = select(Clarification.procurement_id).where(Clarification.asker_org_id == user.organisation_id).union(
        select(TenderResponse.procurement_id).where(TenderResponse.provider_org_id == user.organisation_id))
    since = clock.utcnow() - timedelta(days=RECENT_ANSWER_DAYS)
    rows = db.session.execute(
        select(Procurement.id, Procurement.reference, func.count(Clarification.id), func.max(Clarification.answered_at))
        .join(Clarification, Clarification.procurement_id == Procurement.id)
        .where(Procurement.stage == "tender", Procurement.id.in_(mine), Clarification.answered_at >= since)
        .group_by(Procurement.id, Procurement.reference).order_by(func.max(Clarification.answered_at).desc())
        .limit(LIMIT))
    for procurement_id, reference, count, latest in rows:
        yield WorkItem("Clarification answers", f"{count} new answer{'s' if count != 1 else ''} on {reference}",
                       url_for_path("tenders.clarifications_page", procurement_id=procurement_id),
                       f"Latest {uk_when(latest)}")


@provides
def assessment_summaries(user: Viewer) -> Iterator[WorkItem]:
    if not accounts_policy.is_provider(user):
        return
    rows = db.session.execute(
        select(Procurement, Award).join(Award, Award.procurement_id == Procurement.id)
        .join(TenderResponse, TenderResponse.procurement_id == Procurement.id)
        .where(TenderResponse.provider_org_id == user.organisation_id, TenderResponse.status == "submitted",
               Procurement.stage == "award")
        .order_by(Award.notice_published_at.desc()).limit(LIMIT))
    for procurement, award in rows:
        yield WorkItem("Assessment summaries", f"Read your assessment summary for {procurement.reference}",
                       url_for_path("tenders.assessment", procurement_id=procurement.id),
                       f"Award notice published {uk_when(award.notice_published_at)}"
                       + (f"; standstill ends {uk_date(award.standstill_ends_on)}" if award.standstill_ends_on
                          else ""))


@provides
def codesign_threads(user: Viewer) -> Iterator[WorkItem]:
    """Co-design threads I opened or wrote in, while their procurement is still in engagement."""
    if not (accounts_policy.is_provider(user) or accounts_policy.is_commissioner(user)):
        return
    wrote = select(CodesignMessage.thread_id).where(CodesignMessage.author_id == user.id)
    rows = _with_procurement(CodesignThread, Procurement.stage == "engagement",
                             (CodesignThread.opened_by_id == user.id) | CodesignThread.id.in_(wrote),
                             order=(CodesignThread.opened_at.desc(),))
    for thread, procurement in rows:
        yield WorkItem("Co-design threads I am in", f"{thread.title} ({procurement.reference})",
                       url_for_path("tenders.codesign_thread", procurement_id=procurement.id, thread_id=thread.id),
                       f"Engagement closes {uk_date(procurement.engagement_closes_on)}"
                       if procurement.engagement_closes_on else None)
