"""Starting a benchmark run and replying to it: the only code that changes benchmarking state.

Each service checks its rules, makes the change and records it in the trail
in the same transaction; it flushes and the caller commits.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

import trail
from benchmarking import policy
from benchmarking.method import METHOD_VERSION, Payment, StratumCount, parameters
from benchmarking.models import BenchmarkReply, BenchmarkRun
from benchmarking.runs import (
    decode_inputs,
    encode_inputs,
    hash_of,
    inputs_json,
    parse_inputs_json,
    reply_closes_on,
    reply_open,
    results_document,
)
from benchmarking.sources import load_inputs
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.safeguarding import check_child_data
from tenders.workingdays import uk_date
from trail.models import AuditEvent

NOTE_LIMIT = 2000
RUN_ACTION = "benchmark.run"


def start_run(actor: Any | None, *, as_of: date | None = None) -> BenchmarkRun:
    """Compute a run from every verified result so far (periods ending by `as_of`, default today) and record it.

    `actor` None is the system (the CLI).
    """
    if actor is not None and not policy.can_start_run(actor):
        trail.record_refusal(actor, "benchmark.run", "not an admin")
        raise NotPermitted("Only an administrator can start a benchmark run.")
    as_of = as_of or uk_date(utcnow())
    strata, payments = load_inputs(as_of)
    return record_run(actor, strata, payments, as_of=as_of)


def record_run(actor: Any | None, strata: Sequence[StratumCount], payments: Sequence[Payment], *, as_of: date
               ) -> BenchmarkRun:
    """Keep a run of these inputs and record it, inputs included, in the trail.

    The providers' right of reply opens the same (UK) day and lasts ten working
    days; the named figures are published after it.
    """
    if not strata:
        raise RuleViolation("There are no verified outcome returns with intake strata to benchmark yet.")
    moment = utcnow()
    today = uk_date(moment)
    inputs = encode_inputs(strata, payments)
    results = results_document(strata, payments)
    run = BenchmarkRun(method_version=METHOD_VERSION, parameters=inputs_json(parameters()),
                       inputs=inputs_json(inputs), inputs_hash=hash_of(inputs), results_hash=hash_of(results),
                       as_of=as_of, created_at=moment, created_by_id=actor.id if actor is not None else None,
                       reply_opens_on=today, reply_closes_on=reply_closes_on(today))
    db.session.add(run)
    db.session.flush()
    trail.record(
        RUN_ACTION, actor=actor, actor_label=None if actor is not None else "System (benchmark run)", subject=run,
        summary=(f"Benchmark run {run.id} (method {METHOD_VERSION}) over {len(strata)} strata rows and "
                 f"{len(payments)} payments; right of reply until {run.reply_closes_on.isoformat()}"),
        payload={"run_id": run.id, "method_version": METHOD_VERSION, "parameters": parameters(),
                 "as_of": as_of.isoformat(), "inputs_hash": run.inputs_hash, "results_hash": run.results_hash,
                 "reply_closes_on": run.reply_closes_on.isoformat(), "inputs": inputs},
        audience="auditors")
    return run


def save_reply(run: BenchmarkRun, actor: Any, note: str, *, confirmed_not_child_data: bool = False
               ) -> BenchmarkReply:
    """A provider's note on its own result, published beside the figure; it may be changed until the window closes."""
    providers = {row["provider_org_id"] for row in parse_inputs_json(run.inputs)["strata"]}
    if not policy.can_reply_for(actor, providers):
        trail.record_refusal(actor, "benchmark.reply", "not a provider in the run", detail={"run_id": run.id})
        raise NotPermitted("Only a provider with results in this run can reply to it.")
    today = uk_date(utcnow())
    if not reply_open(run.reply_opens_on, run.reply_closes_on, today):
        raise RuleViolation({"note": "The right of reply to this run closed on "
                                     f"{run.reply_closes_on.strftime('%-d %B %Y')}."})
    text = (note or "").strip()
    if not text:
        raise RuleViolation({"note": "Enter your note"})
    if len(text) > NOTE_LIMIT:
        raise RuleViolation({"note": f"Your note must be {NOTE_LIMIT:,} characters or fewer"})
    kinds = check_child_data("note", [text], confirmed_not_child_data)
    reply = db.session.scalar(select(BenchmarkReply).where(
        BenchmarkReply.run_id == run.id, BenchmarkReply.provider_org_id == actor.organisation_id))
    action = "benchmark.reply_changed" if reply else "benchmark.reply_added"
    if reply is None:
        reply = BenchmarkReply(run_id=run.id, provider_org_id=actor.organisation_id)
        db.session.add(reply)
    reply.note, reply.written_by_id, reply.written_at = text, actor.id, utcnow()
    db.session.flush()
    trail.record(action, actor=actor, subject=reply,
                 summary=f"{actor.organisation.name} replied to benchmark run {run.id}",
                 payload={"run_id": run.id, "provider_org_id": actor.organisation_id, "note": text,
                          "confirmed_kinds": kinds},
                 audience="public")
    return reply


@dataclass(frozen=True)
class Reproduction:
    run_id: int
    event_seq: int
    differences: tuple[str, ...]

    @property
    def matches(self) -> bool:
        return not self.differences


def reproduce(run: BenchmarkRun) -> Reproduction:
    """Recompute a run from the trail's copy of its inputs and compare every recorded hash.

    Reads only; an auditor runs it (`flask benchmarks reproduce RUN`).
    """
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == RUN_ACTION, AuditEvent.subject_type == BenchmarkRun.__tablename__,
        AuditEvent.subject_id == str(run.id)).order_by(AuditEvent.seq))
    if event is None or event.payload is None:
        return Reproduction(run.id, 0, ("the trail holds no run event with its inputs",))
    recorded = parse_inputs_json(event.payload)
    differences = []
    if recorded["method_version"] != METHOD_VERSION:
        differences.append(f"the run used method {recorded['method_version']}; this code is method {METHOD_VERSION}")
    if recorded["parameters"] != parameters():
        differences.append("the run's parameters differ from this method's")
    if hash_of(recorded["inputs"]) != recorded["inputs_hash"]:
        differences.append("the trail's inputs do not match the trail's inputs hash")
    if recorded["inputs_hash"] != run.inputs_hash or hash_of(parse_inputs_json(run.inputs)) != run.inputs_hash:
        differences.append("the stored run's inputs differ from the trail's")
    strata, payments = decode_inputs(recorded["inputs"])
    if hash_of(results_document(strata, payments)) != recorded["results_hash"]:
        differences.append("recomputing the trail's inputs gives different results from those recorded")
    if recorded["results_hash"] != run.results_hash:
        differences.append("the stored run's results hash differs from the trail's")
    return Reproduction(run.id, event.seq, tuple(differences))
