"""Co-design threads and messages, proposals with their decisions, mitigation notes and clause provenance.

Four new append-only tables (rule 3, prior involvement); nothing existing changes.

Revision ID: a1c0de5e9b01
Revises: 9d2e4f6a8b10
Create Date: 2026-11-23 16:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a1c0de5e9b01"
down_revision = "9d2e4f6a8b10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "codesign_thread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_codesign_thread_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["opened_by_id"], ["user.id"], name=op.f("fk_codesign_thread_opened_by_id_user")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_codesign_thread_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codesign_thread")),
    )
    with op.batch_alter_table("codesign_thread", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_codesign_thread_procurement_id"), ["procurement_id"], unique=False)

    op.create_table(
        "codesign_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["codesign_thread.id"],
                                name=op.f("fk_codesign_message_thread_id_codesign_thread")),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_codesign_message_author_id_user")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_codesign_message_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codesign_message")),
    )
    with op.batch_alter_table("codesign_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_codesign_message_thread_id"), ["thread_id"], unique=False)

    op.create_table(
        "codesign_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("section_key", sa.String(length=120), nullable=False),
        sa.Column("section_heading", sa.String(length=200), nullable=False),
        sa.Column("is_new_section", sa.Boolean(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=False),
        sa.Column("base_text", sa.Text(), nullable=False),
        sa.Column("proposed_text", sa.Text(), nullable=False),
        sa.Column("rationale_md", sa.Text(), nullable=False),
        sa.Column("rationale_html", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decision_reason_md", sa.Text(), nullable=True),
        sa.Column("decision_reason_html", sa.Text(), nullable=True),
        sa.Column("adapted_text", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("result_version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_codesign_proposal_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["thread_id"], ["codesign_thread.id"],
                                name=op.f("fk_codesign_proposal_thread_id_codesign_thread")),
        sa.ForeignKeyConstraint(["event_id"], ["procurement_event.id"],
                                name=op.f("fk_codesign_proposal_event_id_procurement_event")),
        sa.ForeignKeyConstraint(["base_version_id"], ["spec_version.id"],
                                name=op.f("fk_codesign_proposal_base_version_id_spec_version")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_codesign_proposal_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_codesign_proposal_recorded_by_id_user")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_codesign_proposal_decided_by_id_user")),
        sa.ForeignKeyConstraint(["result_version_id"], ["spec_version.id"],
                                name=op.f("fk_codesign_proposal_result_version_id_spec_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codesign_proposal")),
    )
    with op.batch_alter_table("codesign_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_codesign_proposal_procurement_id"), ["procurement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_codesign_proposal_thread_id"), ["thread_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_codesign_proposal_event_id"), ["event_id"], unique=False)

    op.create_table(
        "codesign_mitigation_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("shared_md", sa.Text(), nullable=False),
        sa.Column("shared_html", sa.Text(), nullable=False),
        sa.Column("time_limit_md", sa.Text(), nullable=False),
        sa.Column("time_limit_html", sa.Text(), nullable=False),
        sa.Column("providers_json", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_codesign_mitigation_note_procurement_id_procurement")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"],
                                name=op.f("fk_codesign_mitigation_note_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codesign_mitigation_note")),
        sa.UniqueConstraint("procurement_id", "number", name="uq_codesign_mitigation_note_procurement_number"),
    )
    with op.batch_alter_table("codesign_mitigation_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_codesign_mitigation_note_procurement_id"), ["procurement_id"],
                              unique=False)

    op.create_table(
        "codesign_clause_provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section_key", sa.String(length=120), nullable=False),
        sa.Column("heading", sa.String(length=200), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("drafted_by_id", sa.Integer(), nullable=True),
        sa.Column("since_version", sa.Integer(), nullable=False),
        sa.Column("since_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["spec_version.id"],
                                name=op.f("fk_codesign_clause_provenance_version_id_spec_version")),
        sa.ForeignKeyConstraint(["proposal_id"], ["codesign_proposal.id"],
                                name=op.f("fk_codesign_clause_provenance_proposal_id_codesign_proposal")),
        sa.ForeignKeyConstraint(["drafted_by_id"], ["user.id"],
                                name=op.f("fk_codesign_clause_provenance_drafted_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codesign_clause_provenance")),
        sa.UniqueConstraint("version_id", "section_key", name="uq_codesign_clause_provenance_version_section"),
    )
    with op.batch_alter_table("codesign_clause_provenance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_codesign_clause_provenance_version_id"), ["version_id"], unique=False)


def downgrade():
    for table in ("codesign_clause_provenance", "codesign_mitigation_note", "codesign_proposal", "codesign_message",
                  "codesign_thread"):
        op.drop_table(table)
