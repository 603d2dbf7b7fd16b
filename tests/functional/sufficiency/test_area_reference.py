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
