"""Files behind one interface: both backends store, stream and move files, and every move is proved by its hash."""
from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import func, select

from core import storage
from core.storage import backends
from core.storage.models import StoredFile, StoredFileChunk
from tenders.models import TenderResponse
from tenders.services.responses import sealed_ciphertext
from tests.unit.tenders import conftest as tender_fixtures
from tests.unit.tenders.builders import in_tender, submit
from trail.file_moves import check_files, move_files

world = tender_fixtures.world  # the tenders' test world, as a fixture here too
BIG = os.urandom(backends.CHUNK_BYTES * 2 + 1234)


@pytest.fixture
def filesystem(app, tmp_path):
    """New files go to a folder of this test's own; the suite's default (the database) is put back after."""
    before = app.config["STORAGE_BACKEND"], app.config["STORAGE_PATH"]
    app.config["STORAGE_BACKEND"], app.config["STORAGE_PATH"] = "filesystem", str(tmp_path / "files")
    yield tmp_path / "files"
    app.config["STORAGE_BACKEND"], app.config["STORAGE_PATH"] = before


def _streamed(response) -> list[bytes]:
    assert response.is_streamed
    parts = list(response.response)
    response.close()
    return parts


def test_the_database_backend_keeps_a_file_in_chunks_and_streams_it_one_chunk_at_a_time(app, db):
    stored = storage.store(BIG)
    assert stored.backend == "database" and stored.size == len(BIG)
    assert stored.sha256 == hashlib.sha256(BIG).hexdigest()
    assert db.session.scalar(select(func.count()).select_from(StoredFileChunk)
                             .where(StoredFileChunk.file_id == stored.id)) == 3
    with app.test_request_context():
        response = storage.download(stored, filename="big.pdf", mimetype="application/pdf")
        assert response.headers["Content-Length"] == str(len(BIG))
        assert response.headers["Content-Disposition"] == "attachment; filename=big.pdf"
        parts = _streamed(response)
    assert [len(part) for part in parts] == [backends.CHUNK_BYTES, backends.CHUNK_BYTES, 1234]
    assert b"".join(parts) == BIG


def test_the_filesystem_backend_writes_under_the_configured_folder_and_serves_the_open_file(app, db, filesystem):
    stored = storage.store(b"%PDF-1.7 minutes")
    path = backends.backend("filesystem").path(stored)
    assert stored.backend == "filesystem" and path.is_relative_to(filesystem)
    assert path.read_bytes() == b"%PDF-1.7 minutes"
    assert db.session.scalar(select(func.count()).select_from(StoredFileChunk)
                             .where(StoredFileChunk.file_id == stored.id)) == 0
    with app.test_request_context():
        response = storage.download(stored, filename="minutes.pdf", mimetype="application/pdf")
        assert response.direct_passthrough and "attachment" in response.headers["Content-Disposition"]
        assert b"".join(_streamed(response)) == b"%PDF-1.7 minutes"


def test_a_sealed_response_is_ciphertext_on_disk_too(db, world, filesystem):
    procurement = in_tender(world)
    receipt = submit(world, procurement, world.p1, 123_456_789)
    response = db.session.get(TenderResponse, receipt.response_id)
    on_disk = backends.backend("filesystem").path(response.sealed_file).read_bytes()
    assert on_disk == sealed_ciphertext(response)
    assert b"Alpha Homes" not in on_disk and b"123456789" not in on_disk and b"method_statement" not in on_disk


def test_moving_files_to_the_filesystem_and_back_checks_each_copy_and_keeps_every_byte(db, filesystem):
    first, second = storage.store(BIG), storage.store(b"a,b\n1,2\n")
    assert (first.backend, second.backend) == ("filesystem", "filesystem")
    report = move_files("database")
    assert report.ok and report.moved == 2
    assert not any(p.is_file() for p in filesystem.rglob("*"))
    assert storage.read_bytes(db.session.get(StoredFile, first.id)) == BIG
    report = move_files("filesystem")
    assert report.ok and report.moved == 2
    assert db.session.scalar(select(func.count()).select_from(StoredFileChunk)
                             .where(StoredFileChunk.file_id.in_([first.id, second.id]))) == 0
    assert storage.read_bytes(db.session.get(StoredFile, second.id)) == b"a,b\n1,2\n"
    assert check_files().ok


def test_a_damaged_file_is_reported_and_never_moved(db, filesystem):
    stored = storage.store(b"original bytes")
    backends.backend("filesystem").path(stored).write_bytes(b"damaged bytes!")
    report = move_files("database")
    assert not report.ok and report.moved == 0
    assert "does not match its SHA-256" in report.problems[0]
    assert db.session.get(StoredFile, stored.id).backend == "filesystem"
    assert any("does not match its SHA-256" in problem for problem in check_files().problems)
    with pytest.raises(storage.CorruptFile):
        storage.read_bytes(stored)


def test_the_files_commands_move_and_check_with_a_nonzero_exit_on_a_missing_file(db, runner, filesystem):
    stored = storage.store(b"kept on disk")
    db.session.commit()
    moved = runner.invoke(args=["files", "move", "--to", "database"])
    assert moved.exit_code == 0 and "Moved 1 of 1 file(s) to database" in moved.output
    assert runner.invoke(args=["files", "check"]).exit_code == 0
    runner.invoke(args=["files", "move", "--to", "filesystem"])
    backends.backend("filesystem").path(db.session.get(StoredFile, stored.id)).unlink()
    checked = runner.invoke(args=["files", "check"])
    assert checked.exit_code == 1 and "missing from the filesystem backend" in checked.output
