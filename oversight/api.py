"""The OCDS open data under /api/v1, and `flask --app wsgi export ocds`.

For now it serves the open data the issue asks for first: OCDS 1.1.5 release
packages of every published procurement. Public on purpose (no sign-in, no
token): everything in them is already on the public procurement pages.

Errors are JSON with the right status, never an HTML page or a stack trace,
because the clients are programs. A bad cursor or an unknown parameter is a
400 rather than a silent first page, so a client's bug shows at once.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, Response, request
from flask.cli import with_appcontext
from werkzeug.exceptions import BadRequest, NotFound

from core.api import ApiRoutes
from core.extensions import db
from core.openapi import Param, operation, schema
from core.transactions import call_service
from core.urls import external_url
from oversight import ocds, ocds_services

# Added to the API blueprint by the app factory (register).
routes = ApiRoutes()

DEFAULT_PER_PAGE = 20
PAGE_PARAMETERS = {"cursor", "per_page"}


def _json(body: dict[str, Any], status: int = 200) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: other sites' scripts may read it
    return response


schema("OcdsReleasePackage", {
    "type": "object", "description": "An OCDS 1.1.5 release package (https://standard.open-contracting.org/).",
    "required": ["uri", "version", "publisher", "releases"],
    "properties": {"uri": {"type": "string"}, "version": {"type": "string"}, "publisher": {"type": "object"},
                   "releases": {"type": "array", "items": {"type": "object"}},
                   "links": {"type": "object", "properties": {"next": {"type": "string"}}}},
})
OCDS_PAGE_PARAMS = (
    Param("cursor", "Opaque: use links.next of the previous page. Leave it out for the first page."),
    Param("per_page", "Procurements per page, 1 to 100.", type="integer", minimum=1, maximum=100, default=20),
)


def _page_arguments() -> tuple[ocds_services.Cursor | None, int]:
    unknown = sorted(set(request.args) - PAGE_PARAMETERS)
    if unknown:
        raise BadRequest(f"Unknown parameter(s): {', '.join(unknown)}. Use cursor and per_page.")
    cursor = None
    if "cursor" in request.args:
        try:
            cursor = ocds_services.Cursor.decode(request.args["cursor"])
        except ocds_services.BadCursor as exc:
            raise BadRequest(str(exc)) from None
    per_page_text = request.args.get("per_page", str(DEFAULT_PER_PAGE))
    if not (per_page_text.isascii() and per_page_text.isdigit()) or \
            not 1 <= int(per_page_text) <= ocds_services.MAX_PER_PAGE:
        raise BadRequest(f"per_page must be a whole number from 1 to {ocds_services.MAX_PER_PAGE}.")
    return cursor, int(per_page_text)


@routes.get("/ocds/releases.json")
@operation(summary="OCDS release package of published procurements, a page at a time", tag="Open data (OCDS)",
           response="OcdsReleasePackage", params=OCDS_PAGE_PARAMS, parse_query=False)
def ocds_releases() -> Response:
    """A release package of published procurements, a page of procurements at a time (all their releases).

    `links.next` (absent on the last page) carries the cursor for the next
    page. With nothing published yet the package has no releases, which the
    OCDS schema does not allow but is the truth; from the first engagement
    notice on, every page validates.
    """
    cursor, per_page = _page_arguments()
    page = ocds_services.releases_page(cursor, per_page)
    links = None
    if page.next_cursor is not None:
        links = {"next": external_url("api.ocds_releases", cursor=page.next_cursor.encode(), per_page=per_page)}
    uri = external_url("api.ocds_releases", **request.args.to_dict())
    return _json(ocds.package(page.releases, uri=uri, published_date=ocds_services.latest_date(page.releases),
                              links=links))


@routes.get("/ocds/procurements/<ident>.json")
@operation(summary="Every OCDS release of one published procurement", tag="Open data (OCDS)",
           response="OcdsReleasePackage", path_params={"ident": "The procurement's id."}, not_found=True,
           parse_query=False)
def ocds_procurement(ident: str) -> Response:
    """Every release of one published procurement. A draft is a 404, exactly like an id that does not exist."""
    if not ident.isascii() or not ident.isdigit() or len(ident) > 12:
        raise NotFound(f"There is no published procurement {ident!r}.")
    releases = ocds_services.procurement_releases(int(ident))
    if releases is None:
        raise NotFound(f"There is no published procurement {ident}.")
    return _json(ocds.package(releases, uri=external_url("api.ocds_procurement", ident=ident),
                              published_date=ocds_services.latest_date(releases)))


@click.command("ocds")
@with_appcontext
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the package to FILE (replaced only once complete). Default: standard output.")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 10_000),
              help="Procurements read per query.")
def export_ocds(output: Path | None, batch: int) -> None:
    """One OCDS 1.1.5 release package of every published procurement, written as it is read."""
    call_service(ocds_services.record_ocds_export, str(output) if output else "standard output")
    uri = external_url("api.ocds_releases")
    if output is None:
        count = ocds_services.write_package(sys.stdout, uri=uri, batch_size=batch, after_read=db.session.commit)
    else:
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as out:
                count = ocds_services.write_package(out, uri=uri, batch_size=batch, after_read=db.session.commit)
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    if count == 0:
        click.echo("Warning: nothing is published yet, so the package has no releases "
                   "(OCDS requires at least one).", err=True)
    if output is not None:
        click.echo(f"Wrote {count} releases to {output}", err=True)


def register(bp: Blueprint) -> None:
    """The OCDS endpoints and `flask export ocds`, on the app's API blueprint."""
    routes.register(bp)
    bp.cli.add_command(export_ocds)
