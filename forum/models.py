"""Provider forums: forums, threads, posts and their revisions, moderation,
need statements, meetings, attachments, watches and notifications.

Markdown is rendered to safe HTML once, when it is written (`*_html` columns),
so pages never render on read.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from accounts.models import Notification, Organisation, User  # noqa: F401  (Notification: forum code names it here)
from core.disclosure import suppress_count
from core.enums import one_of
from core.extensions import Model, db
from core.storage.models import StoredFile
from core.vocabulary import REGIONS, SERVICE_CATEGORIES  # noqa: F401  (forum code and its API name them here)

CATEGORIES = SERVICE_CATEGORIES  # one vocabulary with procurements


class ForumStatus(StrEnum):
    """An open forum takes posts; a closed or archived one is read only."""

    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class NeedStatus(StrEnum):
    """How far a published need statement has got."""

    OPEN = "open"
    BEING_ADDRESSED = "being_addressed"
    MET = "met"


class RegistrationStatus(StrEnum):
    """A place at a meeting, a place on its waiting list, or a registration withdrawn."""

    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"


FORUM_STATUSES: dict[str, str] = {
    ForumStatus.OPEN: "Open", ForumStatus.CLOSED: "Closed", ForumStatus.ARCHIVED: "Archived"}
NEED_STATUSES: dict[str, str] = {
    NeedStatus.OPEN: "Open", NeedStatus.BEING_ADDRESSED: "Being addressed", NeedStatus.MET: "Met"}
AGE_BANDS = {"0-4": "0 to 4", "5-10": "5 to 10", "11-15": "11 to 15", "16-17": "16 to 17", "18-25": "18 to 25"}
INTENSITIES = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}
# Where the council areas a need statement can name come from: the sufficiency package, which owns the list,
# registers a function here (a forum must not import it). Each returns (GSS code, name) pairs.
AREA_CHOICE_PROVIDERS: list = []


def register_area_choices(provider: object) -> None:
    """Called by the app factory with the sufficiency package's list of council areas."""
    if provider not in AREA_CHOICE_PROVIDERS:
        AREA_CHOICE_PROVIDERS.append(provider)


def area_choices() -> list[tuple[str, str]]:
    return [choice for provider in AREA_CHOICE_PROVIDERS for choice in provider()]


# When a need must be met by: supply is compared with everything needed by then.
HORIZONS = {"now": "Now", "12_months": "Within 12 months", "3_years": "Within 3 years"}
FREQUENCIES = {"occasional": "Occasional", "weekly": "Weekly", "daily": "Daily", "continuous": "Continuous (24/7)"}
NEED_CATEGORIES = {
    "emotional_wellbeing": "Emotional wellbeing and mental health",
    "behaviour": "Behaviour that challenges",
    "communication": "Communication and interaction",
    "cognition": "Cognition and learning",
    "sensory_physical": "Sensory and physical",
    "health": "Health and medical",
    "safety": "Risk and safety (exploitation, missing episodes)",
    "family": "Family relationships and contact",
    "independence": "Independence and preparation for adulthood",
}
MEETING_MODES = {"in_person": "In person", "online": "Online"}
WATCH_LEVELS = {"all": "All activity", "new_threads": "New threads only", "mute": "Mute"}
EMAIL_MODES = {"immediate": "Immediately", "daily": "Once a day (digest)", "none": "Never (in-app only)"}

forum_owner = Table(
    "forum_owner",
    db.metadata,
    Column("forum_id", ForeignKey("forum.id"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True),
)


class Forum(Model):
    """A standing, publicly advertised space owned by one or more commissioning organisations."""

    __tablename__ = "forum"
    __table_args__ = (one_of("status", ForumStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    remit_md: Mapped[str] = mapped_column(Text, default="")
    remit_html: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ForumStatus.OPEN, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    owners: Mapped[list[Organisation]] = relationship(secondary=forum_owner, order_by="Organisation.name")
    category_rows: Mapped[list[ForumCategory]] = relationship(
        cascade="all, delete-orphan", order_by="ForumCategory.category")

    @property
    def categories(self) -> list[str]:
        return [row.category for row in self.category_rows]

    @property
    def category_labels(self) -> list[str]:
        return [CATEGORIES[c] for c in self.categories if c in CATEGORIES]

    @property
    def is_open(self) -> bool:
        return self.status == ForumStatus.OPEN

    @property
    def status_label(self) -> str:
        return FORUM_STATUSES[self.status]


class ForumCategory(Model):
    __tablename__ = "forum_category"

    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ForumMembership(Model):
    """Joining needs no approval: the row exists from the provider's one click."""

    __tablename__ = "forum_membership"
    __table_args__ = (UniqueConstraint("forum_id", "user_id", name="uq_forum_membership_forum_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class Thread(Model):
    __tablename__ = "forum_thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    post_count: Mapped[int] = mapped_column(Integer, default=0)

    forum: Mapped[Forum] = relationship()
    author: Mapped[User] = relationship()
    posts: WriteOnlyMapped[Post] = relationship(back_populates="thread", order_by="Post.id")


class Post(Model):
    __tablename__ = "forum_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_thread.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    quoted_post_id: Mapped[int | None] = mapped_column(ForeignKey("forum_post.id"))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    revision_count: Mapped[int] = mapped_column(Integer, default=1)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    thread: Mapped[Thread] = relationship(back_populates="posts")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    quoted_post: Mapped[Post | None] = relationship(remote_side=[id])
    attachments: Mapped[list[Attachment]] = relationship(
        primaryjoin="Attachment.post_id == Post.id", order_by="Attachment.id", viewonly=True)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(Model):
    """Every version of a post, the first included, so any two can be diffed."""

    __tablename__ = "forum_post_revision"
    __table_args__ = (UniqueConstraint("post_id", "number", name="uq_forum_post_revision_post_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    body_md: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    editor: Mapped[User] = relationship()


class PostReport(Model):
    __tablename__ = "forum_post_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)

    post: Mapped[Post] = relationship()
    reporter: Mapped[User] = relationship()


class ModerationEntry(Model):
    """The forum's public moderation log (each entry is also an audit event)."""

    __tablename__ = "forum_moderation_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id"))
    action: Mapped[str] = mapped_column(String(40))  # reported | hidden
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    actor: Mapped[User] = relationship()
    post: Mapped[Post] = relationship()


class NeedStatement(Model):
    """A commissioner's anonymised description of local need; responses go in its own thread."""

    __tablename__ = "forum_need_statement"
    __table_args__ = (one_of("status", NeedStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_thread.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    cohort_size: Mapped[int] = mapped_column(Integer)
    age_bands: Mapped[str] = mapped_column(String(100))  # comma-separated AGE_BANDS keys
    current_provision_md: Mapped[str] = mapped_column(Text)
    current_provision_html: Mapped[str] = mapped_column(Text)
    gaps_md: Mapped[str] = mapped_column(Text)
    gaps_html: Mapped[str] = mapped_column(Text)
    outcomes_md: Mapped[str] = mapped_column(Text)
    outcomes_html: Mapped[str] = mapped_column(Text)
    budget_min: Mapped[int | None] = mapped_column(Integer)
    budget_max: Mapped[int | None] = mapped_column(Integer)
    timescale: Mapped[str] = mapped_column(String(200))
    # The council area (GSS code) the need is in, and by when it must be met; None on statements written
    # before areas were asked for (they are left out of the gap analysis until an owner adds them).
    area_code: Mapped[str | None] = mapped_column(String(12), index=True)
    horizon: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=NeedStatus.OPEN, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    forum: Mapped[Forum] = relationship()
    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship()
    items: Mapped[list[NeedItem]] = relationship(cascade="all, delete-orphan", order_by="NeedItem.id")

    @property
    def cohort_label(self) -> str:
        """The cohort as published: under 5 reads "fewer than 5", like every count of children."""
        return f"{suppress_count(self.cohort_size).label} children and young people"

    @property
    def age_band_labels(self) -> list[str]:
        return [AGE_BANDS[b] for b in self.age_bands.split(",") if b in AGE_BANDS]

    @property
    def status_label(self) -> str:
        return NEED_STATUSES[self.status]

    @property
    def horizon_label(self) -> str:
        return HORIZONS.get(self.horizon or "", "Not given")

    @property
    def area_name(self) -> str:
        return dict(area_choices()).get(self.area_code or "", self.area_code or "Not given")


class NeedItem(Model):
    """One need by category, with its intensity and frequency (seed 004's specificity)."""

    __tablename__ = "forum_need_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_statement_id: Mapped[int] = mapped_column(ForeignKey("forum_need_statement.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    intensity: Mapped[str] = mapped_column(String(20))
    frequency: Mapped[str] = mapped_column(String(20))
    # How many children have this need: a count only, never who they are.
    children: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @property
    def children_label(self) -> str:
        """How many children, as published: under 5 reads "fewer than 5", so no child stands out."""
        figure = suppress_count(self.children)
        return f"{figure.label} children"

    @property
    def label(self) -> str:
        return (f"{NEED_CATEGORIES.get(self.category, self.category)}: "
                f"{INTENSITIES.get(self.intensity, self.intensity).lower()} intensity, "
                f"{FREQUENCIES.get(self.frequency, self.frequency).lower()}")


class Meeting(Model):
    __tablename__ = "forum_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # naive UTC
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    mode: Mapped[str] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(300))
    online_link: Mapped[str | None] = mapped_column(String(500))
    agenda_md: Mapped[str] = mapped_column(Text)
    agenda_html: Mapped[str] = mapped_column(Text)
    capacity: Mapped[int] = mapped_column(Integer)
    minutes_md: Mapped[str | None] = mapped_column(Text)
    minutes_html: Mapped[str | None] = mapped_column(Text)
    minutes_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    forum: Mapped[Forum] = relationship()
    registrations: Mapped[list[MeetingRegistration]] = relationship(
        order_by="MeetingRegistration.id", viewonly=True)
    documents: Mapped[list[Attachment]] = relationship(
        primaryjoin="Attachment.meeting_id == Meeting.id", order_by="Attachment.id", viewonly=True)

    @property
    def mode_label(self) -> str:
        return MEETING_MODES[self.mode]

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class MeetingRegistration(Model):
    __tablename__ = "forum_meeting_registration"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_forum_meeting_registration_meeting_user"),
                      one_of("status", RegistrationStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("forum_meeting.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean)

    user: Mapped[User] = relationship()


class Attachment(Model):
    """A file attached to a post or meeting; its bytes are in core.storage (the database by default)."""

    __tablename__ = "forum_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("forum_post.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("forum_meeting.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))  # pdf | docx | xlsx | odt | csv
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    file: Mapped[StoredFile] = relationship()


class Watch(Model):
    """How closely a member follows a forum or one thread."""

    __tablename__ = "forum_watch"
    __table_args__ = (
        UniqueConstraint("user_id", "forum_id", "thread_id", name="uq_forum_watch_user_forum_thread"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forum.id"), index=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("forum_thread.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))


class NotificationSetting(Model):
    __tablename__ = "forum_notification_setting"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(20), default="immediate")
