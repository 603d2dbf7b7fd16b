"""Pictures: the pipeline on /tenders and each contract's cumulative modifications, each with its table."""
from html import unescape

from tenders.pictures import modifications_chart, pipeline_chart
from tests.conftest import submit_and_confirm
from tests.functional.tenders.test_spinoffs_pages import _setup
from tests.unit.tenders.builders import T0, in_engagement, in_tender
from tests.unit.tenders.test_spinoffs import propose


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_tenders_shows_the_pipeline_by_month_and_stage_with_its_figures(client, db, world, at):
    in_engagement(world)
    in_tender(world)
    db.session.commit()
    chart = pipeline_chart(T0)
    assert chart is not None
    assert chart.headers[0] == "Month first published"
    assert set(chart.headers[1:]) >= {"Preliminary market engagement", "Tender open"}
    feb = dict(zip(chart.headers, next(row for row in chart.rows if row[0] == "Feb 2026")))
    assert feb["Preliminary market engagement"] == "1" and feb["Tender open"] == "1"
    html = _text(client.get("/tenders"))
    assert "The pipeline" in html and 'src="data:image/svg+xml;base64,' in html
    assert "Procurements published each month, by the stage they are at now: the figures" in html
    assert "<script" not in chart.svg.decode()


def test_no_pipeline_chart_without_published_procurements(client, db):
    assert "The pipeline" not in _text(client.get("/tenders"))


def test_a_contract_shows_its_cumulative_modification_against_the_10_and_50_percent_lines(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    assert modifications_chart(contract) is None
    proposal = propose(world, contract, now, price=5_500_000)
    auth.sign_in(world.c1)
    submit_and_confirm(client, f"/tenders/{p.id}/spinoffs/{proposal.id}/decide",
                       {"changes_overall_nature": "no", "unforeseeable": "no", "additional_from_same_provider": "no",
                        "decision": "accept", "reason": "Builds on the outcomes", "submit": "Record the decision"})
    chart = modifications_chart(contract)
    assert chart.headers == ("After", "Cumulative modification", "10% line", "50% line")
    assert chart.rows[0] == ("Award", "0%", "10%", "50%") and chart.rows[1][1:] == ("5%", "10%", "50%")
    for url in (f"/tenders/{p.id}/contract/modifications", f"/tenders/{p.id}"):
        html = _text(client.get(url))
        assert "Cumulative modification of the contract value: the figures" in html, url
