"""The public front door and the health check."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from commons.front_page import front_page

bp = Blueprint("core", __name__)


@bp.app_template_global("related_links")
def _related_links(kind: str, obj: object) -> list:
    """What other packages link from this page (core.related): e.g. statements attached to a procurement."""
    from core.related import related_links

    return related_links(kind, obj)


@bp.route("/")
def home():
    return render_template("core/home.html", **front_page())


@bp.route("/healthz")
def healthz():
    """The bare route: benchmarks measure every page against it."""
    return {"status": "ok"}


@bp.route("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers, feed readers and bookmarks ask for /favicon.ico whatever the page's <link rel="icon"> says."""
    if current_app.static_folder is None:  # the app is made with its static folder (commons.app)
        raise NotFound
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)
