"""Untagged bilateral contacts: a contact may concern no procurement yet, and is disclosed to those named.

While a commissioning organisation has a procurement in engagement or tender,
every private message with a provider is a contact, even when nobody picked a
procurement. So ledger_contact.procurement_id becomes nullable; the resolution
column widens for "not_about_live_procurement"; and ledger_contact_disclosed_to
records the procurements an untagged contact was disclosed to. Existing rows
are unchanged: every one of them is tagged.

Revision ID: 5c1d7e9a3b42
Revises: 5e1a7c3b9d20
Create Date: 2026-12-03 09:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c1d7e9a3b42"
down_revision = "5e1a7c3b9d20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ledger_contact", schema=None) as batch_op:
        batch_op.alter_column("procurement_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("resolution", existing_type=sa.String(length=20), type_=sa.String(length=30),
                              existing_nullable=True)
    op.create_table(
        "ledger_contact_disclosed_to",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["ledger_contact.id"],
                                name=op.f("fk_ledger_contact_disclosed_to_contact_id_ledger_contact")),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_ledger_contact_disclosed_to_procurement_id_procurement")),
        sa.PrimaryKeyConstraint("contact_id", "procurement_id", name=op.f("pk_ledger_contact_disclosed_to")),
    )
    with op.batch_alter_table("ledger_contact_disclosed_to", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_contact_disclosed_to_procurement_id"), ["procurement_id"],
                              unique=False)


def downgrade():
    """Refuses while untagged contacts exist: they cannot be given a procurement after the fact."""
    connection = op.get_bind()
    untagged = connection.execute(sa.text("SELECT COUNT(*) FROM ledger_contact WHERE procurement_id IS NULL")).scalar()
    if untagged:
        raise RuntimeError(f"{untagged} untagged bilateral contacts exist; they cannot be kept without this revision")
    with op.batch_alter_table("ledger_contact_disclosed_to", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_contact_disclosed_to_procurement_id"))
    op.drop_table("ledger_contact_disclosed_to")
    with op.batch_alter_table("ledger_contact", schema=None) as batch_op:
        batch_op.alter_column("resolution", existing_type=sa.String(length=30), type_=sa.String(length=20),
                              existing_nullable=True)
        batch_op.alter_column("procurement_id", existing_type=sa.Integer(), nullable=False)
