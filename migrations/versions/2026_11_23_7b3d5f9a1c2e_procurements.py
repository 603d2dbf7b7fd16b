"""Procurements: stages, specifications and outcomes, clarifications, sealed responses, evaluation, award, contract.

Also creates the one thresholds table (with effective dates) the regime is
derived from, seeded with the light-touch and notifiable below-threshold values.

Revision ID: 7b3d5f9a1c2e
Revises: 65d0f7026f15
Create Date: 2026-11-23 13:30:00

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7b3d5f9a1c2e"
down_revision = "65d0f7026f15"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('procurement_threshold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_threshold'))
    )
    op.create_table('procurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner_org_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('subject_md', sa.Text(), nullable=False),
    sa.Column('subject_html', sa.Text(), nullable=False),
    sa.Column('estimated_value_pence', sa.BigInteger(), nullable=True),
    sa.Column('contract_type', sa.String(length=20), nullable=True),
    sa.Column('duration_months', sa.Integer(), nullable=True),
    sa.Column('extension_months', sa.Integer(), nullable=False),
    sa.Column('review_clauses_md', sa.Text(), nullable=False),
    sa.Column('review_clauses_html', sa.Text(), nullable=False),
    sa.Column('score_max', sa.Integer(), nullable=False),
    sa.Column('engagement_closes_on', sa.Date(), nullable=True),
    sa.Column('engagement_published_at', sa.DateTime(), nullable=True),
    sa.Column('no_engagement_reason', sa.Text(), nullable=True),
    sa.Column('tender_published_at', sa.DateTime(), nullable=True),
    sa.Column('clarification_deadline', sa.DateTime(), nullable=True),
    sa.Column('response_deadline', sa.DateTime(), nullable=True),
    sa.Column('open_requested_by_id', sa.Integer(), nullable=True),
    sa.Column('open_requested_at', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('forum_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_created_by_id_user')),
    sa.ForeignKeyConstraint(['open_requested_by_id'], ['user.id'], name=op.f('fk_procurement_open_requested_by_id_user')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_procurement_opened_by_id_user')),
    sa.ForeignKeyConstraint(['owner_org_id'], ['organisation.id'], name=op.f('fk_procurement_owner_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement')),
    sa.UniqueConstraint('reference', name=op.f('uq_procurement_reference'))
    )
    with op.batch_alter_table('procurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_owner_org_id'), ['owner_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_stage'), ['stage'], unique=False)

    op.create_table('award_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_award_criterion_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_criterion'))
    )
    with op.batch_alter_table('award_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_criterion_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('clarification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('asker_org_id', sa.Integer(), nullable=False),
    sa.Column('asker_user_id', sa.Integer(), nullable=False),
    sa.Column('pseudonym_number', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('answer_md', sa.Text(), nullable=True),
    sa.Column('answer_html', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_late', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_clarification_answered_by_id_user')),
    sa.ForeignKeyConstraint(['asker_org_id'], ['organisation.id'], name=op.f('fk_clarification_asker_org_id_organisation')),
    sa.ForeignKeyConstraint(['asker_user_id'], ['user.id'], name=op.f('fk_clarification_asker_user_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_clarification_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clarification'))
    )
    with op.batch_alter_table('clarification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clarification_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('evaluator_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_moderator', sa.Boolean(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('scores_submitted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_evaluator_assignment_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_evaluator_assignment_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator_assignment')),
    sa.UniqueConstraint('procurement_id', 'user_id', name='uq_evaluator_assignment_procurement_user')
    )
    with op.batch_alter_table('evaluator_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluator_assignment_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('procurement_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('value_pence', sa.BigInteger(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('review_clauses_md', sa.Text(), nullable=False),
    sa.Column('review_clauses_html', sa.Text(), nullable=False),
    sa.Column('regime', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_contract_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'], name=op.f('fk_procurement_contract_provider_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_contract')),
    sa.UniqueConstraint('procurement_id', name=op.f('uq_procurement_contract_procurement_id'))
    )
    op.create_table('procurement_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_document_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_procurement_document_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_document'))
    )
    with op.batch_alter_table('procurement_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_document_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('procurement_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_event_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_event'))
    )
    with op.batch_alter_table('procurement_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_event_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('spec_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('check_errors', sa.Text(), nullable=False),
    sa.Column('check_warnings', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_spec_version_created_by_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_spec_version_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_version')),
    sa.UniqueConstraint('procurement_id', 'number', name='uq_spec_version_procurement_number')
    )
    with op.batch_alter_table('spec_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_version_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('tender_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('needs_reconfirmation', sa.Boolean(), nullable=False),
    sa.Column('reconfirmed_at', sa.DateTime(), nullable=True),
    sa.Column('opened_price_pence', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_tender_response_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'], name=op.f('fk_tender_response_provider_org_id_organisation')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_tender_response_submitted_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_response'))
    )
    with op.batch_alter_table('tender_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_response_procurement_id'), ['procurement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_response_provider_org_id'), ['provider_org_id'], unique=False)

    op.create_table('consensus_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['award_criterion.id'], name=op.f('fk_consensus_score_criterion_id_award_criterion')),
    sa.ForeignKeyConstraint(['moderator_id'], ['user.id'], name=op.f('fk_consensus_score_moderator_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_consensus_score_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['response_id'], ['tender_response.id'], name=op.f('fk_consensus_score_response_id_tender_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_score')),
    sa.UniqueConstraint('response_id', 'criterion_id', name='uq_consensus_score_response_criterion')
    )
    with op.batch_alter_table('consensus_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consensus_score_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('evaluation_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['award_criterion.id'], name=op.f('fk_evaluation_score_criterion_id_award_criterion')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['user.id'], name=op.f('fk_evaluation_score_evaluator_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_evaluation_score_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['response_id'], ['tender_response.id'], name=op.f('fk_evaluation_score_response_id_tender_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_score')),
    sa.UniqueConstraint('response_id', 'criterion_id', 'evaluator_id', name='uq_evaluation_score_response_criterion_evaluator')
    )
    with op.batch_alter_table('evaluation_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_score_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('procurement_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('reasons_md', sa.Text(), nullable=False),
    sa.Column('reasons_html', sa.Text(), nullable=False),
    sa.Column('notice_published_at', sa.DateTime(), nullable=False),
    sa.Column('standstill_applies', sa.Boolean(), nullable=False),
    sa.Column('standstill_ends_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_procurement_award_decided_by_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_award_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['response_id'], ['tender_response.id'], name=op.f('fk_procurement_award_response_id_tender_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_award')),
    sa.UniqueConstraint('procurement_id', name=op.f('uq_procurement_award_procurement_id'))
    )
    op.create_table('spec_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('baseline_method', sa.Text(), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('timescale', sa.String(length=200), nullable=False),
    sa.Column('evidence_source', sa.Text(), nullable=False),
    sa.Column('payment_share', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['spec_version.id'], name=op.f('fk_spec_outcome_version_id_spec_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_outcome'))
    )
    with op.batch_alter_table('spec_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_outcome_version_id'), ['version_id'], unique=False)

    threshold = sa.table(
        "procurement_threshold",
        sa.column("code", sa.String), sa.column("label", sa.String), sa.column("amount_pence", sa.BigInteger),
        sa.column("effective_from", sa.Date), sa.column("effective_to", sa.Date),
    )
    op.bulk_insert(threshold, [
        {"code": "light_touch", "label": "Light-touch services threshold (incl. VAT)", "amount_pence": 66354000,
         "effective_from": date(2024, 1, 1), "effective_to": None},
        {"code": "notifiable_below_threshold",
         "label": "Notifiable below-threshold contract, sub-central authority (incl. VAT)", "amount_pence": 3000000,
         "effective_from": date(2025, 2, 24), "effective_to": None},
    ])


def downgrade():
    with op.batch_alter_table('spec_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_outcome_version_id'))

    op.drop_table('spec_outcome')
    op.drop_table('procurement_award')
    with op.batch_alter_table('evaluation_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_score_procurement_id'))

    op.drop_table('evaluation_score')
    with op.batch_alter_table('consensus_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consensus_score_procurement_id'))

    op.drop_table('consensus_score')
    with op.batch_alter_table('tender_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tender_response_provider_org_id'))
        batch_op.drop_index(batch_op.f('ix_tender_response_procurement_id'))

    op.drop_table('tender_response')
    with op.batch_alter_table('spec_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_version_procurement_id'))

    op.drop_table('spec_version')
    with op.batch_alter_table('procurement_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_event_procurement_id'))

    op.drop_table('procurement_event')
    with op.batch_alter_table('procurement_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_document_procurement_id'))

    op.drop_table('procurement_document')
    op.drop_table('procurement_contract')
    with op.batch_alter_table('evaluator_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluator_assignment_procurement_id'))

    op.drop_table('evaluator_assignment')
    with op.batch_alter_table('clarification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clarification_procurement_id'))

    op.drop_table('clarification')
    with op.batch_alter_table('award_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_criterion_procurement_id'))

    op.drop_table('award_criterion')
    with op.batch_alter_table('procurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_stage'))
        batch_op.drop_index(batch_op.f('ix_procurement_owner_org_id'))

    op.drop_table('procurement')
    op.drop_table('procurement_threshold')
