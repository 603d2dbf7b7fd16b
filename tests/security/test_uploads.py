"""Upload attacks on forum attachments, tender documents and sealed-response documents.

Forum attachments are checked by their bytes (forum/attachments.py): the wrong
type behind a familiar extension, oversize files, zips that are not office
documents and path tricks in names are refused or neutralised. Whatever is
accepted anywhere is only ever served as a download: Content-Disposition
attachment, a fixed Content-Type, and nosniff, so a browser never renders it.
"""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import Auth, csrf_token

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + bytes(range(256))
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PDF_WITH_HTML = (b"%PDF-1.4\n1 0 obj <<>> endobj\n<html><body><script>alert(document.domain)</script></body></html>\n"
                 b"%%EOF\n")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


NOT_A_DOCX = _zip({"index.html": HTML, "evil.exe": EXE})
FAKE_ODT = _zip({"mimetype": b"text/html", "content.xml": HTML})

REFUSED = [
    ("an EXE renamed .pdf", "report.pdf", EXE),
    ("an EXE renamed .csv", "figures.csv", EXE),
    ("an EXE as itself", "setup.exe", EXE),
    ("HTML renamed .pdf", "report.pdf", HTML),
    ("SVG renamed .pdf", "report.pdf", SVG),
    ("a PDF renamed .html", "page.html", PDF_WITH_HTML),
    ("HTML named .html", "page.html", HTML),
    ("a zip that is not a DOCX", "plan.docx", NOT_A_DOCX),
    ("a zip claiming to be ODT with an HTML mimetype", "plan.odt", FAKE_ODT),
    ("a real PDF named .csv", "figures.csv", PDF_WITH_HTML),
    ("an empty file", "empty.pdf", b""),
    ("a NUL-laden text file as CSV", "figures.csv", b"a,b\n\x00\x01,2\n"),
]


# ---------------------------------------------------------------- forum: the checks themselves


@pytest.mark.parametrize("what,filename,data", REFUSED, ids=[case[0] for case in REFUSED])
def test_forum_refuses_files_that_are_not_what_they_claim(app, what, filename, data):
    from core.errors import RuleViolation
    from forum.attachments import Upload, check_upload

    with app.app_context(), pytest.raises(RuleViolation):
        check_upload(Upload(filename, data))


def test_forum_refuses_oversized_files_under_a_configured_limit(app):
    from core.errors import RuleViolation
    from forum.attachments import Upload, check_upload

    with app.app_context():
        old = app.config.get("FORUM_ATTACHMENT_MAX_BYTES")
        app.config["FORUM_ATTACHMENT_MAX_BYTES"] = 1024
        try:
            assert check_upload(Upload("small.csv", b"a,b\n" * 256)).kind == "csv"  # exactly the limit
            with pytest.raises(RuleViolation) as refused:
                check_upload(Upload("big.csv", b"a,b\n" * 257))
            assert "smaller than" in str(refused.value.reasons)
        finally:
            if old is None:
                app.config.pop("FORUM_ATTACHMENT_MAX_BYTES")
            else:
                app.config["FORUM_ATTACHMENT_MAX_BYTES"] = old


@pytest.mark.parametrize("filename,expected", [
    ("../../../../etc/passwd.csv", "passwd.csv"),
    ("..\\..\\windows\\system32\\evil.csv", "evil.csv"),
    ("/var/www/static/app.csv", "app.csv"),
    ('a"; filename=evil.html; x=".csv', "a filenameevilhtml x.csv"),
    ("line\r\nContent-Type: text/html\r\n\r\n<script>.csv", "htmlscript.csv"),
    ("....csv", "document.csv"),
    ("%2e%2e%2fetc%2fpasswd.csv", "2e2e2fetc2fpasswd.csv"),
])
def test_forum_file_names_lose_paths_and_header_tricks(app, filename, expected):
    from forum.attachments import Upload, check_upload

    with app.app_context():
        assert check_upload(Upload(filename, b"a,b\n1,2\n")).filename == expected


# ---------------------------------------------------------------- forum: over HTTP, and how files come back


@pytest.fixture
def forum_poster(app, db, people):
    from forum import services as forum

    place = forum.create_forum(people["owning_commissioner"], forum.ForumDetails(
        title="Uploads", remit_md="Uploads.", region="North West", categories=["fostering"]))
    forum.join_forum(place, people["provider_a"])
    client = app.test_client()
    Auth(client).sign_in(people["provider_a"])

    def post(filename: str, data: bytes, title: str = "With a file"):
        url = f"/forums/{place.slug}/threads/new"
        token = csrf_token(client.get(url).get_data(as_text=True))
        return client.post(url, data={"csrf_token": token, "title": title, "body": "See the file.",
                                      "attachment": (io.BytesIO(data), filename)},
                           content_type="multipart/form-data")

    return client, post


def _attachments(db):
    from forum.models import Attachment

    return db.session.scalars(select(Attachment).order_by(Attachment.id)).all()


def test_forum_upload_form_refuses_wrong_types_and_stores_nothing(db, forum_poster):
    client, post = forum_poster
    for what, filename, data in REFUSED:
        if not data:
            continue  # an empty file field means "no attachment" to the form
        response = post(filename, data)
        assert response.status_code in (200, 400), what
        assert "The selected file" in response.get_data(as_text=True), what
    assert _attachments(db) == []


def test_forum_upload_over_the_configured_limit_is_refused(app, db, forum_poster):
    client, post = forum_poster
    app.config["FORUM_ATTACHMENT_MAX_BYTES"] = 2048
    try:
        response = post("big.csv", b"a,b\n" * 1024)
    finally:
        app.config.pop("FORUM_ATTACHMENT_MAX_BYTES")
    assert "must be smaller than" in response.get_data(as_text=True)
    assert _attachments(db) == []


@pytest.mark.parametrize("filename,data,content_type", [
    ("polyglot.pdf", PDF_WITH_HTML, "application/pdf"),
    ("page.csv", HTML, "text/csv"),
    ("image.csv", SVG, "text/csv"),
    ("shell.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": HTML, "x.html": HTML}),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
], ids=["pdf-with-html", "html-renamed-csv", "svg-renamed-csv", "docx-shell-with-html"])
def test_forum_files_that_pass_the_checks_are_only_ever_downloads(app, db, forum_poster, filename, data,
                                                                 content_type):
    """Text is a valid CSV and a PDF may carry anything after its header: such files are accepted,
    so what keeps them harmless is how they are served."""
    client, post = forum_poster
    assert post("../../" + filename, data).status_code == 302
    (stored,) = _attachments(db)
    for who in (client, app.test_client()):
        response = who.get(f"/attachments/{stored.id}")
        assert response.status_code == 200
        assert response.mimetype == content_type
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment") and "/" not in disposition and ".." not in disposition
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert response.data == data


# ---------------------------------------------------------------- tenders: documents and sealed responses


@pytest.fixture
def tender(app, db, org_factory, user_factory):
    from core import clock
    from tests.unit.tenders.builders import T0, in_engagement, make_world

    world = make_world(org_factory, user_factory)
    procurement = in_engagement(world)
    yield world, procurement, clock, T0
    clock.set_now(None)


ATTACKS = [("report.pdf", EXE), ("page.csv", HTML), ("polyglot.pdf", PDF_WITH_HTML), ("plan.docx", NOT_A_DOCX),
           ("../../../etc/passwd", b"root:x:0:0"), ("..\\..\\boot.ini", b"[boot]"),
           ('x"; filename="evil.html', HTML), ("image.svg", SVG)]


def _assert_download(response, data: bytes, *, path_free_name: bool = True) -> None:
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    if path_free_name:
        assert "/" not in disposition and "\\" not in disposition, disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == data


def test_tender_documents_are_stored_without_paths_and_served_only_as_downloads(app, db, tender):
    from tenders.models import ProcurementDocument

    world, procurement, clock, T0 = tender
    clock.set_now(T0 - timedelta(days=10))
    owner = app.test_client()
    Auth(owner).sign_in(world.c1)
    url = f"/tenders/{procurement.id}/documents"
    for n, (filename, data) in enumerate(ATTACKS):
        token = csrf_token(owner.get(url).get_data(as_text=True))
        response = owner.post(url, data={"csrf_token": token, "title": f"Document {n}",
                                         "document": (io.BytesIO(data), filename, "text/html")},
                              content_type="multipart/form-data")
        assert response.status_code == 302, filename
    documents = db.session.scalars(select(ProcurementDocument).where(
        ProcurementDocument.procurement_id == procurement.id).order_by(ProcurementDocument.id)).all()
    assert len(documents) == len(ATTACKS)
    public = app.test_client()
    for document, (_filename, data) in zip(documents, ATTACKS):
        assert "/" not in document.filename and "\\" not in document.filename
        _assert_download(public.get(f"/tenders/{procurement.id}/documents/{document.id}"), data)


def _sealed_response_with(app, db, tender, files):
    """Provider A submits a response with these files over HTTP; the box is opened; c1's client is returned."""
    from tenders.services import procurements, responses
    from tests.unit.tenders.builders import AFTER, CLARIFY_BY, DEADLINE

    world, procurement, clock, T0 = tender
    from tests.unit.tenders.builders import clear_conflicts, declare_none
    clear_conflicts(world, procurement, now=T0)
    procurements.publish_tender(procurement, world.c1, clarification_deadline=CLARIFY_BY,
                                response_deadline=DEADLINE, now=T0)
    declare_none(procurement, world.c1, world.c2, now=T0)
    clock.set_now(T0 + timedelta(days=1))
    provider = app.test_client()
    Auth(provider).sign_in(world.p1)
    url = f"/tenders/{procurement.id}/respond"
    form = provider.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(form), "method_statement": "How we will do it", "price": "1000000",
            "documents": [(io.BytesIO(content), name, "text/html") for name, content in files]}
    for outcome in procurement.published_version.outcomes:
        data[f"commitment-{outcome.id}"] = "We commit"
    data |= {f"answer-{c.id}": "Our answer" for c in procurement.criteria if c.kind == "quality"}
    response = provider.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    (sealed,) = responses.responses_for(procurement)
    responses.open_box(procurement, world.c1, now=AFTER)
    responses.open_box(procurement, world.c2, now=AFTER)
    declare_none(procurement, world.c1, now=AFTER)  # reading the responses needs a declaration at evaluation
    clock.set_now(AFTER)
    owner = app.test_client()
    Auth(owner).sign_in(world.c1)
    return owner, f"/tenders/{procurement.id}/responses/{sealed.id}/documents"


def test_sealed_response_documents_are_served_only_as_downloads(app, db, tender):
    files = ATTACKS[:4] + ATTACKS[-1:]
    owner, base = _sealed_response_with(app, db, tender, files)
    for index, (_, content) in enumerate(files):
        _assert_download(owner.get(f"{base}/{index}"), content)


def test_sealed_response_document_names_lose_their_paths(app, db, tender):
    files = [("../../../etc/passwd", b"root:x:0:0"), ("..\\..\\boot.ini", b"[boot]")]
    owner, base = _sealed_response_with(app, db, tender, files)
    for index, (_, content) in enumerate(files):
        _assert_download(owner.get(f"{base}/{index}"), content, path_free_name=True)
