"""Checking uploaded files by what they contain, not what they are called.

A file's name and the browser's Content-Type are the uploader's claims; the
bytes are the evidence. PDFs start with "%PDF-"; DOCX, XLSX and ODT are zip
packages whose member names (or ODF "mimetype" entry) say what they are; CSV
must be plain UTF-8 text that parses as rows. Only the zip's directory is
read, never decompressed, so a zip bomb costs nothing.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from flask import current_app

from core.errors import RuleViolation

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

KINDS = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document (DOCX)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet (XLSX)"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)"),
    "csv": ("text/csv", "CSV file"),
}
ACCEPTED = "PDF, DOCX, XLSX, ODT or CSV"


@dataclass(frozen=True)
class Upload:
    """What the browser sent: the claimed name and the bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    kind: str
    content_type: str
    data: bytes


def max_bytes() -> int:
    return int(current_app.config.get("FORUM_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size < 200 and archive.read("mimetype").strip() == KINDS["odt"][0].encode():
                    return "odt"
                return None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError):
        return None
    return None


def _is_csv(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if not text.strip() or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        return False
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return len(rows) > 0


def detect_kind(data: bytes) -> str | None:
    """The file's real type from its bytes, or None if it is none we accept."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return "csv" if _is_csv(data) else None


def _safe_name(filename: str, kind: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = re.sub(r"[^\w\- ]+", "", stem).strip()[:120] or "document"
    return f"{stem}.{kind}"


def check_upload(upload: Upload, field: str = "attachment") -> CheckedFile:
    """Refuse empty, oversized, unrecognised or misnamed files with a clear reason."""
    if not upload.data:
        raise RuleViolation({field: "The selected file is empty"})
    limit = max_bytes()
    if len(upload.data) > limit:
        raise RuleViolation({field: f"The selected file must be smaller than {limit // (1024 * 1024) or 1} MB"})
    kind = detect_kind(upload.data)
    if kind is None:
        raise RuleViolation({field: f"The selected file must be a {ACCEPTED}; this file’s contents are not"})
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    if extension != kind:
        raise RuleViolation({field: f"The selected file is a {KINDS[kind][1]} but its name ends “.{extension}”. "
                                    f"Rename it to end “.{kind}” and try again"})
    return CheckedFile(filename=_safe_name(upload.filename, kind), kind=kind, content_type=KINDS[kind][0],
                       data=upload.data)
