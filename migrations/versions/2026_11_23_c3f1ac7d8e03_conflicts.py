"""Declarations of interest and the conflicts assessment (PA23 ss.81-83).

Three new append-only tables; nothing existing changes.

Revision ID: c3f1ac7d8e03
Revises: 9d2e4f6a8b10
Create Date: 2026-11-23 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3f1ac7d8e03"
down_revision = "9d2e4f6a8b10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conflict_declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("roles", sa.String(length=100), nullable=False),
        sa.Column("has_interest", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_conflict_declaration_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_conflict_declaration_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_declaration")),
    )
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflict_declaration_procurement_id"), ["procurement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conflict_declaration_user_id"), ["user_id"], unique=False)

    op.create_table(
        "conflicts_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("none_identified", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_conflicts_assessment_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"],
                                name=op.f("fk_conflicts_assessment_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts_assessment")),
        sa.UniqueConstraint("procurement_id", "version", name="uq_conflicts_assessment_procurement_version"),
    )
    with op.batch_alter_table("conflicts_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflicts_assessment_procurement_id"), ["procurement_id"], unique=False)

    op.create_table(
        "conflicts_assessment_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["conflicts_assessment.id"],
                                name=op.f("fk_conflicts_assessment_entry_assessment_id_conflicts_assessment")),
        sa.ForeignKeyConstraint(["declaration_id"], ["conflict_declaration.id"],
                                name=op.f("fk_conflicts_assessment_entry_declaration_id_conflict_declaration")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts_assessment_entry")),
    )
    with op.batch_alter_table("conflicts_assessment_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflicts_assessment_entry_assessment_id"), ["assessment_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_conflicts_assessment_entry_declaration_id"), ["declaration_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("conflicts_assessment_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_assessment_entry_declaration_id"))
        batch_op.drop_index(batch_op.f("ix_conflicts_assessment_entry_assessment_id"))
    op.drop_table("conflicts_assessment_entry")
    with op.batch_alter_table("conflicts_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_assessment_procurement_id"))
    op.drop_table("conflicts_assessment")
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_declaration_user_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_declaration_procurement_id"))
    op.drop_table("conflict_declaration")
