"""Forums and their members: opening, changing, closing and reopening a forum; joining and leaving it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

import trail
from accounts.models import COMMISSIONING_KINDS, Organisation, User
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from forum import policy, search
from forum.models import CATEGORIES, FORUM_STATUSES, REGIONS, Forum, ForumCategory, ForumMembership, ForumStatus
from forum.queries import is_member
from forum.services._common import MAX_POST_CHARS, audit_child_data_confirmation, clean_title, refuse
from forum.services.notifications import ensure_watch, find_watch


@dataclass
class ForumDetails:
    title: str
    remit_md: str
    region: str
    categories: list[str]
    co_owner_ids: list[int] = field(default_factory=list)


def _slugify(title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80].strip("-") or "forum"
    slug, n = base, 2
    while db.session.scalar(select(Forum.id).where(Forum.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate_forum(details: ForumDetails) -> tuple[str, str]:
    title = clean_title(details.title, what="the forum’s name")
    remit = (details.remit_md or "").strip()
    if not remit:
        raise RuleViolation({"remit": "Describe the forum’s remit: what it is for and who should join"})
    if len(remit) > MAX_POST_CHARS:
        raise RuleViolation({"remit": f"The remit must be {MAX_POST_CHARS:,} characters or fewer"})
    if details.region not in REGIONS:
        raise RuleViolation({"region": "Select the region the forum covers"})
    if not details.categories or any(c not in CATEGORIES for c in details.categories):
        raise RuleViolation({"categories": "Select at least one service category"})
    return title, remit


def _with_co_owners(owners: list[Organisation], ids: list[int]) -> list[Organisation]:
    """The owners so far plus the chosen co-owners, which must be commissioning organisations."""
    owners = list(owners)
    for org_id in ids:
        org = db.session.get(Organisation, org_id)
        if org is None or org.kind not in COMMISSIONING_KINDS:
            raise RuleViolation({"co_owners": "Co-owners must be commissioning organisations"})
        if org not in owners:
            owners.append(org)
    return owners


def create_forum(actor: User, details: ForumDetails, confirmed_no_child_data: bool = False) -> Forum:
    """A commissioner opens a forum owned by their organisation and any co-owning councils."""
    if not policy.can_create_forum(actor):
        raise refuse(actor, "forum.create", "Only commissioners can create forums")
    title, remit = _validate_forum(details)
    owners = _with_co_owners([actor.organisation], details.co_owner_ids)
    kinds = check_child_data("remit", [title, remit], confirmed_no_child_data)
    now = utcnow()
    forum = Forum(
        slug=_slugify(title),
        title=title,
        remit_md=remit,
        remit_html=render_markdown(remit),
        region=details.region,
        status=ForumStatus.OPEN,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    forum.owners = owners
    forum.category_rows = [ForumCategory(category=c) for c in dict.fromkeys(details.categories)]
    db.session.add(forum)
    db.session.flush()
    search.index("forum", forum.id, forum.id, forum.title, search.plain_text(forum.remit_html))
    trail.record("forum.created", actor=actor, subject=forum, audience="public",
                 summary=f"Forum “{title}” opened by {', '.join(o.name for o in owners)}",
                 payload={"slug": forum.slug, "title": title, "region": forum.region,
                          "categories": forum.categories, "owner_ids": [o.id for o in owners]})
    audit_child_data_confirmation(kinds, actor, forum, "the forum’s remit")
    return forum


def update_forum(forum: Forum, actor: User, details: ForumDetails, confirmed_no_child_data: bool = False) -> Forum:
    if not policy.can_manage_forum(actor, forum):
        raise refuse(actor, "forum.update", "Only the forum’s owners can change it")
    title, remit = _validate_forum(details)
    # Co-owners can be added but never dropped by one council on its own.
    owners = _with_co_owners(forum.owners, details.co_owner_ids)
    kinds = check_child_data("remit", [title, remit], confirmed_no_child_data)
    before = {"title": forum.title, "region": forum.region, "categories": forum.categories,
              "owner_ids": sorted(o.id for o in forum.owners)}
    forum.title, forum.remit_md, forum.remit_html = title, remit, render_markdown(remit)
    forum.region = details.region
    forum.owners = owners
    wanted = list(dict.fromkeys(details.categories))
    forum.category_rows = [row for row in forum.category_rows if row.category in wanted]
    forum.category_rows.extend(ForumCategory(category=c) for c in wanted if c not in forum.categories)
    forum.updated_at = utcnow()
    db.session.flush()
    search.index("forum", forum.id, forum.id, forum.title, search.plain_text(forum.remit_html))
    trail.record("forum.updated", actor=actor, subject=forum, audience="public",
                 summary=f"Forum “{title}” updated",
                 payload={"before": before, "after": {"title": title, "region": forum.region,
                                                      "categories": forum.categories,
                                                      "owner_ids": sorted(o.id for o in owners)}})
    audit_child_data_confirmation(kinds, actor, forum, "the forum’s remit")
    return forum


def set_forum_status(forum: Forum, actor: User, status: str) -> Forum:
    """Close (no new posts or registrations), archive, or reopen a forum. Everything stays readable."""
    if not policy.can_manage_forum(actor, forum):
        raise refuse(actor, "forum.status", "Only the forum’s owners can close or reopen it")
    if status not in FORUM_STATUSES:
        raise RuleViolation({"status": "Select open, closed or archived"})
    if status == forum.status:
        raise RuleViolation({"status": f"The forum is already {FORUM_STATUSES[status].lower()}"})
    previous = forum.status
    forum.status = status
    forum.updated_at = utcnow()
    db.session.flush()
    action = {"open": "forum.reopened", "closed": "forum.closed", "archived": "forum.archived"}[status]
    trail.record(action,
                 actor=actor, subject=forum, audience="public",
                 summary=f"Forum “{forum.title}” is now {FORUM_STATUSES[status].lower()}",
                 payload={"from": previous, "to": status})
    return forum


def join_forum(forum: Forum, actor: User) -> ForumMembership:
    """One click, no approval: the forum is open to every provider."""
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("Sign in to join the forum")
    member = is_member(actor, forum)
    if member:
        raise RuleViolation("You are already a member of this forum")
    if not forum.is_open:
        raise RuleViolation("This forum is closed: it no longer takes new members")
    if not policy.can_join(actor, forum, member):
        raise refuse(actor, "forum.join", "Only provider and commissioner accounts can join forums")
    membership = ForumMembership(forum_id=forum.id, user_id=actor.id, joined_at=utcnow())
    db.session.add(membership)
    db.session.flush()
    ensure_watch(actor, forum=forum, level="new_threads")
    trail.record("forum.joined", actor=actor, subject=forum, audience="public",
                 summary=f"{actor.organisation.name} joined “{forum.title}”",
                 payload={"user_id": actor.id, "organisation_id": actor.organisation_id})
    return membership


def leave_forum(forum: Forum, actor: User) -> None:
    membership = db.session.scalar(select(ForumMembership).where(
        ForumMembership.forum_id == forum.id, ForumMembership.user_id == actor.id))
    if membership is None:
        raise RuleViolation("You are not a member of this forum")
    db.session.delete(membership)
    watch = find_watch(actor, forum=forum)
    if watch is not None:
        db.session.delete(watch)
    db.session.flush()
    trail.record("forum.left", actor=actor, subject=forum, audience="public",
                 summary=f"{actor.organisation.name} left “{forum.title}”", payload={"user_id": actor.id})
