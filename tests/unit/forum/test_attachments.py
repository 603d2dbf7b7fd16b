"""Attachments: type decided by content (magic bytes, zip structure), size-limited, stored with the post."""
from __future__ import annotations

import pytest

from core.errors import RuleViolation
from forum import services
from forum.attachments import Upload, check_upload, detect_kind
from tests.unit.forum.files import CSV, DOCX, EXE, ODT, PDF, PLAIN_ZIP, XLSX


@pytest.mark.parametrize("data, kind", [(PDF, "pdf"), (DOCX, "docx"), (XLSX, "xlsx"), (ODT, "odt"), (CSV, "csv")])
def test_accepted_types_are_recognised_by_content(data, kind):
    assert detect_kind(data) == kind


@pytest.mark.parametrize("data", [EXE, PLAIN_ZIP, b"PK\x03\x04broken zip", b"\x00\x01\x02binary"])
def test_other_content_is_refused(app, data):
    with app.app_context(), pytest.raises(RuleViolation) as exc:
        check_upload(Upload("report.pdf", data))
    assert "must be a PDF, DOCX, XLSX, ODT or CSV" in exc.value.reasons["attachment"]


def test_a_renamed_executable_is_refused_whatever_its_name(app):
    with app.app_context(), pytest.raises(RuleViolation):
        check_upload(Upload("minutes.docx", EXE))


def test_a_file_whose_name_contradicts_its_content_is_refused(app):
    with app.app_context(), pytest.raises(RuleViolation) as exc:
        check_upload(Upload("slides.docx", PDF))
    assert "is a PDF but its name ends “.docx”" in exc.value.reasons["attachment"]


def test_oversized_and_empty_files_are_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_ATTACHMENT_MAX_BYTES", 50)
    with app.app_context():
        with pytest.raises(RuleViolation) as exc:
            check_upload(Upload("big.pdf", PDF + b" " * 100))
        assert "smaller than" in exc.value.reasons["attachment"]
        with pytest.raises(RuleViolation) as exc:
            check_upload(Upload("empty.pdf", b""))
        assert "empty" in exc.value.reasons["attachment"]


def test_file_names_are_made_safe(app):
    with app.app_context():
        assert check_upload(Upload("../../etc/Plan <2027>.PDF", PDF)).filename == "Plan 2027.pdf"


def test_attachment_is_stored_with_the_reply(db, thread, member):
    post = services.reply(thread, member, "Our outcomes data attached", attachment=Upload("outcomes.csv", CSV))
    assert [(a.filename, a.kind, a.size) for a in post.attachments] == [("outcomes.csv", "csv", len(CSV))]


def test_a_bad_attachment_saves_nothing(db, thread, member):
    before = thread.post_count
    with pytest.raises(RuleViolation):
        services.reply(thread, member, "Text", attachment=Upload("x.pdf", EXE))
    assert thread.post_count == before
