"""The demo loads through the services, once, and leaves a verifiable trail."""
from __future__ import annotations

from sqlalchemy import func, select

from accounts.models import Organisation, User
from audit.services import verify_chain


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
