"""Need statements: anonymised needs a forum's owners publish, each with a thread for providers' responses."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import trail
from accounts.models import User
from core.clock import utcnow
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from forum import policy, search
from forum.models import (
    AGE_BANDS,
    FREQUENCIES,
    HORIZONS,
    INTENSITIES,
    NEED_CATEGORIES,
    NEED_STATUSES,
    Forum,
    NeedItem,
    NeedStatement,
    Thread,
)
from forum.services._common import MAX_POST_CHARS, MAX_TITLE_CHARS, audit_child_data_confirmation, refuse
from forum.services.notifications import ensure_watch, notify, watchers_of_forum

GSS_CODE = re.compile(r"[EW]\d{8}")


@dataclass
class NeedDetails:
    title: str
    cohort_size: int | None
    age_bands: list[str]
    items: list[tuple[str, str, str]]  # (category, intensity, frequency)
    current_provision_md: str
    gaps_md: str
    outcomes_md: str
    budget_min: int | None
    budget_max: int | None
    timescale: str
    status: str = "open"
    area_code: str | None = None  # a GSS code: counted in the sufficiency analysis when given with a horizon
    horizon: str | None = None
    children: list[int] | None = None  # how many children have each need, in the order of `items`; 1 each if None


def _validate_need(details: NeedDetails) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = " ".join((details.title or "").split())
    if not title:
        errors["title"] = "Enter a title for the need statement"
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = f"The title must be {MAX_TITLE_CHARS} characters or fewer"
    if details.cohort_size is None or details.cohort_size < 1:
        errors["cohort_size"] = "Enter how many children and young people, as a whole number of 1 or more"
    if not details.age_bands or any(b not in AGE_BANDS for b in details.age_bands):
        errors["age_bands"] = "Select at least one age band"
    if not details.items:
        errors["items"] = "Describe at least one need, with its intensity and frequency"
    for category, intensity, frequency in details.items:
        if category not in NEED_CATEGORIES or intensity not in INTENSITIES or frequency not in FREQUENCIES:
            errors["items"] = "For each need, select a category, an intensity and a frequency"
    texts = {"current_provision": details.current_provision_md, "gaps": details.gaps_md,
             "outcomes": details.outcomes_md}
    labels = {"current_provision": "Describe current provision", "gaps": "Describe the gaps",
              "outcomes": "Describe the outcomes sought"}
    for name, value in texts.items():
        if not (value or "").strip():
            errors[name] = labels[name]
        elif len(value) > MAX_POST_CHARS:
            errors[name] = f"This must be {MAX_POST_CHARS:,} characters or fewer"
    if details.budget_min is not None and details.budget_min < 0:
        errors["budget_min"] = "The budget cannot be negative"
    if details.budget_min is not None and details.budget_max is not None and details.budget_max < details.budget_min:
        errors["budget_max"] = "The top of the budget range must be at least the bottom"
    if not (details.timescale or "").strip():
        errors["timescale"] = "Enter the timescale, for example “services needed from April 2027”"
    if details.status not in NEED_STATUSES:
        errors["status"] = "Select the status of the need"
    if details.area_code and not GSS_CODE.fullmatch(details.area_code):
        errors["area_code"] = "Select the council area from the list"
    if details.horizon is not None and details.horizon not in HORIZONS:
        errors["horizon"] = "Select when the need must be met"
    if details.children is not None and (len(details.children) != len(details.items)
                                         or any(not 1 <= n <= 100_000 for n in details.children)):
        errors["items"] = "For each need, enter the number of children, from 1 to 100,000"
    if errors:
        raise RuleViolation(errors)
    return {"title": title}


def _apply_need(need: NeedStatement, details: NeedDetails, title: str) -> None:
    need.title = title
    need.cohort_size = details.cohort_size or 0
    need.age_bands = ",".join(b for b in AGE_BANDS if b in details.age_bands)
    need.current_provision_md = details.current_provision_md.strip()
    need.current_provision_html = render_markdown(need.current_provision_md)
    need.gaps_md = details.gaps_md.strip()
    need.gaps_html = render_markdown(need.gaps_md)
    need.outcomes_md = details.outcomes_md.strip()
    need.outcomes_html = render_markdown(need.outcomes_md)
    need.budget_min, need.budget_max = details.budget_min, details.budget_max
    need.timescale = details.timescale.strip()[:200]
    need.status = details.status
    need.area_code, need.horizon = details.area_code or None, details.horizon
    children = details.children or [1] * len(details.items)
    need.items = [NeedItem(category=c, intensity=i, frequency=f, children=n)
                  for (c, i, f), n in zip(details.items, children)]
    need.updated_at = utcnow()


def _need_payload(need: NeedStatement) -> dict[str, Any]:
    return {"title": need.title, "cohort_size": need.cohort_size, "age_bands": need.age_bands,
            "items": [[i.category, i.intensity, i.frequency, i.children] for i in need.items],
            "area_code": need.area_code, "horizon": need.horizon,
            "budget_min": need.budget_min, "budget_max": need.budget_max, "timescale": need.timescale,
            "status": need.status}


def _index_need(need: NeedStatement) -> None:
    body = " ".join([search.plain_text(need.current_provision_html), search.plain_text(need.gaps_html),
                     search.plain_text(need.outcomes_html), " ".join(i.label for i in need.items)])
    search.index("need", need.id, need.forum_id, need.title, body)


def publish_need(forum: Forum, actor: User, details: NeedDetails,
                 confirmed_no_child_data: bool = False) -> NeedStatement:
    """Publish an anonymised need statement with its own thread for providers' responses."""
    if not policy.can_manage_forum(actor, forum):
        raise refuse(actor, "forum.need_publish", "Only the forum’s owners can publish need statements")
    if not forum.is_open:
        raise RuleViolation(f"This forum is {forum.status_label.lower()}: it takes no new need statements")
    title = _validate_need(details)["title"]
    kinds = check_child_data("gaps", [title, details.current_provision_md, details.gaps_md, details.outcomes_md,
                                       details.timescale], confirmed_no_child_data)
    now = utcnow()
    thread = Thread(forum_id=forum.id, title=f"Responses: {title}"[:MAX_TITLE_CHARS], author_id=actor.id,
                    created_at=now, last_activity_at=now, post_count=0)
    db.session.add(thread)
    db.session.flush()
    need = NeedStatement(forum_id=forum.id, thread_id=thread.id, author_id=actor.id, created_at=now)
    _apply_need(need, details, title)
    db.session.add(need)
    forum.updated_at = now
    db.session.flush()
    _index_need(need)
    trail.record("forum.need_published", actor=actor, subject=need, audience="public",
                 summary=f"Need statement “{title}” published in “{forum.title}”", payload=_need_payload(need))
    audit_child_data_confirmation(kinds, actor, need, "a need statement")
    ensure_watch(actor, thread=thread)
    watchers = [u for u in watchers_of_forum(forum, ("all", "new_threads")) if u.id != actor.id]
    notify(watchers, f"New need statement in {forum.title}: {title}", "forum.need", need_id=need.id)
    return need


def update_need(need: NeedStatement, actor: User, details: NeedDetails,
                confirmed_no_child_data: bool = False) -> NeedStatement:
    if not policy.can_manage_forum(actor, need.forum):
        raise refuse(actor, "forum.need_update", "Only the forum’s owners can change need statements")
    title = _validate_need(details)["title"]
    kinds = check_child_data("gaps", [title, details.current_provision_md, details.gaps_md, details.outcomes_md,
                                       details.timescale], confirmed_no_child_data)
    before = _need_payload(need)
    _apply_need(need, details, title)
    db.session.flush()
    _index_need(need)
    trail.record("forum.need_updated", actor=actor, subject=need, audience="public",
                 summary=f"Need statement “{title}” updated (status: {need.status_label.lower()})",
                 payload={"before": before, "after": _need_payload(need)})
    audit_child_data_confirmation(kinds, actor, need, "a need statement")
    return need
