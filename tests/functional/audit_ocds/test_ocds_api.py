"""The public OCDS endpoints and `flask export ocds`: open to all, JSON errors, valid packages."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from demo.load import load_demo
from tenders.models import Procurement
from tests.unit.audit_ocds import builders as b
from tests.unit.audit_ocds.ocds_schema import assert_valid_package
from trail.models import AuditEvent


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def world(people):
    """One procurement at each stage, plus a draft."""
    built = {name: make(people, title=f"{name.title()} procurement") for name, make in {
        "engagement": b.engaged, "tender": b.amended, "evaluation": b.opened, "award": b.awarded,
        "contract": b.contracted, "cancelled": b.cancelled, "unsuccessful": b.unsuccessful}.items()}
    built["draft"] = b.draft(people, title="Draft procurement")
    return built


def test_release_pages_are_public_linked_by_next_and_each_validates(client, world):
    url, seen, pages = "/api/v1/ocds/releases.json?per_page=3", [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        package = response.get_json()
        assert_valid_package(package)
        seen += package["releases"]
        pages += 1
        url = path_of(package["links"]["next"]) if "links" in package else None
    assert pages == 3
    published = {p.reference for name, p in world.items() if name != "draft"}
    assert {r["ocid"].removeprefix("ocds-commons-") for r in seen} == published
    assert len({r["id"] for r in seen}) == len(seen)
    assert world["draft"].title not in json.dumps(seen)


def test_one_procurement_has_all_its_releases(client, world):
    p = world["contract"]
    response = client.get(f"/api/v1/ocds/procurements/{p.id}.json")
    assert response.status_code == 200
    package = response.get_json()
    assert_valid_package(package)
    assert [r["tag"] for r in package["releases"]] == [["planning"], ["tender"], ["tenderUpdate"], ["award"],
                                                       ["contract"]]
    assert package["uri"] == f"http://localhost/api/v1/ocds/procurements/{p.id}.json"
    assert package["publishedDate"] == package["releases"][-1]["date"]


def test_sealed_content_never_leaves_through_the_api(client, world):
    text = client.get("/api/v1/ocds/releases.json?per_page=100").get_data(as_text=True)
    assert b.SEALED_MARKER not in text and b.SCORE_MARKER not in text
    assert str(b.LOSING_PRICE / 100) not in text


@pytest.mark.parametrize("ident", ["999999", "abc", "1e3", "-1", "9" * 40])
def test_unknown_procurements_are_json_404s(client, world, ident):
    response = client.get(f"/api/v1/ocds/procurements/{ident}.json")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["status"] == 404


def test_a_draft_is_a_404_like_a_missing_id(client, world):
    response = client.get(f"/api/v1/ocds/procurements/{world['draft'].id}.json")
    assert response.status_code == 404
    assert world["draft"].title not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/ocds/procurements/1", "/api/v1/ocds/"])
def test_unknown_api_paths_are_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["title"] == "Not Found"


@pytest.mark.parametrize("query", ["cursor=nonsense", "cursor=", "per_page=0", "per_page=101", "per_page=ten",
                                   "page=2", "per_page=-5"])
def test_bad_paging_parameters_are_json_400s(client, world, query):
    response = client.get(f"/api/v1/ocds/releases.json?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]["status"] == 400 and body["error"]["detail"]


def test_signed_in_people_see_exactly_what_the_public_sees(client, auth, world, people):
    anonymous = client.get("/api/v1/ocds/releases.json?per_page=100").get_json()
    auth.sign_in(people.c1)
    owner = client.get("/api/v1/ocds/releases.json?per_page=100").get_json()
    assert owner["releases"] == anonymous["releases"]


def test_export_command_writes_one_valid_package_of_everything_and_is_audited(runner, world, tmp_path, db):
    target = tmp_path / "ocds.json"
    result = runner.invoke(args=["export", "ocds", "--output", str(target), "--batch", "2"])
    assert result.exit_code == 0, result.output
    package = json.loads(target.read_text(encoding="utf-8"))
    assert_valid_package(package)
    assert len({r["ocid"] for r in package["releases"]}) == 7
    assert not (tmp_path / "ocds.json.partial").exists()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "ocds.exported")).one()
    assert str(target) in event.summary


def test_export_command_writes_to_standard_output_by_default(runner, world):
    result = runner.invoke(args=["export", "ocds"])
    assert result.exit_code == 0
    package = json.loads(result.stdout)
    assert_valid_package(package)


def test_the_demo_procurements_publish_valid_packages_at_every_stage(client, db):
    assert load_demo()
    package = client.get("/api/v1/ocds/releases.json?per_page=100").get_json()
    assert_valid_package(package)
    statuses = {r["tender"]["status"] for r in package["releases"]}
    assert statuses == {"planning", "active", "complete", "cancelled"}
    drafts = db.session.scalars(select(Procurement).where(Procurement.stage == "planning")).all()
    assert drafts and not {f"ocds-commons-{p.reference}" for p in drafts} & {r["ocid"] for r in package["releases"]}
    for p in db.session.scalars(select(Procurement).where(Procurement.stage != "planning")):
        response = client.get(f"/api/v1/ocds/procurements/{p.id}.json")
        assert response.status_code == 200, p.stage
        assert_valid_package(response.get_json())
