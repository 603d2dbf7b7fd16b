"""Who may do what in a forum, as plain predicates.

Views call them to allow or refuse, services call them again before changing
anything, and templates get them as flags: one rule, written once, here.
Forums are public: anyone, signed in or not, may read everything except an
online meeting's joining link.
"""
from __future__ import annotations

from typing import Any

from accounts.models import Viewer
from accounts.policy import is_admin, is_commissioner, is_provider
from forum.models import Forum, Meeting, MeetingRegistration, Post, RegistrationStatus


def owner_organisation_ids(forum: Forum) -> set[int]:
    """The owning organisations, and the councils of any owning consortium.

    A regional consortium is several councils acting together, so each member
    council's commissioners run the consortium's forums too.
    """
    ids: set[int] = set()
    for org in forum.owners:
        ids.add(org.id)
        if org.kind == "consortium":
            ids.update(member.id for member in org.consortium_members)
    return ids


def is_forum_owner(user: Viewer, forum: Forum) -> bool:
    return is_commissioner(user) and user.organisation_id in owner_organisation_ids(forum)


def can_create_forum(user: Viewer) -> bool:
    return is_commissioner(user)


def can_manage_forum(user: Viewer, forum: Forum) -> bool:
    """Edit, close, reopen or archive; schedule meetings; publish need statements."""
    return is_forum_owner(user, forum)


def can_join(user: Viewer, forum: Forum, is_member: bool) -> bool:
    """One click, no approval: any provider (in-house units included) or commissioner."""
    return forum.is_open and not is_member and (is_provider(user) or is_commissioner(user)) \
        and not is_forum_owner(user, forum)


def can_participate(user: Viewer, forum: Forum, is_member: bool) -> bool:
    """Post, report, watch, register for meetings: members and owners."""
    return (is_member and (is_provider(user) or is_commissioner(user))) or is_forum_owner(user, forum)


def can_post(user: Viewer, forum: Forum, is_member: bool) -> bool:
    return forum.is_open and can_participate(user, forum, is_member)


def can_edit_post(user: Viewer, post: Post) -> bool:
    """Authors edit their own visible posts while the forum is open; every edit is kept."""
    return (getattr(user, "is_authenticated", False) and post.author_id == user.id and not post.is_hidden
            and post.thread.forum.is_open and (is_provider(user) or is_commissioner(user)))


def can_report(user: Viewer, forum: Forum, is_member: bool) -> bool:
    return can_participate(user, forum, is_member)


def can_moderate(user: Viewer, forum: Forum) -> bool:
    return is_forum_owner(user, forum) or is_admin(user)


def can_register(user: Viewer, meeting: Meeting, is_member: bool, now: Any) -> bool:
    return (meeting.forum.is_open and not meeting.is_cancelled and meeting.starts_at > now
            and can_participate(user, meeting.forum, is_member))


def can_see_online_link(user: Viewer, meeting: Meeting, registration: MeetingRegistration | None) -> bool:
    """The link is for registered attendees (and the owners who run the meeting)."""
    if meeting.mode != "online" or meeting.is_cancelled:
        return False
    if is_forum_owner(user, meeting.forum):
        return True
    return registration is not None and registration.status == RegistrationStatus.REGISTERED


def can_use_notifications(user: Viewer) -> bool:
    return bool(getattr(user, "is_authenticated", False))
