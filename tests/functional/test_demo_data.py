"""The demo loads through the services, once, and leaves a verifiable trail."""
from __future__ import annotations

from sqlalchemy import func, select

from accounts.models import Organisation, User
from trail.verification import verify_chain


def test_seed_demo_loads_councils_providers_and_auditors_once(db, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output
    kinds = dict(db.session.execute(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all())
    assert kinds["commissioning_unit"] >= 3 and kinds["consortium"] == 1
    assert kinds["provider"] >= 12 and kinds["auditor_body"] == 1
    in_house = db.session.scalar(select(Organisation).where(Organisation.provider_type == "in_house"))
    assert in_house is not None and in_house.council
    commissioner = db.session.scalar(select(User).where(User.email == "priya.shah@northmere.example"))
    assert commissioner.role == "commissioner" and commissioner.has_totp
    assert verify_chain().ok
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "already loaded" in again.output


def test_the_demo_tender_keeps_its_conflicted_commissioner_out_and_two_others_can_open(db, runner):
    """CC-2026-00004: Tom declared an interest in Fellside Care; the assessment excludes him. After the deadline
    he is refused the opening, while Priya and Owen (no interest) open the box."""
    import pytest

    from core.errors import RuleViolation
    from tenders.models import Procurement
    from tenders.services import conflicts, responses

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    # By title: the reference follows the id, which a PostgreSQL sequence does not reset between tests.
    p = db.session.scalar(select(Procurement).where(
        Procurement.title == "Residential care for children with very challenging behaviour"))
    people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User).where(
        User.email.in_(["priya.shah@northmere.example", "tom.hughes@northmere.example",
                        "owen.clarke@northmere.example"])))}
    tom, priya, owen = people["tom.hughes"], people["priya.shah"], people["owen.clarke"]
    assert conflicts.latest_assessment(p).excluded_user_ids == {tom.id}
    after = p.response_deadline
    with pytest.raises(RuleViolation) as exc:
        responses.open_box(p, tom, now=after)
    assert "excludes you" in str(exc.value)
    responses.open_box(p, priya, now=after)
    responses.open_box(p, owen, now=after)
    assert p.is_opened


def test_demo_has_a_closed_tender_waiting_for_a_second_person_to_open_it(db, runner, app):
    from core import clock
    from tenders.models import Procurement
    from tenders.policy import deadline_passed

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    waiting = db.session.scalars(select(Procurement).where(Procurement.stage == "tender",
                                                           Procurement.open_requested_by_id.is_not(None))).all()
    assert len(waiting) == 1
    p = waiting[0]
    assert deadline_passed(p, clock.utcnow())
    assert db.session.get(User, p.open_requested_by_id).email == "priya.shah@northmere.example"
    from tenders.models import TenderResponse

    sealed = db.session.scalars(select(TenderResponse).where(TenderResponse.procurement_id == p.id,
                                                             TenderResponse.status == "submitted")).all()
    assert len(sealed) == 2 and all(r.opened_price_pence is None for r in sealed)


def test_demo_gives_northmere_an_open_forum(db, runner):
    from forum.models import Forum

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    northmere = db.session.scalar(select(Organisation).where(
        Organisation.name == "Northmere County Council Children's Commissioning"))
    open_forums = [f for f in db.session.scalars(select(Forum).where(Forum.status == "open"))
                   if northmere.id in {o.id for o in f.owners}]
    from forum.models import Meeting

    assert open_forums
    assert db.session.scalar(select(func.count(Meeting.id)).where(
        Meeting.forum_id.in_([f.id for f in open_forums])))


def test_demo_signs_a_first_checkpoint_so_the_public_key_is_served(db, runner, client):
    from trail.checkpoints import check_latest_checkpoint

    assert client.get("/audit/public-key.pem").status_code == 404
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    response = client.get("/audit/public-key.pem")
    assert response.status_code == 200 and b"BEGIN PUBLIC KEY" in response.data
    checkpoint, check = check_latest_checkpoint()
    assert checkpoint is not None and check.ok
