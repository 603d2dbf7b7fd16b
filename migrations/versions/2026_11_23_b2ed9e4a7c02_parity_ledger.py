"""The information-parity ledger: private conversations, their messages, bilateral contacts and redactions.

New tables only; nothing existing changes.

Revision ID: b2ed9e4a7c02
Revises: 9d2e4f6a8b10
Create Date: 2026-11-23 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b2ed9e4a7c02"
down_revision = "9d2e4f6a8b10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ledger_conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commissioner_org_id', sa.Integer(), nullable=False),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.Column('tagged_by_id', sa.Integer(), nullable=True),
    sa.Column('tagged_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['commissioner_org_id'], ['organisation.id'],
                            name=op.f('fk_ledger_conversation_commissioner_org_id_organisation')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'],
                            name=op.f('fk_ledger_conversation_provider_org_id_organisation')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'],
                            name=op.f('fk_ledger_conversation_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_ledger_conversation_started_by_id_user')),
    sa.ForeignKeyConstraint(['tagged_by_id'], ['user.id'], name=op.f('fk_ledger_conversation_tagged_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_conversation'))
    )
    with op.batch_alter_table('ledger_conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_conversation_commissioner_org_id'), ['commissioner_org_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_conversation_provider_org_id'), ['provider_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_conversation_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('ledger_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('summary_md', sa.Text(), nullable=True),
    sa.Column('summary_html', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['ledger_conversation.id'],
                            name=op.f('fk_ledger_contact_conversation_id_ledger_conversation')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'],
                            name=op.f('fk_ledger_contact_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'],
                            name=op.f('fk_ledger_contact_provider_org_id_organisation')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_ledger_contact_resolved_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_contact'))
    )
    with op.batch_alter_table('ledger_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_contact_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_contact_procurement_id'), ['procurement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_contact_provider_org_id'), ['provider_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_contact_resolution'), ['resolution'], unique=False)

    op.create_table('ledger_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('author_org_id', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['ledger_conversation.id'],
                            name=op.f('fk_ledger_message_conversation_id_ledger_conversation')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_ledger_message_author_id_user')),
    sa.ForeignKeyConstraint(['author_org_id'], ['organisation.id'],
                            name=op.f('fk_ledger_message_author_org_id_organisation')),
    sa.ForeignKeyConstraint(['contact_id'], ['ledger_contact.id'],
                            name=op.f('fk_ledger_message_contact_id_ledger_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_message'))
    )
    with op.batch_alter_table('ledger_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_message_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_message_contact_id'), ['contact_id'], unique=False)

    op.create_table('ledger_redaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['ledger_contact.id'],
                            name=op.f('fk_ledger_redaction_contact_id_ledger_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_redaction'))
    )
    with op.batch_alter_table('ledger_redaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_redaction_contact_id'), ['contact_id'], unique=False)


def downgrade():
    for table in ('ledger_redaction', 'ledger_message', 'ledger_contact', 'ledger_conversation'):
        op.drop_table(table)
