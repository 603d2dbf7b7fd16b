"""Charts as server-side SVG, each with the same figures as a table.

pygal draws the picture; the page shows it as an image (so it needs no
script and no inline style under the Content-Security-Policy) with a short
text alternative, and the macro in `templates/_macros/charts.html` puts the
figures it shows in an accessible table straight after it. A reader who
can't see the picture loses nothing, and no chart needs JavaScript.
"""
from __future__ import annotations

import base64
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pygal
from pygal.style import Style

# pygal puts a finder for its map plugins (unused here) at the end of sys.meta_path. It predates
# find_spec, so every import that nothing else finds makes Python 3.11 warn about it; take it out.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__module__ != "pygal"]

# Colours with at least 3:1 contrast against white, distinguishable in the common colour-vision deficiencies.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#6f72af", "#b58840", "#505a5f", "#912b88", "#28a197")

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=PALETTE,
    font_family="Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    title_font_size=18,
    value_font_size=12,
)

Number = float | int | None


@dataclass(frozen=True)
class Chart:
    """A picture and the table that says the same."""

    title: str
    alt: str
    svg: bytes
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


_SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)
_GENERATED = re.compile(rb"<!--.*?-->", re.S)


def _svg(chart: pygal.graph.graph.Graph) -> bytes:
    """The drawing without pygal's script (an image never runs it) and its dated comments, so output repeats."""
    svg = chart.render()
    return _GENERATED.sub(b"", _SCRIPT.sub(b"", svg))


def _config(kind: type, title: str, *, y_title: str = "", x_title: str = "", **options: object):
    return kind(
        title=title, y_title=y_title, x_title=x_title, style=STYLE, js=[], disable_xml_declaration=False,
        show_legend=True, legend_at_bottom=True, truncate_legend=-1, truncate_label=-1, width=800, height=420,
        print_values=False, **options)


def _cell(value: Number, unit: str) -> str:
    if value is None:
        return "none"
    text = f"{value:,.1f}".removesuffix(".0") if isinstance(value, float) else f"{value:,}"
    return f"{text}{unit}"


def _table(x_heading: str, x_labels: Sequence[str], series: Mapping[str, Sequence[Number]], unit: str
           ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    headers = (x_heading, *series)
    rows = tuple((label, *(_cell(values[i], unit) for values in series.values())) for i, label in enumerate(x_labels))
    return headers, rows


def line_chart(title: str, x_labels: Sequence[str], series: Mapping[str, Sequence[Number]], *, alt: str,
               x_heading: str = "Period", y_title: str = "", unit: str = "", caption: str = "",
               notes: Sequence[str] = (), dashed: Sequence[str] = ()) -> Chart:
    """Lines over periods (targets against actuals, trends); a `None` is a gap, not a zero."""
    chart = _config(pygal.Line, title, y_title=y_title, allow_interruptions=True, show_dots=True, dots_size=4)
    chart.x_labels = list(x_labels)
    for name, values in series.items():
        chart.add(name, list(values), stroke_style={"width": 3, "dasharray": "8, 6"} if name in dashed else
                  {"width": 3})
    headers, rows = _table(x_heading, x_labels, series, unit)
    return Chart(title, alt, _svg(chart), headers, rows, caption, tuple(notes))


def bar_chart(title: str, x_labels: Sequence[str], series: Mapping[str, Sequence[Number]], *, alt: str,
              x_heading: str = "Period", y_title: str = "", unit: str = "", stacked: bool = False,
              horizontal: bool = False, caption: str = "", notes: Sequence[str] = ()) -> Chart:
    """Bars by category or period, side by side or stacked (stages, payments at risk, earned and withheld)."""
    kind = {(False, False): pygal.Bar, (True, False): pygal.StackedBar,
            (False, True): pygal.HorizontalBar, (True, True): pygal.HorizontalStackedBar}[(stacked, horizontal)]
    chart = _config(kind, title, y_title=y_title)
    chart.x_labels = list(x_labels)
    for name, values in series.items():
        chart.add(name, list(values))
    headers, rows = _table(x_heading, x_labels, series, unit)
    return Chart(title, alt, _svg(chart), headers, rows, caption, tuple(notes))


def scatter_chart(title: str, series: Mapping[str, Sequence[tuple[float, float]]], *, alt: str,
                  headers: Sequence[str], rows: Sequence[Sequence[str]], x_title: str = "", y_title: str = "",
                  lines: Mapping[str, Sequence[tuple[float, float]]] | None = None, caption: str = "",
                  notes: Sequence[str] = ()) -> Chart:
    """Points against an x axis (funnel plots), with optional lines drawn through given points (limits).

    The caller gives the table, because what a reader needs beside a point
    (a provider's name, its interval) is more than its two coordinates.
    """
    chart = _config(pygal.XY, title, x_title=x_title, y_title=y_title, stroke=False, dots_size=5)
    for name, points in series.items():
        chart.add(name, list(points))
    for name, points in (lines or {}).items():
        chart.add(name, list(points), stroke=True, show_dots=False, stroke_style={"width": 2, "dasharray": "6, 4"})
    return Chart(title, alt, _svg(chart), tuple(headers), tuple(tuple(row) for row in rows), caption, tuple(notes))
