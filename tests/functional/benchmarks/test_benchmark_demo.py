"""The demo benchmarks: enough contracts and returns for every chart, and the planted stories in them."""
from __future__ import annotations

from sqlalchemy import select

from benchmarking import services
from benchmarking.models import BenchmarkRun
from demo.benchmarking import STABLE_HOME


def test_the_demo_shows_every_chart_with_its_stories(db, runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    page = client.get("/benchmarks").get_data(as_text=True)
    assert page.count('class="app-chart__image"') >= 3 and "Cost per successful outcome" in page
    data = client.get("/api/v1/benchmarks").get_json()
    [indicator] = [i for i in data["indicators"] if i["indicator"] == STABLE_HOME.indicator]
    rows = {r["label"]: r for r in indicator["rows"]}
    assert rows["Willow Therapeutic Care"]["standing"] == "below expected"
    assert rows["Willow Therapeutic Care"]["reply"]
    assert rows["Northern Oak Residential School"]["standing"] == "within expected"  # the hardest intake
    assert "Bridgeway Supported Living 16+" not in rows  # too few children to be named
    assert any(label.startswith("Other independent providers") for label in rows)
    assert len(data["periods"]) >= 3
    trend = client.get("/benchmarks?period=" + data["periods"][0]).get_data(as_text=True)
    assert "Willow Therapeutic Care" in trend
    run = db.session.scalar(select(BenchmarkRun))
    assert services.reproduce(run).matches
