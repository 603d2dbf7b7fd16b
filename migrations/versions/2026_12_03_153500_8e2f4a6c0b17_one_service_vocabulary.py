"""One vocabulary of service categories for forums, need statements and procurements: a procurement's
"residential" becomes "childrens_homes" and a forum's "send_day" becomes "send_education", the keys the
shared list uses. And response drafts: a provider's unsent, unsealed response (response_draft).

Revision ID: 8e2f4a6c0b17
Revises: d4b7e1a9c352
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "8e2f4a6c0b17"
down_revision = "d4b7e1a9c352"
branch_labels = None
depends_on = None

RENAMES = [("procurement", "category", "residential", "childrens_homes"),
           ("forum_category", "category", "send_day", "send_education")]


def upgrade() -> None:
    for table, column, old, new in RENAMES:
        op.execute(f"UPDATE {table} SET {column} = '{new}' WHERE {column} = '{old}'")
    op.create_table(
        "response_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("provider_org_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_response_draft_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["provider_org_id"], ["organisation.id"],
                                name=op.f("fk_response_draft_provider_org_id_organisation")),
        sa.ForeignKeyConstraint(["saved_by_id"], ["user.id"], name=op.f("fk_response_draft_saved_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_draft")),
        sa.UniqueConstraint("procurement_id", "provider_org_id", name="uq_response_draft_procurement_provider"),
    )
    with op.batch_alter_table("response_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_response_draft_procurement_id"), ["procurement_id"], unique=False)


def downgrade() -> None:
    op.drop_table("response_draft")
    for table, column, old, new in RENAMES:
        op.execute(f"UPDATE {table} SET {column} = '{old}' WHERE {column} = '{new}'")
