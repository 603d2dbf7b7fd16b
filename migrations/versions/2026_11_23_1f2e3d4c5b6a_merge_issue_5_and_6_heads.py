"""Merge the heads written in parallel for issues 5 and 6 (co-design, ledger, conflicts, spin-offs, API tokens,
verification runs) into one, so `flask db migrate` has a single parent again.

Revision ID: 1f2e3d4c5b6a
Revises: a1c0de5e9b01, b2ed9e4a7c02, c3f1ac7d8e03, d4e5f0ff1a04, e5a9170ce505, f6b7c8d9e0a1
Create Date: 2026-11-23
"""

revision = "1f2e3d4c5b6a"
down_revision = ("a1c0de5e9b01", "b2ed9e4a7c02", "c3f1ac7d8e03", "d4e5f0ff1a04", "e5a9170ce505", "f6b7c8d9e0a1")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
