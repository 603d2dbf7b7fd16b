"""One vocabulary of service categories for forums, need statements and procurements: a procurement's
"residential" becomes "childrens_homes" and a forum's "send_day" becomes "send_education", the keys the
shared list uses.

Revision ID: 8e2f4a6c0b17
Revises: 4c7d2e9a1b63
Create Date: 2026-12-03
"""
from alembic import op

revision = "8e2f4a6c0b17"
down_revision = "4c7d2e9a1b63"
branch_labels = None
depends_on = None

RENAMES = [("procurement", "category", "residential", "childrens_homes"),
           ("forum_category", "category", "send_day", "send_education")]


def upgrade() -> None:
    for table, column, old, new in RENAMES:
        op.execute(f"UPDATE {table} SET {column} = '{new}' WHERE {column} = '{old}'")


def downgrade() -> None:
    for table, column, old, new in RENAMES:
        op.execute(f"UPDATE {table} SET {column} = '{old}' WHERE {column} = '{new}'")
