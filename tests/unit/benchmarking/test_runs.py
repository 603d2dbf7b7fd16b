"""Runs in the trail, reproducing them, and the right of reply in working days."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from benchmarking import services
from benchmarking.method import METHOD_VERSION, parameters
from benchmarking.models import BenchmarkReply
from benchmarking.runs import published, reply_closes_on, reply_open
from core import clock
from core.errors import NotPermitted, RuleViolation
from core.safeguarding import ChildDataWarning
from outcomes.services import returns
from tests.unit.benchmarking.runs_builders import RUN_DAY, make_run
from trail.models import AuditEvent


@pytest.fixture
def provider_user(user_factory, providers):
    return user_factory("provider", organisation=providers[0][0])


def test_the_reply_window_is_ten_uk_working_days_after_the_run():
    # 17 Dec 2026 (Thu): 18, 21, 22, 23, 24 Dec; 25 and 28 Dec are holidays (Boxing Day's substitute); 29, 30, 31 Dec;
    # 1 Jan is a holiday and 4 Jan too (2 January's substitute in Scotland); then 5 and 6 Jan.
    assert reply_closes_on(date(2026, 12, 17)) == date(2027, 1, 6)
    # An ordinary fortnight: a Monday run closes on the Monday two weeks later.
    assert reply_closes_on(date(2026, 11, 2)) == date(2026, 11, 16)
    assert reply_open(date(2026, 12, 17), date(2027, 1, 6), date(2027, 1, 6))
    assert not published(date(2027, 1, 6), date(2027, 1, 6))
    assert published(date(2027, 1, 6), date(2027, 1, 7))


def test_a_run_is_recorded_in_the_trail_with_its_method_parameters_and_inputs(db, providers, council):
    run = make_run(providers, council)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "benchmark.run"))
    payload = json.loads(event.payload)
    assert payload["method_version"] == METHOD_VERSION == run.method_version
    assert payload["parameters"] == parameters()
    assert payload["inputs_hash"] == run.inputs_hash and payload["results_hash"] == run.results_hash
    assert len(payload["inputs"]["strata"]) == 16
    assert run.reply_opens_on == date(2026, 12, 17) and run.reply_closes_on == date(2027, 1, 6)


def test_a_run_reproduces_from_the_trail_and_any_difference_is_reported(db, providers, council):
    run = make_run(providers, council)
    assert services.reproduce(run).matches
    run.results_hash = "0" * 64
    db.session.flush()
    result = services.reproduce(run)
    assert not result.matches
    assert result.differences == ("the stored run's results hash differs from the trail's",)


def test_reproduce_cli_exits_one_on_a_difference(db, runner, providers, council):
    run = make_run(providers, council)
    ok = runner.invoke(args=["benchmarks", "reproduce", str(run.id)])
    assert ok.exit_code == 0, ok.output
    assert "reproduced" in ok.output
    run.inputs = run.inputs.replace('"achieved":', '"achieved": ', 1)  # same JSON, different text: still fine
    run.inputs = run.inputs.replace('"cohort":26', '"cohort":27', 1)
    db.session.flush()
    bad = runner.invoke(args=["benchmarks", "reproduce", str(run.id)])
    assert bad.exit_code == 1
    assert "stored run's inputs differ" in bad.output


def test_a_run_without_returns_is_refused(db):
    with pytest.raises(RuleViolation):
        services.record_run(None, [], [], as_of=date(2026, 12, 1))


def test_only_an_admin_may_start_a_run(db, user_factory):
    with pytest.raises(NotPermitted):
        services.start_run(user_factory("commissioner"))
    refusal = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "security.refused"))
    assert "benchmark.run" in refusal.summary


def test_a_provider_replies_within_the_window_and_the_reply_is_audited(db, providers, council, provider_user):
    run = make_run(providers, council)
    clock.set_now(RUN_DAY + timedelta(days=5))
    try:
        reply = services.save_reply(run, provider_user, "  Our intake changed in the summer.  ")
        services.save_reply(run, provider_user, "Our intake changed in July.")
    finally:
        clock.set_now(None)
    assert db.session.get(BenchmarkReply, reply.id).note == "Our intake changed in July."
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("benchmark.reply%"))
                                 .order_by(AuditEvent.seq)).all()
    assert actions == ["benchmark.reply_added", "benchmark.reply_changed"]


def test_no_reply_after_the_tenth_working_day(db, providers, council, provider_user):
    run = make_run(providers, council)
    clock.set_now(datetime(2027, 1, 6, 23, 30))  # still 6 January... in UTC, but 23:30 GMT is the same day
    try:
        services.save_reply(run, provider_user, "Last-day note.")
        clock.set_now(datetime(2027, 1, 7, 0, 30))
        with pytest.raises(RuleViolation) as refused:
            services.save_reply(run, provider_user, "Too late.")
    finally:
        clock.set_now(None)
    assert "closed on 6 January 2027" in str(refused.value)


def test_only_a_provider_in_the_run_may_reply_for_itself(db, providers, council, user_factory, org_factory):
    run = make_run(providers, council)
    outsider = user_factory("provider", organisation=org_factory("provider", name="Elm Outsiders"))
    clock.set_now(RUN_DAY)
    try:
        with pytest.raises(NotPermitted):
            services.save_reply(run, outsider, "We are not in it.")
        with pytest.raises(NotPermitted):
            services.save_reply(run, user_factory("commissioner", organisation=council), "A council note.")
    finally:
        clock.set_now(None)


def test_a_reply_with_a_childs_details_needs_confirmation(db, providers, council, provider_user):
    run = make_run(providers, council)
    clock.set_now(RUN_DAY)
    try:
        with pytest.raises(ChildDataWarning):
            services.save_reply(run, provider_user, "One child, DOB 03/04/2012, moved on.")
        with pytest.raises(RuleViolation):
            services.save_reply(run, provider_user, "   ")
    finally:
        clock.set_now(None)


def test_a_run_from_real_verified_returns(db, world, user_factory, runner):
    from tests.unit.outcomes.builders import LATER, contracted, stability, submitted

    contract = contracted(world)
    ret = submitted(world, stability(contract), "2026-Q2", cohort=12, achieved=8)
    returns.verify_return(ret, world.c2, now=LATER)
    clock.set_now(LATER)
    try:
        run = services.start_run(user_factory("admin"))
    finally:
        clock.set_now(None)
    strata = json.loads(run.inputs)["strata"]
    assert {(s["intensity"], s["age_band"], s["cohort"]) for s in strata} == {("high", "11-15", 6),
                                                                            ("medium", "16-17", 6)}
    assert {s["provider_org_id"] for s in strata} == {contract.provider_org_id}
    assert services.reproduce(run).matches
    by_command = runner.invoke(args=["benchmarks", "run", "--as-of", "2026-10-20"])
    assert by_command.exit_code == 0 and "right of reply until" in by_command.output, by_command.output


def test_the_same_inputs_in_any_order_give_the_same_results_hash():
    import random

    from benchmarking.runs import hash_of, results_document
    from tests.unit.benchmarking.builders import simulate

    rows = simulate(random.Random(3), 12)
    shuffled = rows[:]
    random.Random(4).shuffle(shuffled)
    assert hash_of(results_document(rows, [])) == hash_of(results_document(shuffled, []))


def test_the_run_command_says_why_it_cannot_run_without_returns(db, runner):
    result = runner.invoke(args=["benchmarks", "run", "--as-of", "2026-12-01"])
    assert result.exit_code == 1
    assert "no verified outcome returns" in result.output
