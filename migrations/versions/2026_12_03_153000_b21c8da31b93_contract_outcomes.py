"""Contract outcomes after the award: terms, outcomes, returns with their strata, evidence and decisions,
payment statements with their lines, and UK9-scale performance ratings.

Revision ID: b21c8da31b93
Revises: 3694357eeb94
Create Date: 2026-12-03 14:07:38.012485

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b21c8da31b93"
down_revision = "3694357eeb94"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('formula_version', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('base_pence', sa.BigInteger(), nullable=False),
    sa.Column('at_risk_pence', sa.BigInteger(), nullable=False),
    sa.Column('earned_pence', sa.BigInteger(), nullable=False),
    sa.Column('withheld_pence', sa.BigInteger(), nullable=False),
    sa.Column('adjustment_pence', sa.BigInteger(), nullable=False),
    sa.Column('calculated_by_id', sa.Integer(), nullable=False),
    sa.Column('calculated_at', sa.DateTime(), nullable=False),
    sa.Column('audit_seq', sa.BigInteger(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('calculated', 'approved', 'superseded')", name=op.f('ck_outcome_statement_status')),
    sa.CheckConstraint('earned_pence + withheld_pence = at_risk_pence', name=op.f('ck_outcome_statement_balance')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user.id'], name=op.f('fk_outcome_statement_approved_by_id_user')),
    sa.ForeignKeyConstraint(['calculated_by_id'], ['user.id'], name=op.f('fk_outcome_statement_calculated_by_id_user')),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_outcome_statement_contract_id_procurement_contract')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_statement'))
    )
    with op.batch_alter_table('outcome_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_statement_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_statement_status'), ['status'], unique=False)

    op.create_table('outcome_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('period_months', sa.Integer(), nullable=False),
    sa.Column('value_pence', sa.BigInteger(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('formula_version', sa.String(length=20), nullable=False),
    sa.Column('uk9_required', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('period_months IN (1, 3, 6, 12)', name=op.f('ck_outcome_terms_period')),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_outcome_terms_contract_id_procurement_contract')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_outcome_terms_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_terms')),
    sa.UniqueConstraint('contract_id', name=op.f('uq_outcome_terms_contract_id'))
    )
    with op.batch_alter_table('outcome_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_terms_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('contract_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terms_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('spec_outcome_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('target_text', sa.Text(), nullable=False),
    sa.Column('evidence_source', sa.Text(), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('formula', sa.String(length=20), nullable=False),
    sa.Column('baseline', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('target', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('tiers', sa.Text(), nullable=False),
    sa.Column('at_risk_percent', sa.Integer(), nullable=False),
    sa.Column('cap_percent', sa.Integer(), nullable=False),
    sa.CheckConstraint("direction IN ('higher', 'lower')", name=op.f('ck_contract_outcome_direction')),
    sa.CheckConstraint("formula IN ('all_or_nothing', 'linear', 'tiered')", name=op.f('ck_contract_outcome_formula')),
    sa.CheckConstraint("measure IN ('proportion', 'count', 'scale', 'milestone')", name=op.f('ck_contract_outcome_measure')),
    sa.CheckConstraint('at_risk_percent BETWEEN 0 AND 100', name=op.f('ck_contract_outcome_at_risk')),
    sa.CheckConstraint('cap_percent BETWEEN 0 AND 100', name=op.f('ck_contract_outcome_cap')),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_contract_outcome_contract_id_procurement_contract')),
    sa.ForeignKeyConstraint(['spec_outcome_id'], ['spec_outcome.id'], name=op.f('fk_contract_outcome_spec_outcome_id_spec_outcome')),
    sa.ForeignKeyConstraint(['terms_id'], ['outcome_terms.id'], name=op.f('fk_contract_outcome_terms_id_outcome_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_outcome')),
    sa.UniqueConstraint('contract_id', 'position', name='uq_contract_outcome_contract_position')
    )
    with op.batch_alter_table('contract_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_outcome_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_outcome_terms_id'), ['terms_id'], unique=False)

    op.create_table('outcome_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('rating', sa.String(length=30), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('rated_by_id', sa.Integer(), nullable=False),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("rating IN ('good', 'approaching_target', 'requires_improvement', 'inadequate', 'other')", name=op.f('ck_outcome_rating_rating')),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_outcome_rating_contract_id_procurement_contract')),
    sa.ForeignKeyConstraint(['outcome_id'], ['contract_outcome.id'], name=op.f('fk_outcome_rating_outcome_id_contract_outcome')),
    sa.ForeignKeyConstraint(['rated_by_id'], ['user.id'], name=op.f('fk_outcome_rating_rated_by_id_user')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['outcome_rating.id'], name=op.f('fk_outcome_rating_supersedes_id_outcome_rating')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_rating')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_outcome_rating_supersedes_id'))
    )
    with op.batch_alter_table('outcome_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_rating_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_rating_outcome_id'), ['outcome_id'], unique=False)

    op.create_table('outcome_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('cohort', sa.Integer(), nullable=True),
    sa.Column('achieved', sa.Integer(), nullable=True),
    sa.Column('value', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('distance_travelled', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('narrative_md', sa.Text(), nullable=False),
    sa.Column('narrative_html', sa.Text(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('submitted', 'queried', 'verified', 'disputed', 'rejected', 'superseded')", name=op.f('ck_outcome_return_status')),
    sa.CheckConstraint('achieved IS NULL OR achieved >= 0', name=op.f('ck_outcome_return_achieved')),
    sa.CheckConstraint('cohort IS NULL OR cohort >= 0', name=op.f('ck_outcome_return_cohort')),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_outcome_return_contract_id_procurement_contract')),
    sa.ForeignKeyConstraint(['outcome_id'], ['contract_outcome.id'], name=op.f('fk_outcome_return_outcome_id_contract_outcome')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_outcome_return_submitted_by_id_user')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['outcome_return.id'], name=op.f('fk_outcome_return_supersedes_id_outcome_return')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['user.id'], name=op.f('fk_outcome_return_verified_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_return')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_outcome_return_supersedes_id'))
    )
    with op.batch_alter_table('outcome_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_return_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_return_outcome_id'), ['outcome_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_return_status'), ['status'], unique=False)

    op.create_table('outcome_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_outcome_evidence_file_id_stored_file')),
    sa.ForeignKeyConstraint(['return_id'], ['outcome_return.id'], name=op.f('fk_outcome_evidence_return_id_outcome_return')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_outcome_evidence_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_evidence'))
    )
    with op.batch_alter_table('outcome_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_evidence_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_evidence_return_id'), ['return_id'], unique=False)

    op.create_table('outcome_return_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('submitted', 'queried', 'verified', 'disputed', 'resolved')", name=op.f('ck_outcome_return_decision_kind')),
    sa.CheckConstraint("resolution IS NULL OR resolution IN ('upheld', 'amended', 'withdrawn')", name=op.f('ck_outcome_return_decision_resolution')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_outcome_return_decision_actor_id_user')),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_outcome_return_decision_contract_id_procurement_contract')),
    sa.ForeignKeyConstraint(['return_id'], ['outcome_return.id'], name=op.f('fk_outcome_return_decision_return_id_outcome_return')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_return_decision'))
    )
    with op.batch_alter_table('outcome_return_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_return_decision_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_return_decision_return_id'), ['return_id'], unique=False)

    op.create_table('outcome_return_stratum',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('intensity', sa.String(length=20), nullable=False),
    sa.Column('age_band', sa.String(length=10), nullable=False),
    sa.Column('cohort', sa.Integer(), nullable=False),
    sa.Column('achieved', sa.Integer(), nullable=False),
    sa.CheckConstraint('cohort >= 0 AND achieved >= 0 AND achieved <= cohort', name=op.f('ck_outcome_return_stratum_counts')),
    sa.ForeignKeyConstraint(['return_id'], ['outcome_return.id'], name=op.f('fk_outcome_return_stratum_return_id_outcome_return')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_return_stratum')),
    sa.UniqueConstraint('return_id', 'intensity', 'age_band', name='uq_outcome_return_stratum')
    )
    with op.batch_alter_table('outcome_return_stratum', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_return_stratum_return_id'), ['return_id'], unique=False)

    op.create_table('outcome_statement_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=True),
    sa.Column('at_risk_pence', sa.BigInteger(), nullable=False),
    sa.Column('earned_pence', sa.BigInteger(), nullable=False),
    sa.Column('withheld_pence', sa.BigInteger(), nullable=False),
    sa.Column('adjustment_pence', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint('earned_pence + withheld_pence = at_risk_pence', name=op.f('ck_outcome_statement_line_balance')),
    sa.ForeignKeyConstraint(['outcome_id'], ['contract_outcome.id'], name=op.f('fk_outcome_statement_line_outcome_id_contract_outcome')),
    sa.ForeignKeyConstraint(['return_id'], ['outcome_return.id'], name=op.f('fk_outcome_statement_line_return_id_outcome_return')),
    sa.ForeignKeyConstraint(['statement_id'], ['outcome_statement.id'], name=op.f('fk_outcome_statement_line_statement_id_outcome_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_statement_line'))
    )
    with op.batch_alter_table('outcome_statement_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_statement_line_statement_id'), ['statement_id'], unique=False)



def downgrade():
    with op.batch_alter_table('outcome_statement_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_statement_line_statement_id'))

    op.drop_table('outcome_statement_line')
    with op.batch_alter_table('outcome_return_stratum', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_return_stratum_return_id'))

    op.drop_table('outcome_return_stratum')
    with op.batch_alter_table('outcome_return_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_return_decision_return_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_return_decision_contract_id'))

    op.drop_table('outcome_return_decision')
    with op.batch_alter_table('outcome_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_evidence_return_id'))

    op.drop_table('outcome_evidence')
    with op.batch_alter_table('outcome_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_return_status'))
        batch_op.drop_index(batch_op.f('ix_outcome_return_outcome_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_return_contract_id'))

    op.drop_table('outcome_return')
    with op.batch_alter_table('outcome_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_rating_outcome_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_rating_contract_id'))

    op.drop_table('outcome_rating')
    with op.batch_alter_table('contract_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_outcome_terms_id'))
        batch_op.drop_index(batch_op.f('ix_contract_outcome_contract_id'))

    op.drop_table('contract_outcome')
    with op.batch_alter_table('outcome_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_terms_procurement_id'))

    op.drop_table('outcome_terms')
    with op.batch_alter_table('outcome_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_statement_status'))
        batch_op.drop_index(batch_op.f('ix_outcome_statement_contract_id'))

    op.drop_table('outcome_statement')
