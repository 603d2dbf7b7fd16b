"""Conflicts: the provider organisation a declared interest involves, and the people an assessment excludes.

Revision ID: 5e1a7c3b9d20
Revises: 6c8daf2b4e31
Create Date: 2026-12-03 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1a7c3b9d20"
down_revision = "6c8daf2b4e31"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_conflict_declaration_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_conflict_declaration_organisation_id_organisation"),
                                    "organisation", ["organisation_id"], ["id"])
    op.create_table(
        "conflicts_assessment_exclusion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["conflicts_assessment.id"],
                                name=op.f("fk_conflicts_assessment_exclusion_assessment_id_conflicts_assessment")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_conflicts_assessment_exclusion_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts_assessment_exclusion")),
        sa.UniqueConstraint("assessment_id", "user_id", name="uq_conflicts_assessment_exclusion_person"),
    )
    with op.batch_alter_table("conflicts_assessment_exclusion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflicts_assessment_exclusion_assessment_id"), ["assessment_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("conflicts_assessment_exclusion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_assessment_exclusion_assessment_id"))
    op.drop_table("conflicts_assessment_exclusion")
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_conflict_declaration_organisation_id_organisation"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_conflict_declaration_organisation_id"))
        batch_op.drop_column("organisation_id")
