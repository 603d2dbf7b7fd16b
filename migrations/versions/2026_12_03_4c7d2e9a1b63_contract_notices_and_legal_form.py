"""Contract notices (UK7 contract details, UK9 contract performance, contract termination) and each
organisation's legal form.

Revision ID: 4c7d2e9a1b63
Revises: a7c3e9d1b5f2
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "4c7d2e9a1b63"
down_revision = "a7c3e9d1b5f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procurement_contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details_notice_published_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("terminated_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("termination_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("termination_notice_published_at", sa.DateTime(), nullable=True))
    op.create_table(
        "contract_performance_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("period_ends_on", sa.Date(), nullable=False),
        sa.Column("assessment_md", sa.Text(), nullable=False),
        sa.Column("assessment_html", sa.Text(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["procurement_contract.id"],
                                name=op.f("fk_contract_performance_notice_contract_id_procurement_contract")),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_contract_performance_notice_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["published_by_id"], ["user.id"],
                                name=op.f("fk_contract_performance_notice_published_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_performance_notice")),
    )
    with op.batch_alter_table("contract_performance_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_performance_notice_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_performance_notice_procurement_id"), ["procurement_id"],
                              unique=False)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_form", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("legal_form")
    with op.batch_alter_table("contract_performance_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_performance_notice_procurement_id"))
        batch_op.drop_index(batch_op.f("ix_contract_performance_notice_contract_id"))
    op.drop_table("contract_performance_notice")
    with op.batch_alter_table("procurement_contract", schema=None) as batch_op:
        batch_op.drop_column("termination_notice_published_at")
        batch_op.drop_column("termination_reason")
        batch_op.drop_column("terminated_on")
        batch_op.drop_column("details_notice_published_at")
