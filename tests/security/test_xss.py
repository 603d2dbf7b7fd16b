"""Every field a person can type into, filled with XSS payloads, rendered back and parsed.

For each field family the corpus (tests/security/xss_payloads.py) goes in through
the real services, the pages that show the text are fetched over HTTP, and the
HTML is parsed: no script, no event handler, no javascript:/data:/vbscript: URL,
no frame/object/embed/svg; and the text is still there for people to read.
Plain-text fields must show the payload exactly (escaped); Markdown fields must
keep their marker visible.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import Auth
from tests.security.html_safety import collapse, inspect
from tests.security.xss_payloads import PAYLOADS

CASES = list(enumerate(PAYLOADS))


def marker(i: int) -> str:
    return f"XSS{i:03d}Z"


def plain(i: int, payload: str) -> str:
    return f"{marker(i)} {payload}"


def markdown(i: int, payload: str) -> str:
    return f"Marker {marker(i)}\n\n{payload}"


class Pages:
    """Fetches pages and collects every problem, so one run reports them all."""

    def __init__(self, client):
        self.client = client
        self.problems: list[str] = []
        self.fetched = 0

    def check(self, url: str, *, exact: list[str] = (), markers: list[str] = ()) -> None:
        response = self.client.get(url)
        self.fetched += 1
        if response.status_code != 200:
            self.problems.append(f"{url}: status {response.status_code}")
            return
        problems, text = inspect(response.get_data(as_text=True))
        self.problems += [f"{url}: {p}" for p in problems]
        for expected in exact:
            if collapse(expected) not in text:
                self.problems.append(f"{url}: text not shown as typed: {expected!r}")
        for expected in markers:
            if expected not in text:
                self.problems.append(f"{url}: marker {expected} not visible")

    def assert_clean(self) -> None:
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems[:40])


def _signed_in(app, user):
    client = app.test_client()
    assert Auth(client).sign_in(user).status_code == 302
    return client


def test_checker_catches_live_markup():
    """The parser used below does see what it must refuse (so these tests can fail)."""
    for bad in ('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href=" JaVa\tscript:x">',
                '<svg></svg>', '<iframe></iframe>', '<a href="data:text/html,x">', '<p style="x">',
                '<object></object>', '<embed>', '<a href="vbscript:x">'):
        problems, _ = inspect(f"<main>{bad}</main>")
        assert problems, bad
    problems, text = inspect("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert not problems and "<script>alert(1)</script>" in text


def test_markdown_renderer_neutralises_every_payload():
    from core.markdown import render_markdown

    for i, payload in CASES:
        problems, text = inspect(render_markdown(markdown(i, payload)))
        assert not problems, (payload, problems)
        assert marker(i) in text


def test_forum_fields_render_payloads_as_text(app, db, people):
    """Forum names and remits, thread titles, posts, edits, reports, hiding reasons,
    need statements, meetings (title, place, joining link, agenda, minutes, cancellation reasons)."""
    from core.clock import utcnow
    from forum import services as forum
    from forum.models import Post

    owner, member = people["owning_commissioner"], people["provider_a"]
    owner_pages, public_pages = Pages(_signed_in(app, owner)), Pages(app.test_client())
    member_pages = Pages(_signed_in(app, member))
    for i, payload in CASES:
        text, md = plain(i, payload), markdown(i, payload)
        place = forum.create_forum(owner, forum.ForumDetails(title=text, remit_md=md, region="North West",
                                                             categories=["fostering"]), confirmed_no_child_data=True)
        forum.join_forum(place, member)
        thread = forum.start_thread(place, member, text, md, confirmed_no_child_data=True)
        first = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
        forum.edit_post(first, member, md + "\n\nedited", confirmed_no_child_data=True)
        answer = forum.reply(thread, owner, md, quoted_post=first, confirmed_no_child_data=True)
        forum.report_post(first, owner, text)
        forum.hide_post(answer, owner, text)
        need = forum.publish_need(place, owner, forum.NeedDetails(
            title=text, cohort_size=3, age_bands=["11-15"], items=[("safety", "high", "daily")],
            current_provision_md=md, gaps_md=md, outcomes_md=md, budget_min=None, budget_max=None,
            timescale=text), confirmed_no_child_data=True)
        starts = utcnow() + timedelta(days=3)
        meeting = forum.schedule_meeting(place, owner, forum.MeetingDetails(
            title=text, starts_at=starts, ends_at=starts + timedelta(hours=1), mode="in_person", location=text,
            online_link="", agenda_md=md, capacity=5), confirmed_no_child_data=True)
        online = forum.schedule_meeting(place, owner, forum.MeetingDetails(
            title=text, starts_at=starts, ends_at=starts + timedelta(hours=1), mode="online", location="",
            online_link="https://ok.example/" + "".join(payload.split()), agenda_md=md, capacity=5),
            confirmed_no_child_data=True)
        forum.register_for_meeting(online, member)
        forum.cancel_meeting(meeting, owner, text)
        meeting.starts_at = utcnow() - timedelta(hours=2)  # it took place: minutes can now be published
        past = forum.schedule_meeting(place, owner, forum.MeetingDetails(
            title=text, starts_at=starts, ends_at=starts + timedelta(hours=1), mode="in_person", location="Hall",
            online_link="", agenda_md="Agenda", capacity=5), confirmed_no_child_data=True)
        past.starts_at, past.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=2)
        db.session.flush()
        forum.publish_minutes(past, owner, md, confirmed_no_child_data=True)

        m = marker(i)
        public_pages.check(f"/forums/{place.slug}", exact=[text], markers=[m])
        public_pages.check(f"/forums/{place.slug}/threads/{thread.id}", exact=[text], markers=[m])
        public_pages.check(f"/forums/{place.slug}/threads/{need.thread_id}", exact=[text], markers=[m])
        public_pages.check(f"/posts/{first.id}/revisions", markers=[m])
        public_pages.check(f"/forums/{place.slug}/moderation", exact=[text])
        public_pages.check(f"/meetings/{meeting.id}", exact=[text], markers=[m])
        public_pages.check(f"/meetings/{past.id}", exact=[text], markers=[m])
        member_pages.check(f"/meetings/{online.id}", exact=[text], markers=[m])
        owner_pages.check(f"/forums/{place.slug}/reports", exact=[text])
        owner_pages.check(f"/posts/{first.id}/hide", markers=[m])
    public_pages.check("/forums")
    public_pages.check("/needs")
    public_pages.check(f"/search?q={marker(0)}")
    member_pages.check("/notifications")
    owner_pages.check("/notifications")
    for pages in (public_pages, member_pages, owner_pages):
        pages.assert_clean()


@pytest.fixture
def frozen_clock():
    from core import clock

    yield clock.set_now
    clock.set_now(None)


def test_tender_drafting_fields_render_payloads_as_text(app, db, org_factory, user_factory, frozen_clock):
    """Title, region, subject-matter, review clauses, specification, outcomes, version notes,
    engagement events and document titles, on the owner's pages."""
    from tenders.services import procurements, specification
    from tenders.services.procurements import Details
    from tenders.services.specification import OutcomeInput
    from tests.unit.tenders.builders import T0, make_world

    world = make_world(org_factory, user_factory)
    now = T0 - timedelta(days=30)
    frozen_clock(now)
    owner = Pages(_signed_in(app, world.c1))
    for i, payload in CASES:
        text, md = plain(i, payload), markdown(i, payload)
        p = procurements.create_procurement(world.c1, title=text, category="childrens_homes", region="North West",
                                            subject_md=md, now=now)
        procurements.update_details(
            p,
            world.c1,
            Details(
                title=text,
                category="childrens_homes",
                region="North West",
                subject_md=md,
                estimated_value_pence=120_000_000,
                contract_type="block",
                duration_months=36,
                extension_months=0,
                review_clauses_md=md,
            ),
            now=now,
        )
        outcome = OutcomeInput("stability", text, text, text, text, text[:200], text, 10)
        specification.save_version(p, world.c1, body_md=md, outcomes=[outcome], note=text[:300], now=now)
        procurements.set_criteria(p, world.c1, [("quality", text, 70), ("price", "Price", 30)], score_max=5, now=now)
        procurements.add_engagement_event(p, world.c1, title=text, starts_at=T0, place=text, now=now)
        procurements.add_document(p, world.c1, title=text, filename=f"{payload}.csv", content_type="text/html",
                                  data=b"a,b", now=now)
        owner.check(f"/tenders/{p.id}", exact=[text], markers=[marker(i)])
        owner.check(f"/tenders/{p.id}/specification/versions", exact=[text], markers=[marker(i)])
        owner.check(f"/tenders/{p.id}/documents", exact=[text])
        owner.check(f"/tenders/{p.id}/details")
        owner.check(f"/tenders/{p.id}/criteria")
    owner.check("/tenders")
    owner.assert_clean()


def test_tender_clarifications_responses_and_award_render_payloads_as_text(app, db, org_factory, user_factory,
                                                                          frozen_clock):
    """Clarification questions and answers (one each per payload); method statements, commitments,
    score and consensus rationales, award and closing reasons (every payload in each)."""
    from tenders.services import clarifications, evaluation, procurements, responses
    from tests.unit.tenders.builders import AFTER, CLARIFY_BY, DEADLINE, T0, draft, in_tender, make_world

    world = make_world(org_factory, user_factory)
    p = in_tender(world)
    asked = T0 + timedelta(days=1)
    frozen_clock(asked)
    provider, public = Pages(_signed_in(app, world.p1)), Pages(app.test_client())
    for i, payload in CASES:
        question = clarifications.ask_clarification(p, world.p1, question=plain(i, payload), now=asked)
        clarifications.answer_clarification(question, world.c1, answer_md=markdown(i, payload), now=asked)
    all_plain = "\n".join(plain(i, payload) for i, payload in CASES)
    all_markdown = "\n\n".join(markdown(i, payload) for i, payload in CASES)
    markers = [marker(i) for i, _ in CASES]
    provider.check(f"/tenders/{p.id}/clarifications", markers=markers)
    public.check(f"/tenders/{p.id}", markers=markers)

    for who in (world.p1, world.p2):
        responses.submit_response(p, who, method_statement=all_plain,
                                  commitments={o.id: all_plain for o in p.published_version.outcomes},
                                  criterion_answers={c.id: all_plain for c in p.criteria if c.kind == "quality"},
                                  price_pence=100_000_000, documents=[], now=asked)
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    from tests.unit.tenders.builders import declare_none
    declare_none(p, world.c1, world.c2, now=AFTER)  # rule 4: declared at the evaluation stage to score
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    quality = evaluation.quality_criteria(p)
    submitted = responses.responses_for(p)
    for r in submitted:
        evaluation.record_scores(p, world.c1, r, {c.id: (3, all_plain[:5000]) for c in quality}, now=AFTER)
    evaluation.submit_scores(p, world.c1, now=AFTER)
    for r in submitted:
        for c in quality:
            evaluation.record_consensus(p, world.c1, r, c, score=3, rationale=all_plain[:5000], now=AFTER)
    frozen_clock(AFTER)
    owner = Pages(_signed_in(app, world.c1))
    for r in submitted:
        owner.check(f"/tenders/{p.id}/responses/{r.id}", markers=markers)
        owner.check(f"/tenders/{p.id}/evaluation/{r.id}/score")
    owner.check(f"/tenders/{p.id}/evaluation")
    evaluation.decide_award(p, world.c1, evaluation.ranking(p)[0].response, reasons_md=all_markdown,
                            standstill_applies=True, now=AFTER)
    owner.check(f"/tenders/{p.id}", markers=markers)
    public.check(f"/tenders/{p.id}", markers=markers)
    provider.check(f"/tenders/{p.id}/assessment")

    unannounced = draft(world)
    from tests.unit.tenders.builders import clear_conflicts
    clear_conflicts(world, unannounced)
    procurements.publish_tender(unannounced, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE,
                                now=T0, no_engagement_reason=all_plain[:5000])
    frozen_clock(T0)
    public.check(f"/tenders/{unannounced.id}", markers=[m for m in markers if m in all_plain[:5000]])

    frozen_clock(T0 - timedelta(days=30))
    closed = draft(world)
    procurements.close_procurement(closed, world.c1, outcome="cancelled", reason=all_plain[:5000],
                                   now=T0 - timedelta(days=30))
    owner.check(f"/tenders/{closed.id}", markers=[m for m in markers if m in all_plain[:5000]])
    for pages in (provider, public, owner):
        pages.assert_clean()


def test_organisation_and_person_names_render_as_text(app, db, people):
    """Names typed at registration (the organisation, the person, the job title), registered over HTTP,
    shown on the public organisation pages, the admin pages, and as @-mentions and authors in the forum."""
    from accounts.models import Organisation, User
    from forum import services as forum
    from tests.conftest import PASSWORD, submit

    admin = Pages(_signed_in(app, people["admin"]))
    public = Pages(app.test_client())
    owner = people["owning_commissioner"]
    place = forum.create_forum(owner, forum.ForumDetails(title="Names", remit_md="Names.", region="North West",
                                                         categories=["fostering"]))
    for i, payload in CASES:
        text = plain(i, payload)
        client = app.test_client()
        response = submit(client, "/register", {
            "full_name": text, "email": f"xss{i}@example.org", "job_title": text, "password": PASSWORD,
            "password_confirm": PASSWORD, "organisation": "new", "org_name": text, "org_kind": "provider",
            "provider_type": "independent", "council": text, "region": "North West"})  # region is a select
        assert response.status_code == 302, (payload, response.get_data(as_text=True)[:2000])
        user = db.session.scalars(select(User).where(User.email == f"xss{i}@example.org")).one()
        org = db.session.get(Organisation, user.organisation_id)
        assert collapse(org.name) == collapse(text)
        user.email_confirmed_at = user.created_at
        db.session.flush()
        forum.join_forum(place, user)
        thread = forum.start_thread(place, user, f"Thread {marker(i)}", f"Hello @[{org.name}] {marker(i)}",
                                    confirmed_no_child_data=True)
        public.check(f"/organisations/{org.id}", exact=[text])
        public.check(f"/forums/{place.slug}/threads/{thread.id}", markers=[marker(i)])
        admin.check(f"/admin/organisations/{org.id}", exact=[text])
    public.check("/organisations")
    admin.check("/admin/organisations")
    admin.check("/admin/users")
    for pages in (public, admin):
        pages.assert_clean()


REFLECTED = ["/register/check-email?email={q}", "/search?q={q}", "/tenders?region={q}", "/forums?region={q}",
             "/forums?category={q}", "/needs?region={q}&status={q}", "/organisations?kind={q}", "/sign-in?next={q}",
             "/audit/?action={q}"]


def test_query_parameters_echoed_into_pages_are_escaped(app, db, people):
    """Reflected XSS: search boxes and filters that show what was asked for."""
    from urllib.parse import quote

    pages = Pages(_signed_in(app, people["auditor"]))
    known = {rule.rule for rule in app.url_map.iter_rules()}
    for template in REFLECTED:
        path = template.split("?")[0]
        if path not in known:
            continue
        for i, payload in CASES:
            response = pages.client.get(template.format(q=quote(plain(i, payload), safe="")))
            if response.status_code in (400, 404):
                continue  # refused outright: nothing reflected
            problems, _ = inspect(response.get_data(as_text=True))
            pages.problems += [f"{template} {payload!r}: {p}" for p in problems]
    pages.assert_clean()


def test_audit_pages_show_typed_text_as_text(app, db, people):
    """The trail, each event (summary and payload) and the CSV/JSON exports' HTML neighbours."""
    from forum import services as forum
    from forum.models import Post
    from trail.models import AuditEvent

    owner, member = people["owning_commissioner"], people["provider_a"]
    place = forum.create_forum(owner, forum.ForumDetails(title="Audit view", remit_md="x", region="North West",
                                                         categories=["fostering"]))
    forum.join_forum(place, member)
    first_seq = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    for i, payload in CASES:
        thread = forum.start_thread(place, member, plain(i, payload), markdown(i, payload),
                                    confirmed_no_child_data=True)
        forum.report_post(db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one(), owner,
                          plain(i, payload))
    from trail import events

    new_events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.seq > first_seq)
                                         .order_by(AuditEvent.seq)))
    for (i, payload), event in zip(CASES, new_events):
        events.redact_payload(event, plain(i, payload), people["admin"])  # the reason is shown
    auditor = Pages(_signed_in(app, people["auditor"]))
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.seq > first_seq)):
        auditor.check(f"/audit/events/{event.seq}")
    auditor.check("/audit/")
    auditor.check("/audit/?action=forum")
    auditor.assert_clean()


def test_feeds_calendars_and_exports_carry_every_payload_as_text(app, db, people):
    """Every payload, with every character XML cannot carry, stored in forums, threads, posts, needs, meetings,
    procurements and names; then every feed, calendar and export answers, parses, holds none of those
    characters, and the HTML inside the Atom feeds has no live markup."""
    from lxml import etree

    from tests.security.test_hostile_text import fetch_documents, store_everywhere
    from tests.security.xss_payloads import UNSHOWABLE

    values = {}
    for i, payload in CASES:
        values = store_everywhere(db, people, f"{marker(i)} {payload[:120]}{UNSHOWABLE[i % len(UNSHOWABLE)]}")
    problems, shown = fetch_documents(app, people, values)
    atom = "{http://www.w3.org/2005/Atom}"
    for path, text in shown.items():
        if not path.endswith(".atom"):
            continue
        for content in etree.fromstring(text.encode()).iter(f"{atom}content", f"{atom}summary"):
            if content.get("type") == "html" and content.text:
                html_problems, _ = inspect(f"<main>{content.text}</main>")
                problems += [f"{path}: {p}" for p in html_problems]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
    assert marker(len(CASES) - 1) in shown["/forums.atom"]
