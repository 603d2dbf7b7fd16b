"""Secret files: made once with mode 0600, and one secret however many processes make it at once."""
from __future__ import annotations

import multiprocessing
import secrets
import stat

import pytest

from core.secret_files import SecretFileError, read_or_create_secret_file, read_secret_file


def test_a_new_secret_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "instance" / "secret-key"
    data, created = read_or_create_secret_file(path, lambda: b"first")
    assert (data, created) == (b"first", True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_or_create_secret_file(path, lambda: b"second") == (b"first", False)
    assert [p.name for p in path.parent.iterdir()] == ["secret-key"], "no draft file is left behind"


def test_a_secret_file_other_users_can_read_is_refused(tmp_path):
    path = tmp_path / "secret-key"
    read_or_create_secret_file(path, lambda: b"first")
    path.chmod(0o644)
    with pytest.raises(SecretFileError, match="chmod 600"):
        read_secret_file(path)


def test_when_another_process_creates_the_file_first_its_secret_wins(tmp_path):
    """The race between 'is there a file?' and writing it: the loser must take the winner's secret."""
    path = tmp_path / "secret-key"

    def make_while_another_process_wins() -> bytes:
        read_or_create_secret_file(path, lambda: b"theirs")
        return b"mine"

    assert read_or_create_secret_file(path, make_while_another_process_wins) == (b"theirs", False)
    assert path.read_bytes() == b"theirs"


def _create(path, barrier, results) -> None:
    barrier.wait()
    data, _created = read_or_create_secret_file(path, lambda: secrets.token_hex(32).encode())
    results.put(data)


def test_workers_starting_together_all_end_with_the_one_secret_on_disk(tmp_path):
    context = multiprocessing.get_context("fork")
    for round_ in range(5):
        path = tmp_path / f"round-{round_}" / "secret-key"
        barrier, results = context.Barrier(6), context.Queue()
        workers = [context.Process(target=_create, args=(path, barrier, results)) for _ in range(6)]
        for worker in workers:
            worker.start()
        seen = {results.get(timeout=30) for _ in workers}
        for worker in workers:
            worker.join(timeout=30)
        assert seen == {path.read_bytes()}
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
