"""Contract outcomes as OCDS implementation releases, validated offline against 1.1.5 with the Metrics extension."""
from outcomes.services import returns, statements
from outcomes.services.common import outcomes_for
from oversight import ocds, ocds_services
from tests.unit.audit_ocds.ocds_schema import schema_errors
from tests.unit.outcomes.builders import LATER, contracted, submitted
from tests.unit.outcomes.ocds_metrics_schema import (
    merge_patch,
    metrics_schema_errors,
    patched_release_schema,
)


def _published(world, *, cohort: int, achieved: int):
    contract = contracted(world)
    stability, education = outcomes_for(contract)
    returns.verify_return(submitted(world, stability, "2026-Q2", cohort=cohort, achieved=achieved), world.c1,
                          now=LATER)
    returns.verify_return(submitted(world, education, "2026-Q2", cohort=20, achieved=19), world.c1, now=LATER)
    statement = statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER)
    statements.approve_statement(statement, world.c2, now=LATER)
    found = ocds_services.procurement_releases(contract.procurement_id)
    package = ocds.package(found, uri="https://commons.example/api/v1/ocds/releases.json",
                           published_date=ocds_services.latest_date(found))
    return contract, statement, package


def test_the_merge_patch_adds_the_metrics_to_the_core_schema():
    schema = patched_release_schema()
    assert "agreedMetrics" in schema["definitions"]["Contract"]["properties"]
    assert "metrics" in schema["definitions"]["Implementation"]["properties"]
    assert "transactions" in schema["definitions"]["Implementation"]["properties"]  # the core's own, kept
    assert merge_patch({"a": 1, "b": {"c": 2}}, {"b": {"c": None, "d": 3}}) == {"a": 1, "b": {"d": 3}}


def test_an_approved_statement_is_an_implementation_release_that_validates_with_the_extension(db, world):
    _contract, statement, package = _published(world, cohort=20, achieved=15)
    assert not metrics_schema_errors(package), metrics_schema_errors(package)[:10]
    assert not schema_errors(package)
    assert package["extensions"] and "ocds_metric" in package["extensions"][0]
    implementation = [r for r in package["releases"] if r["tag"] == ["implementation"]
                      and r["id"].endswith("outcomes-2026-Q2")]
    assert len(implementation) == 1
    built = implementation[0]["contracts"][0]
    assert [m["id"] for m in built["agreedMetrics"]] == ["outcome-1", "outcome-2"]
    assert built["agreedMetrics"][0]["observations"][0]["measure"] == 69.0
    [transaction] = built["implementation"]["transactions"]
    assert transaction["value"]["amount"] == statement.total_pence / 100
    observed = {m["id"]: m["observations"] for m in built["implementation"]["metrics"]}
    assert observed["outcome-1"][0]["measure"] == 75.0 and observed["outcome-1"][0]["dimensions"] == {
        "period": "2026-Q2"}


def test_open_data_never_carries_a_suppressed_count(db, world):
    _contract, _statement, package = _published(world, cohort=3, achieved=2)
    built = next(r for r in package["releases"] if r["id"].endswith("outcomes-2026-Q2"))["contracts"][0]
    observed = {m["id"]: m["observations"] for m in built["implementation"]["metrics"]}
    assert observed["outcome-1"] == []  # 2 of 3: the percentage would give the small counts away
    assert not metrics_schema_errors(package)
