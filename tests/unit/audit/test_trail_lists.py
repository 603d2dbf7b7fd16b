"""The trail page's person, organisation and action lists are built on every view of the trail, so none of
them may read the whole trail: each query on audit_event must go through an index."""
from __future__ import annotations

import pytest
from sqlalchemy import event, text

from oversight import records


def _plans(db, build) -> list[str]:
    """The query plan of every statement `build` runs (SQLite's EXPLAIN QUERY PLAN), one line each."""
    statements: list[tuple[str, object]] = []
    engine = db.session.get_bind()

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        build()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    lines = []
    for statement, parameters in statements:
        rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        lines += [row[-1] for row in rows]
    return lines


@pytest.mark.parametrize("build", [records.trail_actions, records.trail_people, records.trail_organisations],
                         ids=lambda f: f.__name__)
def test_the_trail_page_lists_read_the_trail_through_its_indexes_only(db, build):
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("the plan is read with SQLite's EXPLAIN QUERY PLAN")
    db.session.execute(text("SELECT 1"))
    plans = _plans(db, build)
    assert plans, "no query ran"
    full_scans = [line for line in plans if line.startswith("SCAN audit_event") and "INDEX" not in line]
    assert not full_scans, f"{build.__name__} reads the whole trail: {full_scans}"


def test_the_organisation_list_names_the_organisations_of_people_who_acted(db, org_factory, user_factory):
    from trail import record

    acting_org, _empty_org = org_factory(name="Acting Homes"), org_factory(name="Nobody Yet Homes")
    person = user_factory(organisation=acting_org)
    record("forum.thread_started", actor=person, summary="A thread")
    names = [name for _id, name in records.trail_organisations()]
    assert "Acting Homes" in names and "Nobody Yet Homes" not in names
