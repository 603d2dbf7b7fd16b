"""The quiet period in forums (the quiet period): commissioners' posts may not link a live tender."""
import pytest
from sqlalchemy import select

from core.errors import RuleViolation
from core.extensions import db
from forum import services as forum_services
from forum.models import Post, Thread
from tenders.services import conflicts
from tests.unit.tenders.builders import forum_of, in_engagement, in_tender, opened
from trail.models import AuditEvent


def _quiet_refusals(p) -> list[AuditEvent]:
    return [e for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused",
                                                                   AuditEvent.procurement_id == p.id))
            if "quiet period" in e.summary]


def test_linked_procurements_finds_urls_and_references(db, world):
    p = in_engagement(world)
    assert conflicts.linked_procurements(f"see https://x.example/tenders/{p.id}/documents") == [p]
    assert conflicts.linked_procurements(f"about {p.reference.lower()} please") == [p]
    assert conflicts.linked_procurements(f"/tenders/{p.id}0 and CC-1999-99999") == []


@pytest.mark.parametrize("how", ["url", "reference"])
def test_a_commissioner_cannot_start_a_thread_linking_a_live_tender(db, world, how):
    p = in_tender(world)
    forum = forum_of(world.c1)
    body = f"Come and talk about /tenders/{p.id} on Tuesday" if how == "url" else f"Questions on {p.reference}?"
    with pytest.raises(RuleViolation) as exc:
        forum_services.start_thread(forum, world.c1, "Next week", body)
    assert f"/tenders/{p.id}/clarifications" in exc.value.reasons["body"]
    assert db.session.scalars(select(Thread).where(Thread.forum_id == forum.id)).all() == []
    assert _quiet_refusals(p)


def test_a_link_in_the_title_is_refused_on_the_title(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation) as exc:
        forum_services.start_thread(forum_of(world.c1), world.c1, f"About {p.reference}", "Let us talk")
    assert "title" in exc.value.reasons


def test_replies_and_edits_by_commissioners_are_held_to_the_quiet_period(db, world):
    p = in_tender(world)
    forum = forum_of(world.c1)
    thread = forum_services.start_thread(forum, world.c1, "Market update", "Nothing to link here")
    with pytest.raises(RuleViolation):
        forum_services.reply(thread, world.c1, f"See /tenders/{p.id}")
    thread_post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    with pytest.raises(RuleViolation):
        forum_services.edit_post(thread_post, world.c1, f"Edited to mention {p.reference}")
    assert thread_post.body_md == "Nothing to link here"
    assert len(_quiet_refusals(p)) == 2


def test_providers_posts_are_not_blocked(db, world):
    p = in_tender(world)
    forum = forum_of(world.c1)
    forum_services.join_forum(forum, world.p1)
    thread = forum_services.start_thread(forum, world.p1, "Bidding", f"Is anyone bidding for {p.reference}?")
    assert thread.id is not None and _quiet_refusals(p) == []


def test_outside_the_tender_stage_a_commissioner_may_link_the_procurement(db, world):
    engagement = in_engagement(world)
    forum = forum_of(world.c1)
    forum_services.start_thread(forum, world.c1, "Engagement", f"Tell us what you think: /tenders/{engagement.id}")
    evaluating = opened(world)
    forum_services.start_thread(forum, world.c1, "Evaluation", f"{evaluating.reference} is being evaluated")
    assert _quiet_refusals(engagement) == [] and _quiet_refusals(evaluating) == []
