"""Stages and statuses hold only their enumerated values: a CHECK constraint on each column.

The values are frozen here as they were when the constraints were added; a later change to an enum adds its own
revision. Batch mode rebuilds each table on SQLite (none of these tables carries a trigger).

Revision ID: 2ac6098029d0
Revises: 8e2f4a6c0b17
Create Date: 2026-12-03
"""
from alembic import op

revision = "2ac6098029d0"
down_revision = "8e2f4a6c0b17"
branch_labels = None
depends_on = None

STAGES = ("planning", "engagement", "tender", "evaluation", "award", "contract", "cancelled", "unsuccessful")

# table -> column -> allowed values; each constraint is named ck_<table>_<column> (the metadata's convention).
CHECKS = {
    "procurement": {"stage": STAGES},
    "conflict_declaration": {"stage": STAGES},
    "conflicts_assessment": {"stage": STAGES},
    "tender_response": {"status": ("submitted", "withdrawn", "superseded")},
    "spinoff_proposal": {"status": ("proposed", "accepted", "declined", "new_procurement")},
    "codesign_proposal": {"decision": ("accepted", "adapted", "declined")},
    "ledger_contact": {"resolution": ("disclosed", "not_material", "not_about_live_procurement")},
    "forum": {"status": ("open", "closed", "archived")},
    "forum_need_statement": {"status": ("open", "being_addressed", "met")},
    "forum_meeting_registration": {"status": ("registered", "waiting", "cancelled")},
    "audit_verification_run": {"status": ("running", "intact", "broken", "failed", "abandoned")},
}


def upgrade() -> None:
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                listed = ", ".join(f"'{value}'" for value in values)
                batch_op.create_check_constraint(op.f(f"ck_{table}_{column}"), f"{column} IN ({listed})")


def downgrade() -> None:
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
