"""`flask files ...`: move stored files between backends and check every one against its hash."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from core.extensions import db
from core.storage.models import Backend, StoredFile
from trail.file_moves import StorageReport, check_files, move_files

files_cli = AppGroup("files", help="Stored files: attachments, tender documents and sealed responses.")


def _finish(report: StorageReport, done: str) -> None:
    for problem in report.problems:
        click.echo(f"PROBLEM: {problem}", err=True)
    click.echo(done)
    if not report.ok:
        raise SystemExit(1)


@files_cli.command("move")
@click.option("--to", "target", required=True, type=click.Choice([b.value for b in Backend]),
              help="The backend to move every file into (set STORAGE_BACKEND to it too, for new files).")
def move_command(target: str) -> None:
    """Copy each file into the target backend, check the copy's SHA-256, then switch to it and drop the old copy."""
    total = db.session.scalar(select(func.count()).select_from(StoredFile).where(StoredFile.backend != target)) or 0
    with click.progressbar(length=total, label=f"Moving files to {target}", file=sys.stderr) as bar:
        report = move_files(target, progress=bar.update)
    _finish(report, f"Moved {report.moved} of {report.files} file(s) to {target}; every copy matched its SHA-256.")


@files_cli.command("check")
def check_command() -> None:
    """Read every stored file back and compare its SHA-256; exit 1 naming any missing, damaged or stray file."""
    total = db.session.scalar(select(func.count()).select_from(StoredFile)) or 0
    with click.progressbar(length=total, label="Checking stored files", file=sys.stderr) as bar:
        report = check_files(progress=bar.update)
    _finish(report, f"Checked {report.files} file(s)." if report.ok else
            f"Checked {report.files} file(s): {len(report.problems)} problem(s).")
