"""`flask bench-data --scale N`: a large, realistic data set for the benchmarks (bench/run.py).

Why bulk inserts and not the services: the services write one post at a time,
each with its audit event, search-index row, notifications and a flush; at a
million posts that takes hours. Here every table is filled with SQLAlchemy
Core `insert()` executemany in batches of a few thousand rows, which is two
orders of magnitude faster. Nothing the app relies on is skipped: the search
index (`forum_search`, FTS5 on SQLite, a weighted tsvector on PostgreSQL) gets
exactly the rows forum.search.index would write, and the audit trail is a real
chain continuing from the head the demo left: every event's hash is computed
with trail.chain's canonical encoding (event_hash, sha256_hex), in bulk, so
`flask audit verify` passes afterwards. The chain is never touched by anyone
else while this runs (one writer, on a benchmark database), so no lock is taken.

People and organisations come from the demo (demo.load.load_demo, loaded first
if absent); the bulk data is owned and written by them. Content times are
spread over the last two years; the audit events that describe the bulk
activity are stamped from the chain head's time onwards, a microsecond apart,
so the trail stays in time order.

Procurements stop at evaluation (plus cancelled and unsuccessful): awards and
contracts need sealed responses and scores, which only the services can make.

The command writes a JSON manifest (counts, the pages to load, and the common
and rare search terms) that bench/run.py reads.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
from markupsafe import escape
from sqlalchemy import Table, func, insert, select, text

from core.extensions import db

BATCH = 5000
SCALE_ONE = {"forums": 500, "threads": 50_000, "posts": 1_000_000, "procurements": 5_000,
             "audit_events": 1_000_000}
LONG_THREAD_POSTS = 50  # one thread has exactly this many posts: the "50-post thread" benchmark page
COMMON_TERM = "placement"  # in roughly 40% of posts
RARE_TERM = "hippotherapy"  # in a handful of posts (about 1 in 100,000, at least 3)
SEED = 20261123

# ---------------------------------------------------------------- word lists

TOPICS = ["Sufficiency for", "Step-down from residential to", "Commissioning", "Market position on",
          "Outcomes framework for", "Pricing pressures in", "Workforce shortages in", "Regional approach to",
          "Quality assurance of", "Referral process for", "Matching practice in", "Transitions planning for"]
SERVICES = ["foster care", "children's homes", "solo placements", "parent and child placements",
            "short breaks", "SEND day provision", "supported accommodation for 16 and 17 year olds",
            "residential special schools", "therapeutic foster care", "emergency placements",
            "sibling group placements", "unaccompanied asylum-seeking children", "care leavers' housing"]
OPENERS = ["We are seeing", "Our team has noticed", "Across the region there is", "Several providers report",
           "The latest sufficiency data shows", "Commissioners have asked about", "Our registered manager flagged",
           "Feedback from young people points to", "The Ofsted findings highlight", "Social workers describe"]
FINDINGS = ["a rise in referrals for", "long waits for", "difficulty recruiting staff for",
            "good stability outcomes in", "rising costs in", "gaps in local", "more demand for",
            "fewer vacancies in", "strong partnership work around", "inconsistent paperwork for"]
CLOSERS = ["Would anyone share how they handle this?", "We would welcome views before the next meeting.",
           "Happy to share our approach at the forum.", "Has the council considered a block contract?",
           "It would help to see the updated needs analysis.", "Can we agree a common referral form?",
           "We are keen to co-design the specification.", "Please add this to the agenda.",
           "Our therapeutic lead can present the evidence.", "Any pointers to good practice are welcome."]
DETAILS = ["children aged 11 to 15 with complex trauma", "young people at risk of exploitation",
           "children with autism and learning disabilities", "teenagers returning home from care",
           "sibling groups of three or more", "young people moving to independence",
           "children with emotional wellbeing needs", "disabled children needing overnight short breaks",
           "children placed out of area", "young people on remand"]
COMMON_SENTENCES = ["Finding the right placement close to home remains hard.",
                    "Placement stability is the outcome we track most closely.",
                    "A planned move avoids an unplanned placement ending.",
                    "The placement plan should be agreed before the child arrives.",
                    "Emergency placement requests arrive late on Friday afternoons."]
RARE_SENTENCE = f"Our riding centre offers {RARE_TERM} sessions for disabled children on Saturdays."
FORUM_KINDS = ["providers' forum", "market engagement forum", "sufficiency forum", "co-design group"]
PROCUREMENT_TITLES = ["Residential care framework", "Independent fostering agency framework",
                      "Short breaks dynamic list", "Supported accommodation (16+) block contract",
                      "SEND independent school placements", "Therapeutic services for children in care",
                      "Family support and edge-of-care service", "Parent and child assessment placements"]
# One cycle of ten: 30% tender, 20% engagement, 20% evaluation, 10% each planning, cancelled, unsuccessful.
# A public stage comes first so even the tiniest scale has a procurement page anyone can open.
STAGE_CYCLE = ["tender", "engagement", "evaluation", "planning", "tender", "cancelled", "engagement", "tender",
               "unsuccessful", "evaluation"]
STAGE_ORDER = ["planning", "engagement", "tender", "evaluation"]
POST_ACTIONS = ("forum.thread_started", "forum.post_created")


@dataclass
class Plan:
    """How many of each thing to make at a scale; never fewer than the benchmarks need."""

    scale: float
    forums: int
    threads: int
    posts: int
    procurements: int
    audit_events: int

    @classmethod
    def at(cls, scale: float) -> Plan:
        n = {name: max(1, round(count * scale)) for name, count in SCALE_ONE.items()}
        n["threads"] = max(n["threads"], 2)
        # The long thread has exactly 50 posts and every other thread at least one.
        n["posts"] = max(n["posts"], LONG_THREAD_POSTS + n["threads"] - 1)
        return cls(scale=scale, **n)

    def procurement_events(self) -> int:
        """Audit events the procurements write: created, plus engagement and tender notices by stage."""
        per_cycle = [1 + (stage != "planning") + (stage in ("tender", "evaluation", "unsuccessful"))
                     for stage in STAGE_CYCLE]
        return sum(per_cycle[i % len(STAGE_CYCLE)] for i in range(self.procurements))

    def filler_events(self) -> int:
        """Events still owed after forums, posts and procurements (reports on posts), if any."""
        budget = self.audit_events - self.forums - 3 * self.procurements
        return self.audit_events - self.forums - min(self.posts, budget) - self.procurement_events()


@dataclass
class People:
    """Who owns and writes the bulk data: the demo's commissioners and providers."""

    units: list[SimpleNamespace]  # commissioning organisations with their commissioners
    provider_users: list[SimpleNamespace]
    admin_id: int
    labels: dict[int, SimpleNamespace] = field(default_factory=dict)


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _next_id(table: str) -> int:
    return (db.session.scalar(select(func.max(_table(table).c.id))) or 0) + 1


def _fix_sequences(tables: Iterable[str]) -> None:
    """Rows were inserted with explicit ids, so PostgreSQL's sequences must catch up (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"))


def _people() -> People:
    from accounts.models import COMMISSIONING_KINDS, Organisation, User

    users = db.session.execute(select(User.id, User.full_name, User.role, User.organisation_id, Organisation.name,
                                      Organisation.kind, Organisation.region)
                               .join(Organisation, Organisation.id == User.organisation_id).order_by(User.id)).all()
    units: dict[int, SimpleNamespace] = {}
    providers, admin_id, labels = [], None, {}
    for row in users:
        person = SimpleNamespace(id=row.id, role=row.role, organisation_id=row.organisation_id,
                                 label=f"{row.full_name} ({row.name})")
        labels[row.id] = person
        if row.role == "admin" and admin_id is None:
            admin_id = row.id
        if row.kind in COMMISSIONING_KINDS and row.role == "commissioner":
            unit = units.setdefault(row.organisation_id, SimpleNamespace(id=row.organisation_id, name=row.name,
                                                                        region=row.region, commissioners=[]))
            unit.commissioners.append(person)
        elif row.kind == "provider" and row.role == "provider":
            providers.append(person)
    if not units or not providers or admin_id is None:
        raise click.ClickException("The demo data has no commissioners or providers to own the bench data.")
    return People(units=list(units.values()), provider_users=providers, admin_id=admin_id, labels=labels)


def _post_text(rng: random.Random, index: int, rare_every: int) -> str:
    """Two or three short paragraphs of forum wording; the common term often, the rare one seldom."""
    service = rng.choice(SERVICES)
    sentences = [f"{rng.choice(OPENERS)} {rng.choice(FINDINGS)} {service} for {rng.choice(DETAILS)}."]
    if rng.random() < 0.4:
        sentences.append(rng.choice(COMMON_SENTENCES))
    if index % rare_every == rare_every // 2:
        sentences.append(RARE_SENTENCE)
    sentences.append(f"{rng.choice(OPENERS)} {rng.choice(FINDINGS)} {rng.choice(SERVICES)}.")
    paragraphs = [" ".join(sentences), rng.choice(CLOSERS)]
    return "\n\n".join(paragraphs)


def _html(body: str) -> str:
    return "".join(f"<p>{escape(part)}</p>\n" for part in body.split("\n\n"))


def _search_rows(rows: Iterable[dict[str, Any]]) -> None:
    """Write index rows exactly as forum.search.index does, many at a time."""
    if db.session.get_bind().dialect.name == "postgresql":
        statement = text(
            "INSERT INTO forum_search (kind, ref_id, forum_id, title, body, label, document) VALUES "
            "(:kind, :ref_id, :forum_id, :title, :body, :label, "
            "setweight(to_tsvector('english', :title), 'A') || setweight(to_tsvector('english', :body), 'B'))")
    else:
        statement = text("INSERT INTO forum_search (kind, ref_id, forum_id, title, body, label) "
                         "VALUES (:kind, :ref_id, :forum_id, :title, :body, :label)")
    for batch in _batches(rows):
        db.session.execute(statement, batch)


class Chain:
    """Appends audit events after the current head, hashing each with trail.chain's canonical encoding."""

    def __init__(self) -> None:
        from trail.models import AuditEvent

        head = db.session.execute(select(AuditEvent.seq, AuditEvent.hash, AuditEvent.occurred_at)
                                  .order_by(AuditEvent.seq.desc()).limit(1)).first()
        from core.clock import utcnow
        from trail.chain import GENESIS_HASH

        self.seq: int = head.seq if head else 0
        self.prev: str = head.hash if head else GENESIS_HASH
        self.moment = max(head.occurred_at, utcnow()) if head else utcnow()
        self.pending: list[dict[str, Any]] = []
        self.written = 0

    def add(self, action: str, *, actor: SimpleNamespace | None, summary: str, subject: tuple[str, int] | None,
            payload: dict[str, Any], audience: str = "public", procurement_id: int | None = None) -> None:
        from trail.chain import canonical_json, event_hash, sha256_hex

        self.seq += 1
        self.moment += timedelta(microseconds=1)
        payload_text = canonical_json(payload)
        event = SimpleNamespace(
            seq=self.seq, occurred_at=self.moment,
            actor_user_id=actor.id if actor else None, actor_org_id=actor.organisation_id if actor else None,
            actor_role=actor.role if actor else None, actor_label=actor.label if actor else "system",
            action=action, subject_type=subject[0] if subject else None,
            subject_id=str(subject[1]) if subject else None, procurement_id=procurement_id, audience=audience,
            summary=summary, payload_hash=sha256_hex(payload_text), prev_hash=self.prev)
        event.hash = self.prev = event_hash(event)
        self.pending.append({**vars(event), "payload": payload_text})

    def flush(self) -> int:
        """Insert what is pending; returns how many rows went in."""
        from trail.models import AuditEvent

        count = len(self.pending)
        if count:
            db.session.execute(insert(AuditEvent), self.pending)
            self.written += count
            self.pending = []
        return count


def build(scale: float, progress: Callable[[int], None] = lambda n: None, seed: int = SEED) -> dict[str, Any]:
    """Load the demo if needed, then add the bulk data; returns the manifest (also what the command writes)."""
    from demo.load import load_demo
    from forum.models import CATEGORIES as FORUM_CATEGORIES
    from forum.models import REGIONS
    from tenders.models import CATEGORIES as TENDER_CATEGORIES

    load_demo()
    db.session.commit()
    plan = Plan.at(scale)
    rng = random.Random(seed)
    people = _people()
    now = datetime.now().replace(microsecond=0)  # naive, like every stored time (utcnow's form)
    start = now - timedelta(days=730)
    chain = Chain()

    # ---- forums, their owners, categories and members
    forum_id0 = _next_id("forum")
    forums, owners, categories, members = [], [], [], []
    forum_meta: list[SimpleNamespace] = []
    for i in range(plan.forums):
        unit = people.units[i % len(people.units)]
        region = REGIONS[i % len(REGIONS)]
        kind = FORUM_KINDS[i % len(FORUM_KINDS)]
        cats = rng.sample(sorted(FORUM_CATEGORIES), 2)
        title = f"{region} {FORUM_CATEGORIES[cats[0]].lower()} {kind} {i + 1}"
        remit = (f"A standing forum for providers of {FORUM_CATEGORIES[cats[0]].lower()} and "
                 f"{FORUM_CATEGORIES[cats[1]].lower()} in {region}, run by {unit.name}. "
                 "We share sufficiency data, test ideas for new services and co-design specifications.")
        created = start + timedelta(minutes=i)
        fid = forum_id0 + i
        forums.append({"id": fid, "slug": f"bench-forum-{fid}", "title": title, "remit_md": remit,
                       "remit_html": _html(remit), "region": region, "status": "open",
                       "created_by_id": unit.commissioners[0].id, "created_at": created, "updated_at": created})
        owners.append({"forum_id": fid, "organisation_id": unit.id})
        categories += [{"forum_id": fid, "category": c} for c in cats]
        members += [{"forum_id": fid, "user_id": p.id, "joined_at": created} for p in people.provider_users]
        forum_meta.append(SimpleNamespace(id=fid, slug=f"bench-forum-{fid}", title=title,
                                          writers=people.provider_users + unit.commissioners, remit=remit))
        chain.add("forum.created", actor=unit.commissioners[0], subject=("forum", fid),
                  summary=f"Forum “{title}” opened by {unit.name}",
                  payload={"slug": f"bench-forum-{fid}", "title": title, "region": region, "categories": cats})
    for table, rows in (("forum", forums), ("forum_owner", owners), ("forum_category", categories),
                        ("forum_membership", members)):
        for batch in _batches(rows):
            db.session.execute(insert(_table(table)), batch)
    _search_rows({"kind": "forum", "ref_id": f.id, "forum_id": f.id, "title": f.title, "body": f.remit,
                  "label": ""} for f in forum_meta)
    progress(plan.forums)

    # ---- threads: the first has exactly 50 posts, the rest share the remaining posts (at least one each)
    sizes = [LONG_THREAD_POSTS] + [1] * (plan.threads - 1)
    for _ in range(plan.posts - sum(sizes)):
        pick = 1 + int((plan.threads - 1) * rng.random() ** 2) if plan.threads > 1 else 0
        if pick == 0 or sizes[pick] == LONG_THREAD_POSTS - 1:
            pick = 1 + (pick % max(plan.threads - 1, 1))  # keep the long thread the only one at exactly 50
        sizes[pick] += 1
    thread_id0, post_id0 = _next_id("forum_thread"), _next_id("forum_post")
    rare_every = max(plan.posts // max(3, plan.posts // 100_000), 1)
    post_index = 0
    span = (now - start).total_seconds()
    thread_rows: list[dict[str, Any]] = []
    post_rows: list[dict[str, Any]] = []
    revision_rows: list[dict[str, Any]] = []
    search_rows: list[dict[str, Any]] = []
    long_thread: SimpleNamespace | None = None
    budget = plan.audit_events - plan.forums - 3 * plan.procurements  # events left for posts

    def write_posts() -> None:
        for table, rows in (("forum_thread", thread_rows), ("forum_post", post_rows),
                            ("forum_post_revision", revision_rows)):
            if rows:
                db.session.execute(insert(_table(table)), rows)
        _search_rows(search_rows)
        chain.flush()
        progress(len(post_rows))
        for rows in (thread_rows, post_rows, revision_rows, search_rows):
            rows.clear()

    for t, size in enumerate(sizes):
        forum = forum_meta[t % len(forum_meta)] if t else forum_meta[0]
        tid = thread_id0 + t
        title = f"{rng.choice(TOPICS)} {rng.choice(SERVICES)}"
        opened = start + timedelta(seconds=span * (t / len(sizes)) * 0.95)
        moment = opened
        for k in range(size):
            pid = post_id0 + post_index
            author = rng.choice(forum.writers)
            body = _post_text(rng, post_index, rare_every)
            moment = moment + timedelta(minutes=rng.randint(5, 600))
            post_rows.append({"id": pid, "thread_id": tid, "author_id": author.id, "quoted_post_id": None,
                              "body_md": body, "body_html": _html(body), "created_at": moment, "edited_at": None,
                              "revision_count": 1, "hidden_at": None, "hidden_reason": None, "hidden_by_id": None})
            revision_rows.append({"post_id": pid, "number": 1, "body_md": body, "editor_id": author.id,
                                  "created_at": moment})
            search_rows.append({"kind": "post", "ref_id": pid, "forum_id": forum.id, "title": "", "body": body,
                                "label": title})
            if post_index < budget:
                if k == 0:
                    chain.add(POST_ACTIONS[0], actor=author, subject=("forum_thread", tid),
                              summary=f"{author.label.split(' (')[0]} started “{title}” in “{forum.title}”",
                              payload={"thread_id": tid, "post_id": pid, "title": title,
                                       "mentioned_organisation_ids": []})
                else:
                    chain.add(POST_ACTIONS[1], actor=author, subject=("forum_post", pid),
                              summary=f"{author.label.split(' (')[0]} replied in “{title}”",
                              payload={"thread_id": tid, "post_id": pid, "mentioned_organisation_ids": []})
            post_index += 1
        thread_rows.append({"id": tid, "forum_id": forum.id, "title": title,
                            "author_id": post_rows[-size]["author_id"], "created_at": opened,
                            "last_activity_at": moment, "post_count": size})
        search_rows.append({"kind": "thread", "ref_id": tid, "forum_id": forum.id, "title": title, "body": "",
                            "label": title})
        if t == 0:
            long_thread = SimpleNamespace(id=tid, slug=forum.slug)
        if len(post_rows) >= BATCH:
            write_posts()
    write_posts()
    _fix_sequences(["forum", "forum_thread", "forum_post"])
    db.session.commit()

    # ---- procurements spread over the stages, each with a specification and criteria
    procurement_id0 = _next_id("procurement")
    procurements, versions, criteria = [], [], []
    open_procurement: int | None = None
    for i in range(plan.procurements):
        pid = procurement_id0 + i
        unit = people.units[i % len(people.units)]
        commissioner = unit.commissioners[0]
        stage = STAGE_CYCLE[i % len(STAGE_CYCLE)]
        category = sorted(TENDER_CATEGORIES)[i % len(TENDER_CATEGORIES)]
        created = start + timedelta(seconds=span * i / plan.procurements * 0.9)
        title = f"{PROCUREMENT_TITLES[i % len(PROCUREMENT_TITLES)]} {created:%Y} lot {i + 1}"
        reference = f"CC-{created:%Y}-{pid:05d}"
        subject = (f"{unit.name} is buying {TENDER_CATEGORIES[category].lower()} for "
                   f"{rng.choice(DETAILS)}. {rng.choice(COMMON_SENTENCES)}")
        value = rng.randint(50, 5000) * 1_000_00
        # Cancelled ones were cancelled after engagement; unsuccessful ones after the tender closed.
        reached = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else (1 if stage == "cancelled" else 3)
        row: dict[str, Any] = {
            "id": pid, "reference": reference, "title": title, "owner_org_id": unit.id,
            "created_by_id": commissioner.id, "created_at": created, "stage": stage, "region": unit.region or "",
            "category": category, "subject_md": subject, "subject_html": _html(subject),
            "estimated_value_pence": value, "contract_type": "framework" if i % 3 else "block",
            "duration_months": 36, "extension_months": 12, "review_clauses_md": "", "review_clauses_html": "",
            "score_max": 5, "engagement_closes_on": None, "engagement_published_at": None,
            "no_engagement_reason": None, "tender_published_at": None, "clarification_deadline": None,
            "response_deadline": None, "open_requested_by_id": None, "open_requested_at": None,
            "opened_by_id": None, "opened_at": None, "closed_reason": None, "closed_at": None, "forum_id": None}
        chain.add("procurement.created", actor=commissioner, subject=("procurement", pid), audience="auditors",
                  procurement_id=pid, summary=f"Draft procurement {reference} “{title}” created",
                  payload={"reference": reference, "title": title, "category": category})
        if reached >= 1:
            row["engagement_published_at"] = created + timedelta(days=7)
            row["engagement_closes_on"] = (created + timedelta(days=37)).date()
            chain.add("engagement.notice_published", actor=commissioner, subject=("procurement", pid),
                      audience="public", procurement_id=pid,
                      summary=f"Preliminary market engagement notice published for {reference} “{title}”",
                      payload={"authority": unit.name, "title": title, "unique_identifier": reference})
        if reached >= 2:
            published = created + timedelta(days=45)
            row.update(tender_published_at=published, clarification_deadline=published + timedelta(days=20),
                       response_deadline=published + timedelta(days=30))
            chain.add("tender.published", actor=commissioner, subject=("procurement", pid), audience="public",
                      procurement_id=pid,
                      summary=f"Tender notice published for {reference} “{title}”; responses due "
                              f"{row['response_deadline']:%-d %B %Y %H:%M}",
                      payload={"spec_version": 1, "clarification_deadline": row["clarification_deadline"].isoformat(),
                               "response_deadline": row["response_deadline"].isoformat(), "regime": "light_touch",
                               "estimated_value_pence": value, "no_engagement_reason": None})
            if stage == "tender" and open_procurement is None:
                open_procurement = pid
        if reached >= 3 and stage == "evaluation":
            row.update(open_requested_by_id=commissioner.id, open_requested_at=row["response_deadline"],
                       opened_by_id=unit.commissioners[-1].id, opened_at=row["response_deadline"] + timedelta(hours=2))
        if stage in ("cancelled", "unsuccessful"):
            row.update(closed_reason="The council's needs changed after engagement." if stage == "cancelled"
                       else "No compliant responses were received.", closed_at=created + timedelta(days=90))
        procurements.append(row)
        spec = (f"## Service\n\n{subject}\n\n## Outcomes\n\nChildren live in stable homes close to their "
                "schools and families, and are supported into adulthood.")
        versions.append({"procurement_id": pid, "number": 1, "body_md": spec, "body_html": _html(spec),
                         "note": "First version", "created_by_id": commissioner.id, "created_at": created,
                         "check_errors": "[]", "check_warnings": "[]",
                         "published_at": row["tender_published_at"]})
        criteria += [{"procurement_id": pid, "position": 1, "kind": "quality", "name": "Quality and outcomes",
                      "weight": 70},
                     {"procurement_id": pid, "position": 2, "kind": "price", "name": "Price", "weight": 30}]
    for table, rows in (("procurement", procurements), ("spec_version", versions), ("award_criterion", criteria)):
        for batch in _batches(rows):
            db.session.execute(insert(_table(table)), batch)
    chain.flush()
    _fix_sequences(["procurement"])
    progress(plan.procurements)

    # ---- any events still owed (only when the audit target exceeds what the content produced)
    while chain.written + len(chain.pending) < plan.audit_events:
        post = post_id0 + rng.randrange(plan.posts)
        reader = rng.choice(people.provider_users)
        chain.add("forum.post_reported", actor=reader, subject=("forum_post", post), audience="participants",
                  summary="A post was reported", payload={"reason": "Please check this for identifying details."})
        if len(chain.pending) >= BATCH:
            progress(chain.flush())
    progress(chain.flush())
    db.session.commit()
    # Fresh planner statistics, as autovacuum (PostgreSQL) or a maintenance run would give a live
    # database: without them a bulk load leaves PostgreSQL guessing that a word in 73% of posts is in
    # 2%, and it picks plans (a full bitmap where a short scan would do) no live site would run.
    db.session.execute(text("ANALYZE"))
    db.session.commit()

    assert long_thread is not None
    forum_slug = forum_meta[0].slug
    return {
        "scale": scale,
        "counts": {"forums": plan.forums, "threads": plan.threads, "posts": plan.posts,
                   "procurements": plan.procurements, "audit_events": chain.written},
        "common_term": COMMON_TERM,
        "rare_term": RARE_TERM,
        "rare_posts": sum(1 for i in range(plan.posts) if i % rare_every == rare_every // 2),
        "pages": {
            "forum page": f"/forums/{forum_slug}",
            "50-post thread": f"/forums/{long_thread.slug}/threads/{long_thread.id}",
            "/tenders": "/tenders",
            "procurement page": f"/tenders/{open_procurement or procurement_id0}",
            "search (common term)": f"/search?q={COMMON_TERM}",
            "search (rare term)": f"/search?q={RARE_TERM}",
            "forum Atom feed": f"/forums/{forum_slug}/feed.atom",
        },
        "generated_at": now.isoformat(),
    }


def register(app: Any) -> None:
    """Adds the command to the app's CLI (called from demo.cli.init_demo_cli)."""

    @app.cli.command("bench-data")
    @click.option("--scale", type=click.FloatRange(min=0.0001, max=10.0), default=0.02, show_default=True,
                  help="1.0 = 500 forums, 50,000 threads, 1,000,000 posts, 5,000 procurements, "
                       "1,000,000 audit events.")
    @click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
                  help="Where to write the JSON the benchmarks read (default: instance/bench-data.json).")
    def bench_data(scale: float, manifest: Path | None) -> None:
        """Fill the database with benchmark data quickly (bulk inserts; see demo.bench_data)."""
        from flask import current_app

        plan = Plan.at(scale)
        total = plan.forums + plan.posts + plan.procurements + plan.filler_events()
        with click.progressbar(length=total, label=f"Building bench data at scale {scale}") as bar:
            result = build(scale, progress=bar.update)
        target = manifest or Path(current_app.instance_path) / "bench-data.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(result, indent=2))
        counts = result["counts"]
        click.echo(f"Added {counts['forums']} forums, {counts['threads']} threads, {counts['posts']} posts, "
                   f"{counts['procurements']} procurements and {counts['audit_events']} audit events. "
                   f"Manifest: {target}")

