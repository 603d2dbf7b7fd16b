"""Spin-off proposals, the contract modification register, and the contract's original value.

`procurement_contract.original_value_pence` is the value when the contract
was entered into (modification limits are measured against it); existing rows
are backfilled from `value_pence`, which no modification had changed yet.
Adds two figures to the one thresholds table: the PA23 s.77 publication figure
(£5m) and the sub-central services threshold used for non-light-touch
contracts in the modification check.

Revision ID: d4e5f0ff1a04
Revises: 9d2e4f6a8b10
Create Date: 2026-11-23 16:30:00

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4e5f0ff1a04"
down_revision = "9d2e4f6a8b10"
branch_labels = None
depends_on = None

THRESHOLDS = [
    {"code": "modified_contract_publication",
     "label": "Publication of a modified contract, PA23 s.77 (incl. VAT)", "amount_pence": 500_000_000,
     "effective_from": date(2025, 2, 24), "effective_to": None},
    {"code": "services_sub_central", "label": "Services threshold, sub-central authority (incl. VAT)",
     "amount_pence": 21_490_400, "effective_from": date(2024, 1, 1), "effective_to": None},
]


def upgrade():
    with op.batch_alter_table("procurement_contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_value_pence", sa.BigInteger(), nullable=True))
    op.execute("UPDATE procurement_contract SET original_value_pence = value_pence")
    with op.batch_alter_table("procurement_contract", schema=None) as batch_op:
        batch_op.alter_column("original_value_pence", existing_type=sa.BigInteger(), nullable=False)

    op.create_table(
        "spinoff_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("provider_org_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description_md", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("evidence_md", sa.Text(), nullable=False),
        sa.Column("evidence_html", sa.Text(), nullable=False),
        sa.Column("price_pence", sa.BigInteger(), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("check_snapshot", sa.Text(), nullable=True),
        sa.Column("new_procurement_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["procurement_contract.id"],
                                name=op.f("fk_spinoff_proposal_contract_id_procurement_contract")),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_spinoff_proposal_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["provider_org_id"], ["organisation.id"],
                                name=op.f("fk_spinoff_proposal_provider_org_id_organisation")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["user.id"], name=op.f("fk_spinoff_proposal_proposed_by_id_user")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_spinoff_proposal_decided_by_id_user")),
        sa.ForeignKeyConstraint(["new_procurement_id"], ["procurement.id"],
                                name=op.f("fk_spinoff_proposal_new_procurement_id_procurement")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spinoff_proposal")),
    )
    with op.batch_alter_table("spinoff_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spinoff_proposal_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_spinoff_proposal_procurement_id"), ["procurement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_spinoff_proposal_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_spinoff_proposal_new_procurement_id"), ["new_procurement_id"],
                              unique=False)

    op.create_table(
        "contract_modification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("value_before_pence", sa.BigInteger(), nullable=False),
        sa.Column("value_after_pence", sa.BigInteger(), nullable=False),
        sa.Column("cumulative_percent", sa.String(length=20), nullable=False),
        sa.Column("framework", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=40), nullable=False),
        sa.Column("route_label", sa.String(length=200), nullable=False),
        sa.Column("ground", sa.String(length=200), nullable=False),
        sa.Column("notices", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["procurement_contract.id"],
                                name=op.f("fk_contract_modification_contract_id_procurement_contract")),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_contract_modification_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["proposal_id"], ["spinoff_proposal.id"],
                                name=op.f("fk_contract_modification_proposal_id_spinoff_proposal")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"],
                                name=op.f("fk_contract_modification_decided_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_modification")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_contract_modification_proposal_id")),
    )
    with op.batch_alter_table("contract_modification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_modification_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_modification_procurement_id"), ["procurement_id"],
                              unique=False)

    threshold = sa.table(
        "procurement_threshold",
        sa.column("code", sa.String), sa.column("label", sa.String), sa.column("amount_pence", sa.BigInteger),
        sa.column("effective_from", sa.Date), sa.column("effective_to", sa.Date),
    )
    op.bulk_insert(threshold, THRESHOLDS)


def downgrade():
    op.execute("DELETE FROM procurement_threshold WHERE code IN ('modified_contract_publication', "
               "'services_sub_central')")
    with op.batch_alter_table("contract_modification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_modification_procurement_id"))
        batch_op.drop_index(batch_op.f("ix_contract_modification_contract_id"))
    op.drop_table("contract_modification")
    with op.batch_alter_table("spinoff_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spinoff_proposal_new_procurement_id"))
        batch_op.drop_index(batch_op.f("ix_spinoff_proposal_status"))
        batch_op.drop_index(batch_op.f("ix_spinoff_proposal_procurement_id"))
        batch_op.drop_index(batch_op.f("ix_spinoff_proposal_contract_id"))
    op.drop_table("spinoff_proposal")
    with op.batch_alter_table("procurement_contract", schema=None) as batch_op:
        batch_op.drop_column("original_value_pence")
