"""The shipped list of council areas, and updating it from an ONS file with the CLI."""
from __future__ import annotations

import pytest

from core.errors import RuleViolation
from sufficiency.areas import REFERENCE_FILE, read_reference
from sufficiency.models import Area


def test_the_shipped_list_has_every_english_upper_tier_and_welsh_unitary_council_with_its_source():
    rows, source = read_reference(REFERENCE_FILE.read_text(encoding="utf-8"))
    assert len([r for r in rows if r.code.startswith("E")]) == 153
    assert len([r for r in rows if r.code.startswith("W")]) == 22
    assert "Office for National Statistics" in source and "2023-04-01" in source
    assert len({r.code for r in rows}) == len(rows)


def test_the_cli_loads_an_ons_layout_file_skipping_scottish_councils(db, runner, tmp_path):
    ons = tmp_path / "ctyua.csv"
    ons.write_text("# Source: ONS test file\n# Date: 2026-04-01\nCTYUA26CD,CTYUA26NM,RGN26NM\n"
                   "E06000014,City of York,Yorkshire and the Humber\nS12000033,Aberdeen City,\n"
                   "W06000015,Cardiff,\n")
    result = runner.invoke(args=["sufficiency", "update-areas", str(ons)])
    assert result.exit_code == 0, result.output
    assert "1 areas added or changed" in result.output  # York renamed; Cardiff unchanged
    assert db.session.get(Area, "E06000014").name == "City of York"
    assert db.session.get(Area, "S12000033") is None


def test_a_file_without_the_columns_or_with_an_unknown_region_is_refused():
    with pytest.raises(RuleViolation):
        read_reference("code,name\nE06000014,York\n")
    with pytest.raises(RuleViolation) as refused:
        read_reference("code,name,region\nE06000014,York,Atlantis\n")
    assert "Line 2" in refused.value.reasons["file"]


def test_the_cli_sets_an_areas_neighbours_as_a_named_commissioner_and_the_trail_says_who(db, runner,
                                                                                           user_factory):
    from sqlalchemy import select

    from sufficiency.models import Neighbour
    from trail.models import AuditEvent

    commissioner = user_factory("commissioner")
    result = runner.invoke(args=["sufficiency", "set-neighbours", "E06000014", "e08000035",
                                 "E06000010:statistical", "--as", commissioner.email.upper()])
    assert result.exit_code == 0, result.output
    assert "City of York has 2 neighbours" in result.output or "York has 2 neighbours" in result.output
    kinds = {n.neighbour_code: n.kind for n in db.session.scalars(
        select(Neighbour).where(Neighbour.area_code == "E06000014"))}
    assert kinds == {"E08000035": "geographic", "E06000010": "statistical"}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sufficiency.neighbours_set")).one()
    assert event.actor_user_id == commissioner.id


def test_the_cli_refuses_a_provider_an_unknown_area_and_a_neighbour_not_on_the_list(db, runner, user_factory):
    provider = user_factory("provider")
    commissioner = user_factory("commissioner")
    refused = runner.invoke(args=["sufficiency", "set-neighbours", "E06000014", "E08000035", "--as", provider.email])
    assert refused.exit_code != 0 and "Only commissioners and administrators" in refused.output
    unknown = runner.invoke(args=["sufficiency", "set-neighbours", "X99", "--as", commissioner.email])
    assert unknown.exit_code != 0 and "No area X99" in unknown.output
    wrong = runner.invoke(args=["sufficiency", "set-neighbours", "E06000014", "Z12345678", "--as",
                                commissioner.email])
    assert wrong.exit_code != 0 and "Choose neighbours from the list of areas" in wrong.output
