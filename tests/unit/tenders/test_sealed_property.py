"""Property: whatever anyone does, in any order, nobody reads a sealed response early.

Random sequences of actions (fixed seeds, so a failure reproduces) by every
kind of actor at random times around the deadline. After each step every actor
tries to read every response; a read may succeed only if the deadline has
passed and two different commissioners of the owning organisation opened the
box, and only for those commissioners and auditors.
"""
import random
from datetime import timedelta

from core.errors import DomainError
from tenders.services import responses
from tests.unit.tenders.builders import DEADLINE, T0, in_tender, submit

ACTIONS = ("submit", "submit", "withdraw", "open", "open", "tick")
SEEDS = range(12)


def _run(world, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    p = in_tender(world)
    now = T0
    actors = [world.c1, world.c2, world.other_commissioner, world.p1, world.p2, world.unverified, world.in_house,
              world.auditor, world.admin]
    # Commissioners act more often, so two-person openings actually happen in some runs.
    doers = actors + [world.c1, world.c2] * 3
    refused_early = allowed = 0
    for _ in range(36):
        action, actor = rng.choice(ACTIONS), rng.choice(doers)
        try:
            if action == "submit":
                submit(world, p, actor, rng.randint(1, 10_000_000), now=now)
            elif action == "withdraw":
                current = responses.current_response(p, actor.organisation_id)
                if current:
                    responses.withdraw_response(current, actor, now=now)
            elif action == "open":
                responses.open_box(p, actor, now=now)
            else:
                now += timedelta(hours=rng.choice([1, 24, 72, 200]))
        except DomainError:
            pass
        for response in responses.responses_for(p):
            for reader in actors:
                try:
                    responses.read_response(response, reader, now=now)
                except DomainError:
                    refused_early += now < DEADLINE
                    continue
                allowed += 1
                assert now >= DEADLINE, f"seed {seed}: a response was read before the deadline"
                assert p.opened_at is not None and p.opened_by_id != p.open_requested_by_id, f"seed {seed}"
                assert {p.opened_by_id, p.open_requested_by_id} <= {world.c1.id, world.c2.id}, f"seed {seed}"
                assert reader in (world.c1, world.c2, world.auditor), f"seed {seed}: {reader.full_name} read it"
    return refused_early, allowed


def test_random_action_sequences_never_let_anyone_read_a_sealed_response_early(db, world):
    totals = [_run(world, seed) for seed in SEEDS]
    # The sequences really exercised both sides of the rule.
    assert sum(refused for refused, _ in totals) > 0
    assert sum(allowed for _, allowed in totals) > 0
