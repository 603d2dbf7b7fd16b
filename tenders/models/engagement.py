"""Preliminary market engagement: the events on the engagement notice (reg 17), some of them forum meetings."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import Model
from forum.models import Meeting
from tenders.models.procurements import Procurement


class EngagementEvent(Model):
    """A market engagement event: reg 17 asks for its date, time and place.

    An event can BE a forum meeting (`meeting_id`): then the meeting is the
    source of truth, so the notice shows the meeting's date, time and place and
    says so when the meeting is cancelled. The own columns keep what the
    meeting said when it was added (the audit payload records the same).
    """

    __tablename__ = "procurement_event"
    __table_args__ = (
        UniqueConstraint("procurement_id", "meeting_id", name="uq_procurement_event_procurement_meeting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("forum_meeting.id"), index=True)

    procurement: Mapped[Procurement] = relationship(back_populates="events")
    meeting: Mapped[Meeting | None] = relationship()

    @property
    def when(self) -> datetime:
        return self.meeting.starts_at if self.meeting is not None else self.starts_at

    @property
    def where(self) -> str:
        return meeting_place(self.meeting) if self.meeting is not None else self.place

    @property
    def is_cancelled(self) -> bool:
        return self.meeting is not None and self.meeting.is_cancelled

    @property
    def cancellation_reason(self) -> str | None:
        return self.meeting.cancellation_reason if self.meeting is not None else None


def meeting_place(meeting: Meeting) -> str:
    """Where a forum meeting happens, as a notice can say it (an online link is for registered people only)."""
    if meeting.mode == "online":
        return "Online (register on the forum meeting page to get the joining link)"
    return meeting.location or "To be confirmed on the forum meeting page"
