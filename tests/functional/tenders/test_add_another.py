"""GOV.UK "add another" for outcome and criterion rows: no fixed limit, no JavaScript, nothing typed lost."""
from __future__ import annotations

import re

from tests.conftest import submit
from tests.unit.tenders.builders import draft


def _rows(html: str, prefix: str) -> set[int]:
    return {int(n) for n in re.findall(rf'name="{prefix}-(\d+)-', html)}


def test_add_another_criterion_shows_one_more_row_and_keeps_what_was_typed(client, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    data = {"score_max": "5", "add_criterion": "Add another criterion"}
    for i in range(6):
        data.update({f"criteria-{i}-kind": "quality", f"criteria-{i}-name": f"Criterion number {i}",
                     f"criteria-{i}-weight": "10"})
    response = submit(client, f"/tenders/{p.id}/criteria", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" not in html
    assert _rows(html, "criteria") == set(range(7))  # six typed and one more: no limit of four
    assert all(f'value="Criterion number {i}"' in html for i in range(6))
    assert [c.weight for c in p.criteria] == [50, 20, 30]  # nothing saved until "Save award criteria"
    data = {k: v for k, v in data.items() if k != "add_criterion"}
    data.update({"criteria-6-kind": "price", "criteria-6-name": "Price", "criteria-6-weight": "40"})
    assert submit(client, f"/tenders/{p.id}/criteria", data).status_code == 302
    assert len(p.criteria) == 7


def test_add_another_outcome_shows_one_more_row_and_keeps_what_was_typed(client, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    data = {"body_md": "Children thrive close to home.", "add_outcome": "Add another outcome"}
    for i in range(3):
        data.update({f"outcomes-{i}-domain": "safety", f"outcomes-{i}-description": f"Outcome number {i}",
                     f"outcomes-{i}-indicator": "Missing episodes", f"outcomes-{i}-baseline_method": "Prior 6 months",
                     f"outcomes-{i}-target": "Halve them", f"outcomes-{i}-timescale": "6 months",
                     f"outcomes-{i}-evidence_source": "Police records", f"outcomes-{i}-payment_share": "0"})
    data["outcomes-3-description"] = ""
    response = submit(client, f"/tenders/{p.id}/specification", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" not in html
    assert _rows(html, "outcomes") == set(range(5))  # three typed, the blank one, and one more
    assert all(f"Outcome number {i}" in html for i in range(3)) and "Children thrive close to home." in html
    assert len(p.versions) == 1
