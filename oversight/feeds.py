"""The public Atom feed of the audit trail: public events, and every checkpoint as it is signed.

A checkpoint protects the trail only if someone outside keeps a copy of it.
/audit/checkpoints.json has them all, but nobody polls a JSON file; a feed
reader (or an archiving service) subscribed to this feed keeps each signed
head the moment it is published, with its signature and the key's
fingerprint, so a later rewrite of history is caught by people the operator
never met. The public events (notices published, clarifications answered,
awards) come with their seq and hash, so the same archive vouches for them.

Only audience="public" events appear, and only what public pages already
show: the summary, the acting organisation (not the person) and the hashes.
Payloads never do.

/audit/checkpoints.atom holds the checkpoints alone, for whoever archives
only those. A saved copy of either feed is itself evidence: `flask audit
verify --checkpoints` reads the labelled lines of each checkpoint entry
(CHECKPOINT_LINES) back out of it, as it reads a saved checkpoints.json.
"""
from __future__ import annotations

from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from sqlalchemy import select

from accounts.models import Organisation
from core.extensions import db
from core.text import xml_safe
from core.urls import external_url
from trail.atom import CHECKPOINT_CATEGORY, CHECKPOINT_LINES
from trail.chain import format_time
from trail.models import AuditEvent, Checkpoint

# Each kind has its own window, so a busy trail never pushes checkpoints out of
# the feed and frequent checkpoints never push the notices out.
FEED_EVENTS = 50
FEED_CHECKPOINTS = 50
CHECKPOINT_ACTION = "audit.checkpoint_signed"
# The feed's date when the trail has no public event yet (a fixed value, so the feed is stable).
EMPTY_FEED_UPDATED = "2025-02-24T00:00:00+00:00"


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _entry_id(seq: int) -> str:
    return f"{external_url('audit.public_feed')}#event-{seq}"


def _latest_public_events() -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.audience == "public", AuditEvent.action != CHECKPOINT_ACTION)
        .order_by(AuditEvent.seq.desc()).limit(FEED_EVENTS)))


def _latest_checkpoints() -> list[tuple[Checkpoint, AuditEvent]]:
    return [tuple(row) for row in db.session.execute(
        select(Checkpoint, AuditEvent).join(AuditEvent, AuditEvent.seq == Checkpoint.event_seq)
        .order_by(Checkpoint.seq.desc()).limit(FEED_CHECKPOINTS))]


def _organisation_names(events: list[AuditEvent]) -> dict[int, str]:
    ids = {event.actor_org_id for event in events if event.actor_org_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(Organisation.id, Organisation.name)
                                   .where(Organisation.id.in_(ids))).tuples().all())


def _add_event(generator: FeedGenerator, event: AuditEvent, organisation: str | None) -> None:
    entry = generator.add_entry(order="append")
    entry.id(_entry_id(event.seq))
    entry.title(xml_safe(event.summary))
    entry.updated(_utc(event.occurred_at))
    entry.published(_utc(event.occurred_at))
    entry.author({"name": xml_safe(organisation) or "Commissioning Commons"})
    entry.category(term=event.action, label=event.action)
    if event.procurement_id is not None:
        entry.link(href=external_url("tenders.show", procurement_id=event.procurement_id))
    entry.content(xml_safe("\n".join([
        event.summary,
        f"Audit event {event.seq} ({event.action}), {format_time(event.occurred_at)}.",
        f"Event hash (SHA-256): {event.hash}",
        f"Previous hash: {event.prev_hash}",
    ])), type="text")


def _add_checkpoint(generator: FeedGenerator, checkpoint: Checkpoint, event: AuditEvent) -> None:
    listing, key = external_url("audit.checkpoints_json"), external_url("audit.public_key")
    values = {"seq": checkpoint.seq, "head_hash": checkpoint.head_hash,
              "created_at": format_time(checkpoint.created_at), "signature": checkpoint.signature,
              "public_key": checkpoint.public_key, "key_fingerprint": checkpoint.key_fingerprint}
    entry = generator.add_entry(order="append")
    entry.id(_entry_id(event.seq))
    entry.title(f"Signed checkpoint at event {checkpoint.seq}")
    entry.updated(_utc(checkpoint.created_at))
    entry.published(_utc(checkpoint.created_at))
    entry.author({"name": "Commissioning Commons"})
    entry.category(term=CHECKPOINT_CATEGORY, label="Signed checkpoint")
    # One link per entry: feedgen 1.0.0 drops an entry link's rel and type, and an entry may hold only one
    # plain (alternate) link. The key's address is in the content.
    entry.link(href=listing)
    entry.content("\n".join([
        f"The audit chain's head was event {checkpoint.seq} with hash {checkpoint.head_hash} "
        f"at {format_time(checkpoint.created_at)}, signed with Ed25519.",
        *(f"{label}: {values[name]}" for name, label in CHECKPOINT_LINES),
        f"All checkpoints: {listing}",
        f"Public key (PEM): {key}",
        "The signature covers the canonical JSON of context "
        "(commissioning-commons/audit-checkpoint/v1), created_at, head_hash and seq.",
    ]), type="text")


def _feed(endpoint: str, title: str, subtitle: str) -> FeedGenerator:
    """An empty audit feed at `endpoint`, pointing to the checkpoints' JSON as the related machine-readable copy."""
    generator = FeedGenerator()
    generator.id(external_url(endpoint))
    generator.title(title)
    generator.subtitle(subtitle)
    generator.author({"name": "Commissioning Commons"})
    generator.link(href=external_url(endpoint), rel="self", type="application/atom+xml")
    generator.link(href=external_url("audit.checkpoints_json"), rel="related", type="application/json")
    generator.language("en-GB")
    return generator


def public_trail_atom() -> bytes:
    """The feed, newest entry first: the latest public events and the latest checkpoints."""
    generator = _feed("audit.public_feed", "Commissioning Commons: public audit trail and signed checkpoints",
                      "Public events of the tamper-evident audit trail, and each signed checkpoint of its head. "
                      "Keep copies: they prove later that history was not rewritten.")
    events = _latest_public_events()
    names = _organisation_names(events)
    entries: list[tuple[AuditEvent, Checkpoint | None]] = [(event, None) for event in events]
    entries += [(event, checkpoint) for checkpoint, event in _latest_checkpoints()]
    entries.sort(key=lambda entry: entry[0].seq, reverse=True)
    for event, checkpoint in entries:
        if checkpoint is not None:
            _add_checkpoint(generator, checkpoint, event)
        else:
            _add_event(generator, event, names.get(event.actor_org_id) if event.actor_org_id else None)
    # Appends are serialised, so the highest seq is the newest.
    generator.updated(_utc(entries[0][0].occurred_at) if entries else EMPTY_FEED_UPDATED)
    return generator.atom_str(pretty=True)


def checkpoints_atom() -> bytes:
    """The latest checkpoints alone, newest first: for archives that keep only the signed heads."""
    generator = _feed("audit.checkpoints_feed", "Commissioning Commons: signed checkpoints of the audit trail",
                      "Each signed checkpoint of the audit chain's head, as it is signed. Keep copies: `flask audit "
                      "verify --checkpoints` proves from a saved copy that history was not rewritten.")
    latest = _latest_checkpoints()
    for checkpoint, event in latest:
        _add_checkpoint(generator, checkpoint, event)
    generator.updated(_utc(latest[0][0].created_at) if latest else EMPTY_FEED_UPDATED)
    return generator.atom_str(pretty=True)
