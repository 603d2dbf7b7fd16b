"""Sufficiency: council areas (loaded from the shipped reference list), neighbours, demand forecasts, settings'
capacity, gap-analysis runs and market position statements; need statements gain an area, a horizon and
a number of children per need.

Revision ID: 3694357eeb94
Revises: 47b6e8a122dc
Create Date: 2026-12-03
"""
import csv
import io
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# The reference list as shipped with this revision (later updates go through `flask sufficiency update-areas`).
AREAS = Path(__file__).resolve().parents[2] / "sufficiency" / "data" / "areas.csv"

revision = '3694357eeb94'
down_revision = "47b6e8a122dc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sufficiency_area',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_sufficiency_area'))
    )
    with op.batch_alter_table('sufficiency_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sufficiency_area_region'), ['region'], unique=False)

    op.create_table('sufficiency_neighbour',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('neighbour_code', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.CheckConstraint("kind IN ('geographic', 'statistical')", name=op.f('ck_sufficiency_neighbour_kind')),
    sa.CheckConstraint('area_code <> neighbour_code', name=op.f('ck_sufficiency_neighbour_not_self')),
    sa.ForeignKeyConstraint(['area_code'], ['sufficiency_area.code'], name=op.f('fk_sufficiency_neighbour_area_code_sufficiency_area')),
    sa.ForeignKeyConstraint(['neighbour_code'], ['sufficiency_area.code'], name=op.f('fk_sufficiency_neighbour_neighbour_code_sufficiency_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sufficiency_neighbour')),
    sa.UniqueConstraint('area_code', 'neighbour_code', name='uq_sufficiency_neighbour_pair')
    )
    with op.batch_alter_table('sufficiency_neighbour', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sufficiency_neighbour_area_code'), ['area_code'], unique=False)

    op.create_table('sufficiency_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('provider_name', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ofsted_urn', sa.String(length=20), nullable=True),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('setting_type', sa.String(length=40), nullable=False),
    sa.Column('categories', sa.String(length=400), nullable=False),
    sa.Column('highest_intensity', sa.String(length=20), nullable=False),
    sa.Column('registered_places', sa.Integer(), nullable=False),
    sa.Column('age_from', sa.Integer(), nullable=False),
    sa.Column('age_to', sa.Integer(), nullable=False),
    sa.Column('legal_form', sa.String(length=40), nullable=True),
    sa.Column('vacancies', sa.Integer(), nullable=True),
    sa.Column('vacancies_confirmed_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("highest_intensity IN ('low', 'medium', 'high', 'very_high')", name=op.f('ck_sufficiency_setting_intensity')),
    sa.CheckConstraint("setting_type IN ('childrens_home', 'secure_childrens_home', 'residential_special_school', 'independent_fostering_agency', 'supported_accommodation', 'residential_family_centre', 'short_breaks', 'other')", name=op.f('ck_sufficiency_setting_type')),
    sa.CheckConstraint("source IN ('declared', 'imported')", name=op.f('ck_sufficiency_setting_source')),
    sa.CheckConstraint('age_from <= age_to', name=op.f('ck_sufficiency_setting_ages')),
    sa.CheckConstraint('registered_places >= 0', name=op.f('ck_sufficiency_setting_places')),
    sa.CheckConstraint('vacancies IS NULL OR (vacancies >= 0 AND vacancies <= registered_places)', name=op.f('ck_sufficiency_setting_vacancies')),
    sa.ForeignKeyConstraint(['area_code'], ['sufficiency_area.code'], name=op.f('fk_sufficiency_setting_area_code_sufficiency_area')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sufficiency_setting_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sufficiency_setting')),
    sa.UniqueConstraint('ofsted_urn', name=op.f('uq_sufficiency_setting_ofsted_urn'))
    )
    with op.batch_alter_table('sufficiency_setting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sufficiency_setting_area_code'), ['area_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_sufficiency_setting_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('sufficiency_forecast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sufficiency_forecast_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_sufficiency_forecast_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sufficiency_forecast'))
    )
    with op.batch_alter_table('sufficiency_forecast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sufficiency_forecast_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('sufficiency_gap_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('method_version', sa.String(length=20), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('inputs_sha256', sa.String(length=64), nullable=False),
    sa.Column('inputs_json', sa.Text(), nullable=False),
    sa.Column('results_json', sa.Text(), nullable=False),
    sa.Column('published_json', sa.Text(), nullable=False),
    sa.Column('run_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['run_by_id'], ['user.id'], name=op.f('fk_sufficiency_gap_run_run_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sufficiency_gap_run'))
    )
    with op.batch_alter_table('sufficiency_gap_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sufficiency_gap_run_inputs_sha256'), ['inputs_sha256'], unique=False)

    op.create_table('sufficiency_forecast_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forecast_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('intensity', sa.String(length=20), nullable=False),
    sa.Column('horizon', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint("category IN ('emotional_wellbeing', 'behaviour', 'communication', 'cognition', 'sensory_physical', 'health', 'safety', 'family', 'independence')", name=op.f('ck_sufficiency_forecast_line_category')),
    sa.CheckConstraint("horizon IN ('now', '12_months', '3_years')", name=op.f('ck_sufficiency_forecast_line_horizon')),
    sa.CheckConstraint("intensity IN ('low', 'medium', 'high', 'very_high')", name=op.f('ck_sufficiency_forecast_line_intensity')),
    sa.CheckConstraint('count >= 0', name=op.f('ck_sufficiency_forecast_line_count')),
    sa.ForeignKeyConstraint(['area_code'], ['sufficiency_area.code'], name=op.f('fk_sufficiency_forecast_line_area_code_sufficiency_area')),
    sa.ForeignKeyConstraint(['forecast_id'], ['sufficiency_forecast.id'], name=op.f('fk_sufficiency_forecast_line_forecast_id_sufficiency_forecast')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sufficiency_forecast_line'))
    )
    with op.batch_alter_table('sufficiency_forecast_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sufficiency_forecast_line_forecast_id'), ['forecast_id'], unique=False)

    op.create_table('sufficiency_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('narrative_md', sa.Text(), nullable=False),
    sa.Column('narrative_html', sa.Text(), nullable=False),
    sa.Column('gap_run_id', sa.Integer(), nullable=False),
    sa.Column('area_codes', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('published', 'withdrawn')", name=op.f('ck_sufficiency_statement_status')),
    sa.ForeignKeyConstraint(['gap_run_id'], ['sufficiency_gap_run.id'], name=op.f('fk_sufficiency_statement_gap_run_id_sufficiency_gap_run')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sufficiency_statement_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_sufficiency_statement_published_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sufficiency_statement')),
    sa.UniqueConstraint('organisation_id', 'version', name='uq_sufficiency_statement_org_version')
    )
    with op.batch_alter_table('sufficiency_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sufficiency_statement_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sufficiency_statement_published_at'), ['published_at'], unique=False)

    op.create_table('sufficiency_statement_procurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('attached_by_id', sa.Integer(), nullable=False),
    sa.Column('attached_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attached_by_id'], ['user.id'], name=op.f('fk_sufficiency_statement_procurement_attached_by_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_sufficiency_statement_procurement_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['statement_id'], ['sufficiency_statement.id'], name=op.f('fk_sufficiency_statement_procurement_statement_id_sufficiency_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sufficiency_statement_procurement')),
    sa.UniqueConstraint('statement_id', 'procurement_id', name='uq_sufficiency_statement_procurement')
    )
    with op.batch_alter_table('sufficiency_statement_procurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sufficiency_statement_procurement_procurement_id'), ['procurement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sufficiency_statement_procurement_statement_id'), ['statement_id'], unique=False)

    with op.batch_alter_table('forum_need_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('children', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('forum_need_statement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_code', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('horizon', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_forum_need_statement_area_code'), ['area_code'], unique=False)

    _load_areas()


def _load_areas() -> None:
    text = AREAS.read_text(encoding="utf-8")
    comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    source = " ".join(c for c in comments if c.lower().startswith(("source:", "date:")))[:300]
    rows = csv.DictReader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#"))))
    table = sa.table("sufficiency_area", sa.column("code"), sa.column("name"), sa.column("region"),
                     sa.column("source"), sa.column("is_demo"))
    op.bulk_insert(table, [{"code": r["code"], "name": r["name"], "region": r["region"], "source": source,
                            "is_demo": False} for r in rows])


def downgrade() -> None:
    with op.batch_alter_table('forum_need_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_need_statement_area_code'))
        batch_op.drop_column('horizon')
        batch_op.drop_column('area_code')

    with op.batch_alter_table('forum_need_item', schema=None) as batch_op:
        batch_op.drop_column('children')

    with op.batch_alter_table('sufficiency_statement_procurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sufficiency_statement_procurement_statement_id'))
        batch_op.drop_index(batch_op.f('ix_sufficiency_statement_procurement_procurement_id'))

    op.drop_table('sufficiency_statement_procurement')
    with op.batch_alter_table('sufficiency_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sufficiency_statement_published_at'))
        batch_op.drop_index(batch_op.f('ix_sufficiency_statement_organisation_id'))

    op.drop_table('sufficiency_statement')
    with op.batch_alter_table('sufficiency_forecast_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sufficiency_forecast_line_forecast_id'))

    op.drop_table('sufficiency_forecast_line')
    with op.batch_alter_table('sufficiency_gap_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sufficiency_gap_run_inputs_sha256'))

    op.drop_table('sufficiency_gap_run')
    with op.batch_alter_table('sufficiency_forecast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sufficiency_forecast_organisation_id'))

    op.drop_table('sufficiency_forecast')
    with op.batch_alter_table('sufficiency_setting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sufficiency_setting_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_sufficiency_setting_area_code'))

    op.drop_table('sufficiency_setting')
    with op.batch_alter_table('sufficiency_neighbour', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sufficiency_neighbour_area_code'))

    op.drop_table('sufficiency_neighbour')
    with op.batch_alter_table('sufficiency_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sufficiency_area_region'))

    op.drop_table('sufficiency_area')
