"""The demo shows a clear local gap in Northmere, spare places in Calderbrook, and every council's statement."""
from __future__ import annotations

import re

from sqlalchemy import select

from accounts.models import Organisation
from sufficiency.areas import REFERENCE_FILE
from sufficiency.models import Area, MarketPositionStatement


def test_demo_sufficiency_has_a_northmere_gap_a_surplus_and_statements(db, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    northmere = db.session.get(Area, "E10000099")
    assert northmere.is_demo and "E10000099" not in REFERENCE_FILE.read_text()
    rows = client.get("/api/v1/sufficiency?council=E10000099&horizon=now").get_json()["items"]
    very_high = next(r for r in rows if (r["category"], r["intensity"]) == ("behaviour", "very_high"))
    assert very_high["supply_local"] == 0 and very_high["gap"] is not None and very_high["gap"] >= 5
    page = client.get("/sufficiency?horizon=now").get_data(as_text=True)
    assert "Northmere" in page and "Half or more of the need unmet" in page
    calderbrook = client.get("/sufficiency?council=E08000099&horizon=now").get_data(as_text=True)
    row = re.search(r'Calderbrook</th>(.*?)</tr>', calderbrook, re.DOTALL).group(1)
    spare = int(re.findall(r'<td class="govuk-table__cell">([\d,]+)</td>', row)[-1].replace(",", ""))
    assert spare >= 20  # fostering places no Calderbrook child needs now
    councils = db.session.scalars(select(Organisation).where(Organisation.kind == "commissioning_unit")).all()
    published = set(db.session.scalars(select(MarketPositionStatement.organisation_id)))
    assert {c.id for c in councils} <= published
