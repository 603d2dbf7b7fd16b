"""Sufficiency: council areas (loaded from the shipped reference list), neighbours, demand forecasts, settings'
capacity, gap-analysis runs and market position statements; need statements gain an area, a horizon and
a number of children per need.

Revision ID: 3694357eeb94
Revises: 47b6e8a122dc
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

# The reference list as shipped with this revision, frozen here so the revision never changes when
# sufficiency/data/areas.csv does (later updates go through `flask sufficiency update-areas`).
AREAS_SOURCE = (
    'Date: 2023-04-01 Source: Office for National Statistics, "Counties and Unitary Authorities (April '
    '2023) Names and Codes in the UK" (Open Geography Portal), with ONS "Local Authority District to '
    'Region (April 2023) Lookup" for the English regions. Contains public sector information licensed '
    'under the'
)
AREAS = [
    ('E06000001', 'Hartlepool', 'North East'),
    ('E06000002', 'Middlesbrough', 'North East'),
    ('E06000003', 'Redcar and Cleveland', 'North East'),
    ('E06000004', 'Stockton-on-Tees', 'North East'),
    ('E06000005', 'Darlington', 'North East'),
    ('E06000047', 'County Durham', 'North East'),
    ('E06000057', 'Northumberland', 'North East'),
    ('E08000021', 'Newcastle upon Tyne', 'North East'),
    ('E08000022', 'North Tyneside', 'North East'),
    ('E08000023', 'South Tyneside', 'North East'),
    ('E08000024', 'Sunderland', 'North East'),
    ('E08000037', 'Gateshead', 'North East'),
    ('E06000006', 'Halton', 'North West'),
    ('E06000007', 'Warrington', 'North West'),
    ('E06000008', 'Blackburn with Darwen', 'North West'),
    ('E06000009', 'Blackpool', 'North West'),
    ('E06000049', 'Cheshire East', 'North West'),
    ('E06000050', 'Cheshire West and Chester', 'North West'),
    ('E06000063', 'Cumberland', 'North West'),
    ('E06000064', 'Westmorland and Furness', 'North West'),
    ('E08000001', 'Bolton', 'North West'),
    ('E08000002', 'Bury', 'North West'),
    ('E08000003', 'Manchester', 'North West'),
    ('E08000004', 'Oldham', 'North West'),
    ('E08000005', 'Rochdale', 'North West'),
    ('E08000006', 'Salford', 'North West'),
    ('E08000007', 'Stockport', 'North West'),
    ('E08000008', 'Tameside', 'North West'),
    ('E08000009', 'Trafford', 'North West'),
    ('E08000010', 'Wigan', 'North West'),
    ('E08000011', 'Knowsley', 'North West'),
    ('E08000012', 'Liverpool', 'North West'),
    ('E08000013', 'St. Helens', 'North West'),
    ('E08000014', 'Sefton', 'North West'),
    ('E08000015', 'Wirral', 'North West'),
    ('E10000017', 'Lancashire', 'North West'),
    ('E06000010', 'Kingston upon Hull, City of', 'Yorkshire and the Humber'),
    ('E06000011', 'East Riding of Yorkshire', 'Yorkshire and the Humber'),
    ('E06000012', 'North East Lincolnshire', 'Yorkshire and the Humber'),
    ('E06000013', 'North Lincolnshire', 'Yorkshire and the Humber'),
    ('E06000014', 'York', 'Yorkshire and the Humber'),
    ('E06000065', 'North Yorkshire', 'Yorkshire and the Humber'),
    ('E08000016', 'Barnsley', 'Yorkshire and the Humber'),
    ('E08000017', 'Doncaster', 'Yorkshire and the Humber'),
    ('E08000018', 'Rotherham', 'Yorkshire and the Humber'),
    ('E08000019', 'Sheffield', 'Yorkshire and the Humber'),
    ('E08000032', 'Bradford', 'Yorkshire and the Humber'),
    ('E08000033', 'Calderdale', 'Yorkshire and the Humber'),
    ('E08000034', 'Kirklees', 'Yorkshire and the Humber'),
    ('E08000035', 'Leeds', 'Yorkshire and the Humber'),
    ('E08000036', 'Wakefield', 'Yorkshire and the Humber'),
    ('E06000015', 'Derby', 'East Midlands'),
    ('E06000016', 'Leicester', 'East Midlands'),
    ('E06000017', 'Rutland', 'East Midlands'),
    ('E06000018', 'Nottingham', 'East Midlands'),
    ('E06000061', 'North Northamptonshire', 'East Midlands'),
    ('E06000062', 'West Northamptonshire', 'East Midlands'),
    ('E10000007', 'Derbyshire', 'East Midlands'),
    ('E10000018', 'Leicestershire', 'East Midlands'),
    ('E10000019', 'Lincolnshire', 'East Midlands'),
    ('E10000024', 'Nottinghamshire', 'East Midlands'),
    ('E06000019', 'Herefordshire, County of', 'West Midlands'),
    ('E06000020', 'Telford and Wrekin', 'West Midlands'),
    ('E06000021', 'Stoke-on-Trent', 'West Midlands'),
    ('E06000051', 'Shropshire', 'West Midlands'),
    ('E08000025', 'Birmingham', 'West Midlands'),
    ('E08000026', 'Coventry', 'West Midlands'),
    ('E08000027', 'Dudley', 'West Midlands'),
    ('E08000028', 'Sandwell', 'West Midlands'),
    ('E08000029', 'Solihull', 'West Midlands'),
    ('E08000030', 'Walsall', 'West Midlands'),
    ('E08000031', 'Wolverhampton', 'West Midlands'),
    ('E10000028', 'Staffordshire', 'West Midlands'),
    ('E10000031', 'Warwickshire', 'West Midlands'),
    ('E10000034', 'Worcestershire', 'West Midlands'),
    ('E06000031', 'Peterborough', 'East of England'),
    ('E06000032', 'Luton', 'East of England'),
    ('E06000033', 'Southend-on-Sea', 'East of England'),
    ('E06000034', 'Thurrock', 'East of England'),
    ('E06000055', 'Bedford', 'East of England'),
    ('E06000056', 'Central Bedfordshire', 'East of England'),
    ('E10000003', 'Cambridgeshire', 'East of England'),
    ('E10000012', 'Essex', 'East of England'),
    ('E10000015', 'Hertfordshire', 'East of England'),
    ('E10000020', 'Norfolk', 'East of England'),
    ('E10000029', 'Suffolk', 'East of England'),
    ('E09000001', 'City of London', 'London'),
    ('E09000002', 'Barking and Dagenham', 'London'),
    ('E09000003', 'Barnet', 'London'),
    ('E09000004', 'Bexley', 'London'),
    ('E09000005', 'Brent', 'London'),
    ('E09000006', 'Bromley', 'London'),
    ('E09000007', 'Camden', 'London'),
    ('E09000008', 'Croydon', 'London'),
    ('E09000009', 'Ealing', 'London'),
    ('E09000010', 'Enfield', 'London'),
    ('E09000011', 'Greenwich', 'London'),
    ('E09000012', 'Hackney', 'London'),
    ('E09000013', 'Hammersmith and Fulham', 'London'),
    ('E09000014', 'Haringey', 'London'),
    ('E09000015', 'Harrow', 'London'),
    ('E09000016', 'Havering', 'London'),
    ('E09000017', 'Hillingdon', 'London'),
    ('E09000018', 'Hounslow', 'London'),
    ('E09000019', 'Islington', 'London'),
    ('E09000020', 'Kensington and Chelsea', 'London'),
    ('E09000021', 'Kingston upon Thames', 'London'),
    ('E09000022', 'Lambeth', 'London'),
    ('E09000023', 'Lewisham', 'London'),
    ('E09000024', 'Merton', 'London'),
    ('E09000025', 'Newham', 'London'),
    ('E09000026', 'Redbridge', 'London'),
    ('E09000027', 'Richmond upon Thames', 'London'),
    ('E09000028', 'Southwark', 'London'),
    ('E09000029', 'Sutton', 'London'),
    ('E09000030', 'Tower Hamlets', 'London'),
    ('E09000031', 'Waltham Forest', 'London'),
    ('E09000032', 'Wandsworth', 'London'),
    ('E09000033', 'Westminster', 'London'),
    ('E06000035', 'Medway', 'South East'),
    ('E06000036', 'Bracknell Forest', 'South East'),
    ('E06000037', 'West Berkshire', 'South East'),
    ('E06000038', 'Reading', 'South East'),
    ('E06000039', 'Slough', 'South East'),
    ('E06000040', 'Windsor and Maidenhead', 'South East'),
    ('E06000041', 'Wokingham', 'South East'),
    ('E06000042', 'Milton Keynes', 'South East'),
    ('E06000043', 'Brighton and Hove', 'South East'),
    ('E06000044', 'Portsmouth', 'South East'),
    ('E06000045', 'Southampton', 'South East'),
    ('E06000046', 'Isle of Wight', 'South East'),
    ('E06000060', 'Buckinghamshire', 'South East'),
    ('E10000011', 'East Sussex', 'South East'),
    ('E10000014', 'Hampshire', 'South East'),
    ('E10000016', 'Kent', 'South East'),
    ('E10000025', 'Oxfordshire', 'South East'),
    ('E10000030', 'Surrey', 'South East'),
    ('E10000032', 'West Sussex', 'South East'),
    ('E06000022', 'Bath and North East Somerset', 'South West'),
    ('E06000023', 'Bristol, City of', 'South West'),
    ('E06000024', 'North Somerset', 'South West'),
    ('E06000025', 'South Gloucestershire', 'South West'),
    ('E06000026', 'Plymouth', 'South West'),
    ('E06000027', 'Torbay', 'South West'),
    ('E06000030', 'Swindon', 'South West'),
    ('E06000052', 'Cornwall', 'South West'),
    ('E06000053', 'Isles of Scilly', 'South West'),
    ('E06000054', 'Wiltshire', 'South West'),
    ('E06000058', 'Bournemouth, Christchurch and Poole', 'South West'),
    ('E06000059', 'Dorset', 'South West'),
    ('E06000066', 'Somerset', 'South West'),
    ('E10000008', 'Devon', 'South West'),
    ('E10000013', 'Gloucestershire', 'South West'),
    ('W06000001', 'Isle of Anglesey', 'Wales'),
    ('W06000002', 'Gwynedd', 'Wales'),
    ('W06000003', 'Conwy', 'Wales'),
    ('W06000004', 'Denbighshire', 'Wales'),
    ('W06000005', 'Flintshire', 'Wales'),
    ('W06000006', 'Wrexham', 'Wales'),
    ('W06000008', 'Ceredigion', 'Wales'),
    ('W06000009', 'Pembrokeshire', 'Wales'),
    ('W06000010', 'Carmarthenshire', 'Wales'),
    ('W06000011', 'Swansea', 'Wales'),
    ('W06000012', 'Neath Port Talbot', 'Wales'),
    ('W06000013', 'Bridgend', 'Wales'),
    ('W06000014', 'Vale of Glamorgan', 'Wales'),
    ('W06000015', 'Cardiff', 'Wales'),
    ('W06000016', 'Rhondda Cynon Taf', 'Wales'),
    ('W06000018', 'Caerphilly', 'Wales'),
    ('W06000019', 'Blaenau Gwent', 'Wales'),
    ('W06000020', 'Torfaen', 'Wales'),
    ('W06000021', 'Monmouthshire', 'Wales'),
    ('W06000022', 'Newport', 'Wales'),
    ('W06000023', 'Powys', 'Wales'),
    ('W06000024', 'Merthyr Tydfil', 'Wales'),
]


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
    table = sa.table("sufficiency_area", sa.column("code"), sa.column("name"), sa.column("region"),
                     sa.column("source"), sa.column("is_demo"))
    op.bulk_insert(table, [{"code": code, "name": name, "region": region, "source": AREAS_SOURCE,
                            "is_demo": False} for code, name, region in AREAS])


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
