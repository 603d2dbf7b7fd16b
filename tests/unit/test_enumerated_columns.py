"""Stages and statuses: the database holds each enumerated column to its StrEnum, on SQLite and PostgreSQL alike.

The CHECK constraints are generated from the enums in the models and added by a migration, so these tests also
catch a model whose enum gained a value without a migration that allows it."""
from datetime import datetime

import pytest
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError

from core.extensions import db as _db
from tenders.models import STAGES, Stage
from tenders.services import procurements


def _enumerated_checks() -> list[tuple[str, str]]:
    """The CHECK constraints core.enums.one_of made (`<column> IN (...)`), not other packages' own rules."""
    return sorted((table.name, str(constraint.name)) for table in _db.metadata.tables.values()
                  for constraint in table.constraints if isinstance(constraint, CheckConstraint)
                  and str(constraint.sqltext).startswith(tuple(f"{c.name} IN (" for c in table.columns)))


def test_every_enumerated_column_has_its_check_constraint_in_the_migrated_database(db):
    checks = _enumerated_checks()
    assert ("procurement", "ck_procurement_stage") in checks and len(checks) >= 11
    inspector = inspect(db.session.connection())
    for table_name, name in checks:
        model_constraint = next(c for c in _db.metadata.tables[table_name].constraints if c.name == name)
        migrated = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table_name)}
        assert name in migrated, f"{name} is in the models but no migration adds it"
        for value in str(model_constraint.sqltext).split("(", 1)[1].rstrip(")").split(", "):
            assert value in migrated[name], f"{name} does not allow {value} in the database"


def test_the_stage_labels_cover_exactly_the_stages():
    assert set(STAGES) == set(Stage)


def test_the_database_refuses_a_procurement_stage_outside_the_enum(db, user_factory):
    commissioner = user_factory("commissioner")
    procurement = procurements.create_procurement(commissioner, title="Fostering", category="fostering", region="",
                                                  subject_md="x", now=datetime(2026, 12, 3, 12, 0))
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(text("UPDATE procurement SET stage = 'shortlisting' WHERE id = :id"),
                           {"id": procurement.id})
    db.session.execute(text("UPDATE procurement SET stage = :stage WHERE id = :id"),
                       {"stage": Stage.TENDER, "id": procurement.id})


def test_the_database_refuses_a_verification_status_outside_the_enum(db):
    insert = text("INSERT INTO audit_verification_run (started_by_label, started_at, heartbeat_at, status, up_to_seq,"
                  " total, checked) VALUES ('auditor', :now, :now, :status, 0, 0, 0)")
    now = datetime(2026, 12, 3, 12, 0)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(insert, {"now": now, "status": "probably fine"})
    db.session.execute(insert, {"now": now, "status": "intact"})
