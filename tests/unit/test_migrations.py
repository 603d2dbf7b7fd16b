"""The migrations: one baseline, revisions chained on it, and a schema that says what the models say.

The schema is built only by migrations (never create_all), so a model changed
without its migration, or a migration that drifts from the models, would go
unnoticed until a deployment: `test_the_models_and_the_migrated_schema_agree`
asks Alembic's autogenerate, on a freshly migrated database of the pass
(SQLite, or PostgreSQL when TEST_DATABASE_URL is set), for the changes it
would make, and there must be none.
"""
from __future__ import annotations

import ast
import re
import shutil
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, revision, upgrade
from sqlalchemy import create_engine, inspect

from core.extensions import db as _db
from tests.conftest import make_test_app, owner_url

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
BASELINE = "4c7d2e9a1b63"
# A migration may import only these and the standard library: what it does must never change when an
# application module does.
ALLOWED_IMPORTS = {"alembic", "sqlalchemy"} | set(sys.stdlib_module_names)
def _script() -> ScriptDirectory:
    from alembic.config import Config

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def _modelled(obj, name, type_, reflected, compare_to) -> bool:
    """Everything but the forum's search index, which no model describes on purpose: forum.search keeps it
    by hand as an FTS5 virtual table (with its shadow tables) on SQLite and a tsvector table on PostgreSQL,
    neither of which SQLAlchemy's metadata can express. The baseline's own test below checks it exists."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not (table or "").startswith("forum_search")


def _same_default(context, inspected_column, metadata_column, inspected_default, metadata_default,
                  rendered_metadata_default) -> bool | None:
    """SQLite reflects an empty-string default as ('') and Alembic's SQLite comparison (whose patterns need a
    character inside the brackets and quotes) then reports it as changed: compare the bare literals, and
    leave every other default to Alembic (None)."""
    def bare(value: str) -> str:
        return re.sub(r"^'(.*)'$", r"\1", re.sub(r"^\((.*)\)$", r"\1", value.strip()))

    if inspected_default is not None and rendered_metadata_default is not None \
            and bare(inspected_default) == bare(rendered_metadata_default) == "":
        return False
    return None


def test_there_is_one_baseline_and_it_keeps_the_id_databases_were_stamped_with():
    script = _script()
    assert script.get_bases() == [BASELINE]
    assert len(script.get_heads()) == 1, "two heads: the newer revision must revise the current head"
    assert script.get_revision(BASELINE).down_revision is None


def test_migrations_import_no_application_module():
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= ALLOWED_IMPORTS, f"{path.name} imports {sorted(roots - ALLOWED_IMPORTS)}"


def test_migration_files_are_named_by_the_time_they_were_written():
    for path in (MIGRATIONS / "versions").glob("*.py"):
        assert re.fullmatch(r"\d{4}_\d{2}_\d{2}_\d{6}_[0-9a-f]{12}_\w+\.py", path.name), path.name


def test_the_models_and_the_migrated_schema_agree(app: Flask):
    with app.app_context():
        url = _db.engine.url.render_as_string(hide_password=False)
        engine = create_engine(owner_url(url))
        try:
            with engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={
                    "include_object": _modelled, "compare_type": True, "compare_server_default": _same_default})
                differences = compare_metadata(context, _db.metadata)
        finally:
            engine.dispose()
    assert differences == [], "the models and the migrations disagree; write a migration:\n" + \
        "\n".join(map(repr, differences))


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_baseline_downgrades_to_nothing_and_upgrades_to_the_whole_schema(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision=BASELINE)
        at_baseline = _tables(owner_url(empty_database_url))
        upgrade(revision="heads")
        whole = _tables(owner_url(empty_database_url))
        downgrade(revision="base")
        left = _tables(owner_url(empty_database_url))
        upgrade(revision="heads")
        rebuilt = _tables(owner_url(empty_database_url))
        _db.engine.dispose()
    assert {"audit_event", "audit_checkpoint", "procurement", "forum_post", "forum_search"} <= at_baseline
    assert left == {"alembic_version"}
    assert rebuilt == whole


def test_a_new_revision_gets_a_time_stamped_name_and_applies_on_top_of_the_head(empty_database_url, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, directory, ignore=shutil.ignore_patterns("__pycache__"))
    head = _script().get_current_head()
    app = make_test_app(empty_database_url)
    with app.app_context():
        revision(directory=str(directory), message="a note on each forum")
        (made,) = set((directory / "versions").glob("*.py")) - {directory / "versions" / p.name
                                                                for p in (MIGRATIONS / "versions").glob("*.py")}
        assert re.fullmatch(r"\d{4}_\d{2}_\d{2}_\d{6}_[0-9a-f]{12}_a_note_on_each_forum\.py", made.name)
        source = made.read_text()
        assert f"down_revision = {head!r}" in source
        made.write_text(source.replace(
            "def upgrade():\n    pass",
            "def upgrade():\n    op.add_column('forum', sa.Column('note', sa.Text(), nullable=True))").replace(
            "def downgrade():\n    pass",
            "def downgrade():\n    with op.batch_alter_table('forum') as batch_op:\n"
            "        batch_op.drop_column('note')"))
        upgrade(directory=str(directory), revision="heads")
        engine = create_engine(owner_url(empty_database_url))
        columns = {column["name"] for column in inspect(engine).get_columns("forum")}
        engine.dispose()
        downgrade(directory=str(directory), revision=head)
        engine = create_engine(owner_url(empty_database_url))
        after = {column["name"] for column in inspect(engine).get_columns("forum")}
        engine.dispose()
        _db.engine.dispose()
    assert "note" in columns
    assert "note" not in after
