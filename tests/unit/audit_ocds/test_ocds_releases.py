"""What each stage of a procurement publishes as OCDS 1.1.5 , validated against the schema."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from oversight import ocds, ocds_services
from tenders.services import responses
from tests.unit.audit_ocds import builders as b
from tests.unit.audit_ocds.ocds_schema import assert_valid_package, schema_errors


def releases_for(p) -> list[dict]:
    found = ocds_services.procurement_releases(p.id)
    assert found is not None, f"{p.reference} ({p.stage}) has no releases"
    return found


def packaged(releases: list[dict]) -> dict:
    return ocds.package(releases, uri="https://commons.example/api/v1/ocds/releases.json",
                        published_date=ocds_services.latest_date(releases))


def tags(releases: list[dict]) -> list[list[str]]:
    return [r["tag"] for r in releases]


STAGE_BUILDERS = {
    "engagement": b.engaged,
    "tender": b.tendered,
    "amended tender": b.amended,
    "evaluation": b.opened,
    "award": b.awarded,
    "contract": b.contracted,
    "modified contract": b.modified,
    "cancelled": b.cancelled,
    "unsuccessful": b.unsuccessful,
    "cancelled after award": b.award_cancelled,
    "contract with its notices": b.noticed,
}


@pytest.mark.parametrize("stage", STAGE_BUILDERS)
def test_every_stage_publishes_a_package_that_validates_against_the_ocds_schema(people, stage):
    p = STAGE_BUILDERS[stage](people)
    releases = releases_for(p)
    assert_valid_package(packaged(releases))
    assert len({r["id"] for r in releases}) == len(releases)
    assert {r["ocid"] for r in releases} == {f"ocds-commons-{p.reference}"}
    assert [r["date"] for r in releases] == sorted(r["date"] for r in releases)


def test_the_schema_check_catches_a_broken_release(people):
    """The offline registry really resolves the release schema: a bad status inside a release is caught."""
    releases = releases_for(b.tendered(people))
    releases[0]["tender"]["status"] = "open"
    del releases[0]["initiationType"]
    errors = schema_errors(packaged(releases))
    assert any("tender/status" in e for e in errors)
    assert any("initiationType" in e for e in errors)


def test_engagement_is_a_planning_release_with_the_engagement_milestone_and_the_buyer(people):
    p = b.engaged(people)
    [release] = releases_for(p)
    assert release["tag"] == ["planning"]
    assert release["date"] == "2026-02-10T09:00:00Z"
    assert release["tender"]["status"] == "planning"
    milestones = release["planning"]["milestones"]
    assert milestones[0] == {"id": "engagement", "title": "Preliminary market engagement", "type": "engagement",
                             "description": milestones[0]["description"], "dueDate": "2026-02-25T23:59:59Z",
                             "status": "scheduled"}
    assert [m["type"] for m in milestones] == ["engagement", "engagement"]
    assert milestones[1]["title"] == "Market engagement event"
    assert "Westshire County Hall" in milestones[1]["description"]
    assert release["buyer"] == {"id": f"commons-org-{people.buyer.id}", "name": people.buyer.name}
    assert release["parties"] == [{"id": f"commons-org-{people.buyer.id}", "name": people.buyer.name,
                                   "roles": ["buyer", "procuringEntity"]}]
    assert release["tender"]["value"] == {"amount": 1_200_000.0, "currency": "GBP"}
    assert release["tender"]["items"][0]["classification"] == {
        "scheme": "CPV", "id": "85311300", "description": "Welfare services for children and young people"}
    assert "tenderPeriod" not in release["tender"]  # no tender notice yet


def test_tender_release_is_active_with_periods_criteria_and_method(people):
    p = b.with_bids(people)
    engagement, tender = releases_for(p)
    assert engagement["tender"]["status"] == "planning"
    assert tender["tag"] == ["tender"]
    block = tender["tender"]
    assert block["status"] == "active"
    assert block["procurementMethod"] == "open"
    assert block["tenderPeriod"] == {"startDate": "2026-03-02T09:00:00Z", "endDate": "2026-03-22T09:00:00Z"}
    assert block["enquiryPeriod"]["endDate"] == "2026-03-12T09:00:00Z"
    assert block["awardCriteria"] == "ratedCriteria"
    assert "Outcomes and approach (Quality and outcomes, 50%)" in block["awardCriteriaDetails"]
    # The clarification was answered after the notice: the snapshot at publication had none yet.
    assert block["hasEnquiries"] is False
    assert "numberOfTenderers" not in block and "tenderers" not in block


def test_bidders_are_not_named_until_the_award_notice(people):
    p = b.opened(people)
    releases = releases_for(p)
    assert tags(releases) == [["planning"], ["tender"], ["tenderUpdate"]]
    opened = releases[-1]
    assert opened["tender"]["numberOfTenderers"] == 2
    assert opened["tender"]["status"] == "active"
    assert opened["tender"]["hasEnquiries"] is True
    text = json.dumps(releases)
    for provider in (people.p1, people.p2):
        assert provider.organisation.name not in text
    assert [party["roles"] for party in opened["parties"]] == [["buyer", "procuringEntity"]]


def test_award_names_tenderers_and_the_supplier_while_the_tender_stays_active(people):
    p = b.awarded(people)
    award_release = releases_for(p)[-1]
    assert award_release["tag"] == ["award"]
    assert award_release["tender"]["status"] == "active"  # standstill running: complete only with a contract
    roles = {party["name"]: party["roles"] for party in award_release["parties"]}
    assert roles == {people.buyer.name: ["buyer", "procuringEntity"],
                     people.p1.organisation.name: ["tenderer", "supplier"],
                     people.p2.organisation.name: ["tenderer"]}
    [award] = award_release["awards"]
    assert award["status"] == "active"
    assert award["suppliers"] == [{"id": f"commons-org-{people.p1.organisation_id}",
                                   "name": people.p1.organisation.name}]
    assert "Standstill period: 8 working days" in award["description"]
    assert "value" not in award  # the public award notice gives no value until the contract
    assert len(award_release["tender"]["tenderers"]) == 2
    assert "contracts" not in award_release


def test_contract_completes_the_tender_with_value_and_period(people):
    p = b.contracted(people)
    releases = releases_for(p)
    assert tags(releases) == [["planning"], ["tender"], ["tenderUpdate"], ["award"], ["contract"]]
    contract_release = releases[-1]
    assert contract_release["tender"]["status"] == "complete"
    [contract] = contract_release["contracts"]
    assert contract["awardID"] == contract_release["awards"][0]["id"]
    assert contract["value"] == {"amount": b.WINNING_PRICE / 100, "currency": "GBP"}
    start = (b.CONTRACTED + timedelta(days=10)).date()
    assert contract["period"]["startDate"] == f"{start.isoformat()}T00:00:00Z"
    assert contract["period"]["endDate"] == "2029-04-22T23:59:59Z"  # 36 months from 23 April 2026, to the day before
    assert contract["status"] == "pending"  # it starts after the day it was entered into
    assert contract["dateSigned"] == "2026-04-13T10:00:00Z"
    assert contract_release["awards"][0]["value"] == contract["value"]
    # Earlier releases are snapshots: the award release still shows an active tender and no contract.
    assert releases[3]["tender"]["status"] == "active" and "contracts" not in releases[3]


def test_an_accepted_spin_off_is_a_contract_amendment_with_the_new_value(people):
    p = b.modified(people)
    releases = releases_for(p)
    assert tags(releases)[-2:] == [["contract"], ["contractAmendment"]]
    contract_release, amendment_release = releases[-2:]
    original = b.WINNING_PRICE / 100
    assert contract_release["contracts"][0]["value"]["amount"] == original
    assert "amendments" not in contract_release["contracts"][0]  # a snapshot from before the change
    [contract] = amendment_release["contracts"]
    assert contract["value"]["amount"] == original + b.WINNING_PRICE * 5 // 100 / 100
    [amendment] = contract["amendments"]
    assert "Weekend family time support" in amendment["description"] and "5% of its value" in amendment["rationale"]
    assert amendment_release["awards"][0]["value"]["amount"] == original  # the award stays what was awarded
    assert_valid_package(packaged(releases))


def test_a_published_specification_change_is_a_tender_amendment_with_the_new_deadline(people):
    p = b.amended(people)
    engagement, tender, amendment = releases_for(p)
    assert amendment["tag"] == ["tenderAmendment"]
    assert amendment["id"].endswith("-amendment-2")
    assert amendment["date"] == "2026-03-07T09:00:00Z"
    assert tender["tender"]["tenderPeriod"]["endDate"] == "2026-03-22T09:00:00Z"  # as first published
    assert amendment["tender"]["tenderPeriod"]["endDate"] == "2026-03-29T09:00:00Z"
    [change] = amendment["tender"]["amendments"]
    assert change["id"] == "specification-version-2"
    assert change["rationale"] == "Clarified the stability outcome"
    assert "replacing version 1" in change["description"]
    assert "amendments" not in tender["tender"]


def test_cancellation_is_a_tender_cancellation_with_its_public_reason(people):
    p = b.cancelled(people)
    engagement, cancelled = releases_for(p)
    assert engagement["tender"]["status"] == "planning"
    assert cancelled["tag"] == ["tenderCancellation"]
    assert cancelled["tender"]["status"] == "cancelled"
    assert cancelled["tender"]["amendments"][-1]["rationale"] == "The need will be met by an existing framework."


def test_unsuccessful_procurement_ends_with_status_unsuccessful(people):
    p = b.unsuccessful(people)
    last = releases_for(p)[-1]
    assert last["tag"] == ["tenderUpdate"]
    assert last["tender"]["status"] == "unsuccessful"
    assert "awards" not in last and "No response met" in last["tender"]["amendments"][-1]["rationale"]


def test_drafts_are_never_published_not_even_once_cancelled(people):
    p = b.draft(people)
    gone = b.cancelled_draft(people, title="A draft that was dropped")
    assert ocds_services.procurement_releases(p.id) is None
    assert ocds_services.procurement_releases(gone.id) is None
    assert ocds.releases(ocds.ProcurementFacts(procurement=p), "ocds-commons-") == []
    page = ocds_services.releases_page(None, 100)
    assert {r["ocid"] for r in page.releases}.isdisjoint({f"ocds-commons-{p.reference}",
                                                          f"ocds-commons-{gone.reference}"})


def test_no_sealed_content_scores_or_losing_prices_ever_appear(people):
    p = b.contracted(people)
    text = json.dumps(releases_for(p))
    assert b.SEALED_MARKER not in text
    assert b.SCORE_MARKER not in text
    assert str(b.LOSING_PRICE / 100) not in text and str(b.LOSING_PRICE) not in text
    for response in responses.responses_for(p):
        assert response.sha256 not in text  # not even the receipts of what was sealed
    keys = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            keys.update(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads(text))
    assert not {k for k in keys if any(word in k.lower() for word in ("score", "rank", "total", "price", "sha"))}


def test_the_ocid_prefix_comes_from_config(app, people):
    p = b.tendered(people)
    app.config["OCDS_OCID_PREFIX"] = "ocds-zz9test-"
    try:
        releases = releases_for(p)
    finally:
        app.config["OCDS_OCID_PREFIX"] = "ocds-commons-"
    assert {r["ocid"] for r in releases} == {f"ocds-zz9test-{p.reference}"}
    assert all(r["id"].startswith(f"ocds-zz9test-{p.reference}-") for r in releases)


def test_cancelling_after_the_award_cancels_the_award_too(people):
    p = b.award_cancelled(people)
    releases = releases_for(p)
    award_release, cancelled = releases[-2], releases[-1]
    assert award_release["awards"][0]["status"] == "active"
    assert cancelled["tag"] == ["tenderCancellation", "awardCancellation"]
    assert cancelled["tender"]["status"] == "cancelled"
    assert cancelled["awards"][0]["status"] == "cancelled"
    assert "contracts" not in cancelled


def test_each_contract_notice_is_a_release_with_its_tag(people):
    """UK7 contract details ("contract"), UK9 performance ("implementation"), termination ("contractTermination")."""
    releases = releases_for(b.noticed(people))
    assert tags(releases)[-4:] == [["contract"], ["contract"], ["implementation"], ["contractTermination"]]
    details, performance, termination = releases[-3:]
    assert details["id"].endswith("-contract-details")
    [report] = performance["contracts"][0]["implementation"]["documents"]
    assert report["title"].startswith("Contract performance notice (UK9)") and "92% school" in report["description"]
    [contract] = termination["contracts"]
    assert contract["status"] == "terminated"
    assert contract["period"]["endDate"].startswith((b.CONTRACTED + timedelta(days=195)).date().isoformat())
    assert "terminated early" in contract["description"] and "inspection" in contract["description"]
    assert performance["contracts"][0]["status"] != "terminated"  # a snapshot from before the end
    assert_valid_package(packaged(releases))
