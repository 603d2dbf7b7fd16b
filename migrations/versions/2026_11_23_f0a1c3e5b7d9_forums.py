"""Provider forums: forums, threads, posts and revisions, moderation, need statements,
meetings, attachments, watches, notifications, and the full-text search index.

Revision ID: f0a1c3e5b7d9
Revises: 65d0f7026f15
Create Date: 2026-11-23 13:40:00

The search index is engine-specific: an FTS5 virtual table on SQLite; on
PostgreSQL a table with a weighted tsvector column and a GIN index. Both are
named forum_search and written by forum.search in the same transaction as
the content they index.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f0a1c3e5b7d9'
down_revision = '65d0f7026f15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('forum',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('remit_md', sa.Text(), nullable=False),
    sa.Column('remit_html', sa.Text(), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_forum_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum')),
    sa.UniqueConstraint('slug', name=op.f('uq_forum_slug'))
    )
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_region'), ['region'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_status'), ['status'], unique=False)
    op.create_table('forum_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('email_pending', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_notification_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_notification'))
    )
    with op.batch_alter_table('forum_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_notification_email_pending'), ['email_pending'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_notification_user_id'), ['user_id'], unique=False)
    op.create_table('forum_notification_setting',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email_mode', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_notification_setting_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_forum_notification_setting'))
    )
    op.create_table('forum_category',
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_category_forum_id_forum')),
    sa.PrimaryKeyConstraint('forum_id', 'category', name=op.f('pk_forum_category'))
    )
    with op.batch_alter_table('forum_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_category_category'), ['category'], unique=False)
    op.create_table('forum_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('online_link', sa.String(length=500), nullable=True),
    sa.Column('agenda_md', sa.Text(), nullable=False),
    sa.Column('agenda_html', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('minutes_md', sa.Text(), nullable=True),
    sa.Column('minutes_html', sa.Text(), nullable=True),
    sa.Column('minutes_published_at', sa.DateTime(), nullable=True),
    sa.Column('attendance_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancellation_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_forum_meeting_created_by_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_meeting_forum_id_forum')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_meeting'))
    )
    with op.batch_alter_table('forum_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_meeting_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_meeting_starts_at'), ['starts_at'], unique=False)
    op.create_table('forum_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_membership_forum_id_forum')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_membership_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_membership')),
    sa.UniqueConstraint('forum_id', 'user_id', name='uq_forum_membership_forum_user')
    )
    with op.batch_alter_table('forum_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_membership_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_membership_user_id'), ['user_id'], unique=False)
    op.create_table('forum_owner',
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_owner_forum_id_forum')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_forum_owner_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('forum_id', 'organisation_id', name=op.f('pk_forum_owner'))
    )
    op.create_table('forum_thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_forum_thread_author_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_thread_forum_id_forum')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_thread'))
    )
    with op.batch_alter_table('forum_thread', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_thread_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_thread_last_activity_at'), ['last_activity_at'], unique=False)
    op.create_table('forum_meeting_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['forum_meeting.id'], name=op.f('fk_forum_meeting_registration_meeting_id_forum_meeting')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_meeting_registration_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_meeting_registration')),
    sa.UniqueConstraint('meeting_id', 'user_id', name='uq_forum_meeting_registration_meeting_user')
    )
    with op.batch_alter_table('forum_meeting_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_meeting_registration_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_meeting_registration_user_id'), ['user_id'], unique=False)
    op.create_table('forum_need_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('cohort_size', sa.Integer(), nullable=False),
    sa.Column('age_bands', sa.String(length=100), nullable=False),
    sa.Column('current_provision_md', sa.Text(), nullable=False),
    sa.Column('current_provision_html', sa.Text(), nullable=False),
    sa.Column('gaps_md', sa.Text(), nullable=False),
    sa.Column('gaps_html', sa.Text(), nullable=False),
    sa.Column('outcomes_md', sa.Text(), nullable=False),
    sa.Column('outcomes_html', sa.Text(), nullable=False),
    sa.Column('budget_min', sa.Integer(), nullable=True),
    sa.Column('budget_max', sa.Integer(), nullable=True),
    sa.Column('timescale', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_forum_need_statement_author_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_need_statement_forum_id_forum')),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_need_statement_thread_id_forum_thread')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_need_statement')),
    sa.UniqueConstraint('thread_id', name=op.f('uq_forum_need_statement_thread_id'))
    )
    with op.batch_alter_table('forum_need_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_need_statement_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_need_statement_status'), ['status'], unique=False)
    op.create_table('forum_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('quoted_post_id', sa.Integer(), nullable=True),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('revision_count', sa.Integer(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_forum_post_author_id_user')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_forum_post_hidden_by_id_user')),
    sa.ForeignKeyConstraint(['quoted_post_id'], ['forum_post.id'], name=op.f('fk_forum_post_quoted_post_id_forum_post')),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_post_thread_id_forum_thread')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post'))
    )
    with op.batch_alter_table('forum_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_post_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_post_thread_id'), ['thread_id'], unique=False)
    op.create_table('forum_watch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_watch_forum_id_forum')),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_watch_thread_id_forum_thread')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_watch_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_watch')),
    sa.UniqueConstraint('user_id', 'forum_id', 'thread_id', name='uq_forum_watch_user_forum_thread')
    )
    with op.batch_alter_table('forum_watch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_watch_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_watch_thread_id'), ['thread_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_watch_user_id'), ['user_id'], unique=False)
    op.create_table('forum_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_attachment_forum_id_forum')),
    sa.ForeignKeyConstraint(['meeting_id'], ['forum_meeting.id'], name=op.f('fk_forum_attachment_meeting_id_forum_meeting')),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_attachment_post_id_forum_post')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_forum_attachment_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_attachment'))
    )
    with op.batch_alter_table('forum_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_attachment_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_attachment_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_attachment_post_id'), ['post_id'], unique=False)
    op.create_table('forum_moderation_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_forum_moderation_entry_actor_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_moderation_entry_forum_id_forum')),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_moderation_entry_post_id_forum_post')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_moderation_entry'))
    )
    with op.batch_alter_table('forum_moderation_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_moderation_entry_forum_id'), ['forum_id'], unique=False)
    op.create_table('forum_need_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_statement_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('intensity', sa.String(length=20), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['need_statement_id'], ['forum_need_statement.id'], name=op.f('fk_forum_need_item_need_statement_id_forum_need_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_need_item'))
    )
    with op.batch_alter_table('forum_need_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_need_item_need_statement_id'), ['need_statement_id'], unique=False)
    op.create_table('forum_post_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_post_report_post_id_forum_post')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_forum_post_report_reporter_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post_report'))
    )
    with op.batch_alter_table('forum_post_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_post_report_post_id'), ['post_id'], unique=False)
    op.create_table('forum_post_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['user.id'], name=op.f('fk_forum_post_revision_editor_id_user')),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_post_revision_post_id_forum_post')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post_revision')),
    sa.UniqueConstraint('post_id', 'number', name='uq_forum_post_revision_post_number')
    )
    with op.batch_alter_table('forum_post_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_post_revision_post_id'), ['post_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE TABLE forum_search ("
            " id SERIAL CONSTRAINT pk_forum_search PRIMARY KEY,"
            " kind VARCHAR(20) NOT NULL,"
            " ref_id INTEGER NOT NULL,"
            " forum_id INTEGER NOT NULL,"
            " title TEXT NOT NULL,"
            " body TEXT NOT NULL,"
            " label TEXT NOT NULL,"
            " document TSVECTOR NOT NULL,"
            " CONSTRAINT uq_forum_search_kind UNIQUE (kind, ref_id))"
        )
        op.execute("CREATE INDEX ix_forum_search_document ON forum_search USING GIN (document)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE forum_search USING fts5("
            "kind UNINDEXED, ref_id UNINDEXED, forum_id UNINDEXED, title, body, label UNINDEXED, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def downgrade():
    op.execute("DROP TABLE forum_search")
    with op.batch_alter_table('forum_post_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_post_revision_post_id'))
    op.drop_table('forum_post_revision')
    with op.batch_alter_table('forum_post_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_post_report_post_id'))
    op.drop_table('forum_post_report')
    with op.batch_alter_table('forum_need_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_need_item_need_statement_id'))
    op.drop_table('forum_need_item')
    with op.batch_alter_table('forum_moderation_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_moderation_entry_forum_id'))
    op.drop_table('forum_moderation_entry')
    with op.batch_alter_table('forum_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_attachment_post_id'))
        batch_op.drop_index(batch_op.f('ix_forum_attachment_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_forum_attachment_forum_id'))
    op.drop_table('forum_attachment')
    with op.batch_alter_table('forum_watch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_watch_user_id'))
        batch_op.drop_index(batch_op.f('ix_forum_watch_thread_id'))
        batch_op.drop_index(batch_op.f('ix_forum_watch_forum_id'))
    op.drop_table('forum_watch')
    with op.batch_alter_table('forum_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_post_thread_id'))
        batch_op.drop_index(batch_op.f('ix_forum_post_author_id'))
    op.drop_table('forum_post')
    with op.batch_alter_table('forum_need_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_need_statement_status'))
        batch_op.drop_index(batch_op.f('ix_forum_need_statement_forum_id'))
    op.drop_table('forum_need_statement')
    with op.batch_alter_table('forum_meeting_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_meeting_registration_user_id'))
        batch_op.drop_index(batch_op.f('ix_forum_meeting_registration_meeting_id'))
    op.drop_table('forum_meeting_registration')
    with op.batch_alter_table('forum_thread', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_thread_last_activity_at'))
        batch_op.drop_index(batch_op.f('ix_forum_thread_forum_id'))
    op.drop_table('forum_thread')
    op.drop_table('forum_owner')
    with op.batch_alter_table('forum_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_forum_membership_forum_id'))
    op.drop_table('forum_membership')
    with op.batch_alter_table('forum_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_meeting_starts_at'))
        batch_op.drop_index(batch_op.f('ix_forum_meeting_forum_id'))
    op.drop_table('forum_meeting')
    with op.batch_alter_table('forum_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_category_category'))
    op.drop_table('forum_category')
    op.drop_table('forum_notification_setting')
    with op.batch_alter_table('forum_notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_forum_notification_email_pending'))
    op.drop_table('forum_notification')
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_status'))
        batch_op.drop_index(batch_op.f('ix_forum_region'))
    op.drop_table('forum')
