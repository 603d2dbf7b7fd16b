"""The public front door and the health check."""
from __future__ import annotations

from flask import Blueprint, render_template

from core import queries

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    return render_template("core/home.html", **queries.front_page())


@bp.route("/healthz")
def healthz():
    """The bare route: benchmarks measure every page against it."""
    return {"status": "ok"}
