"""Charts: an SVG picture with no script, and a table with the same figures."""
from __future__ import annotations

import base64

from flask import render_template_string

from core.charts import bar_chart, line_chart, scatter_chart


def test_a_line_chart_tables_every_series_by_period_with_gaps_as_none():
    chart = line_chart("Outcome 1", ["Q1", "Q2", "Q3"], {"Target": [60, 60, 60], "Actual": [40.5, None, 70]},
                       alt="Actual against target", unit="%")
    assert chart.headers == ("Period", "Target", "Actual")
    assert chart.rows == (("Q1", "60%", "40.5%"), ("Q2", "60%", "none"), ("Q3", "60%", "70%"))


def test_the_picture_carries_no_script_and_repeats_exactly():
    first = bar_chart("Stages", ["Draft", "Tender"], {"2026": [3, 4]}, alt="By stage", stacked=True)
    second = bar_chart("Stages", ["Draft", "Tender"], {"2026": [3, 4]}, alt="By stage", stacked=True)
    assert b"<script" not in first.svg
    assert first.svg.startswith(b"<?xml")
    assert first.data_uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(first.data_uri.split(",", 1)[1]) == first.svg
    assert first.svg.count(b"<svg") == 1
    assert len(first.svg) == len(second.svg)


def test_labels_are_escaped_in_the_picture():
    chart = bar_chart("<b>Providers</b>", ["A & B <x>"], {"Earned": [1]}, alt="x")
    assert b"<b>" not in chart.svg and b"<x>" not in chart.svg
    assert b"A &amp; B &lt;x&gt;" in chart.svg


def test_a_scatter_keeps_the_table_it_is_given():
    chart = scatter_chart("Funnel", {"Providers": [(10, 0.5), (40, 0.7)]}, alt="Funnel plot",
                          headers=["Provider", "n", "rate"], rows=[["A", "10", "50%"], ["B", "40", "70%"]],
                          lines={"Upper 95%": [(10, 0.9), (40, 0.8)]})
    assert chart.rows[1] == ("B", "40", "70%")
    assert b"<script" not in chart.svg


def test_the_macro_shows_the_image_with_its_alt_text_then_the_table(app):
    chart = line_chart("Returns", ["Q1"], {"Actual": [3]}, alt="One quarter of returns")
    with app.test_request_context():
        html = render_template_string('{% from "_macros/charts.html" import chart %}{{ chart(c) }}', c=chart)
    assert 'alt="One quarter of returns"' in html
    assert html.index("<img") < html.index("<table")
    assert '<th scope="row" class="govuk-table__header">Q1</th>' in html
