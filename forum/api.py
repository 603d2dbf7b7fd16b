"""Forums and need statements in the JSON API (GET /api/v1/forums..., /api/v1/needs...).

Forums are public, so is everything here: the same facts the forum and need
pages show (titles, remits, owners, thread titles and links, anonymised need
statements), never a meeting's online joining link or anyone's email address.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from core.api import PAGE_PARAMS, ApiRoutes, iso, json_response, paginate
from core.disclosure import suppress_count
from core.extensions import db
from core.openapi import DATE_TIME, INTEGER, TEXT, URL, Param, nullable, operation, page_of, ref, schema
from core.urls import external_url
from forum import queries
from forum.models import CATEGORIES, FORUM_STATUSES, NEED_STATUSES, REGIONS, Forum, NeedStatement, Thread

# Added to the API blueprint by the app factory.
routes = ApiRoutes()

TAG = "Forums and need statements"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,119}")

STRINGS = {"type": "array", "items": TEXT}
schema("ForumOwner", {"type": "object", "required": ["id", "name"], "properties": {"id": INTEGER, "name": TEXT}})
schema("ForumSummary", {
    "type": "object", "required": ["slug", "title", "region", "status", "categories", "owners", "url", "api_url"],
    "properties": {
        "id": INTEGER, "slug": TEXT, "title": TEXT, "region": TEXT,
        "status": {"type": "string", "enum": list(FORUM_STATUSES)}, "categories": STRINGS,
        "owners": {"type": "array", "items": ref("ForumOwner")}, "created_at": DATE_TIME, "updated_at": DATE_TIME,
        "url": URL, "api_url": URL,
    },
})
schema("ThreadLink", {"type": "object", "required": ["id", "title", "url"], "properties": {
    "id": INTEGER, "title": TEXT, "url": URL, "post_count": INTEGER, "created_at": DATE_TIME,
    "last_activity_at": DATE_TIME}})
schema("Forum", {"allOf": [ref("ForumSummary"), {"type": "object", "properties": {
    "remit_md": TEXT, "remit_html": TEXT,
    "threads": {"type": "array", "items": ref("ThreadLink"),
                "description": "Discussion threads, most recently active first."},
    "need_statements": {"type": "array", "items": {"type": "object", "properties": {
        "id": INTEGER, "title": TEXT, "status": TEXT, "api_url": URL}}},
}}]})
schema("ForumPage", page_of("ForumSummary", "Forums, newest first."))
schema("NeedItem", {"type": "object", "properties": {"category": TEXT, "intensity": TEXT, "frequency": TEXT,
                                                     "label": TEXT}})
schema("NeedStatement", {
    "type": "object", "required": ["id", "title", "status", "forum", "url", "api_url"],
    "properties": {
        "id": INTEGER, "title": TEXT, "status": {"type": "string", "enum": list(NEED_STATUSES)},
        "forum": {"type": "object", "properties": {"slug": TEXT, "title": TEXT, "api_url": URL}},
        "cohort_size": nullable(INTEGER), "cohort_label": TEXT, "age_bands": STRINGS,
        "items": {"type": "array", "items": ref("NeedItem")},
        "current_provision_md": TEXT, "current_provision_html": TEXT, "gaps_md": TEXT, "gaps_html": TEXT,
        "outcomes_md": TEXT, "outcomes_html": TEXT, "budget_min": nullable(INTEGER), "budget_max": nullable(INTEGER),
        "timescale": TEXT, "created_at": DATE_TIME, "updated_at": DATE_TIME,
        "url": {**URL, "description": "The need statement's thread, where providers respond."}, "api_url": URL,
    },
})
schema("NeedStatementPage", page_of("NeedStatement", "Need statements, newest first."))

REGION = Param("region", "Only this region.", enum=tuple(REGIONS))
CATEGORY = Param("category", "Only forums covering this category.", enum=tuple(CATEGORIES))


def forum_summary(forum: Forum) -> dict[str, Any]:
    return {"id": forum.id, "slug": forum.slug, "title": forum.title, "region": forum.region,
            "status": forum.status, "categories": forum.categories,
            "owners": [{"id": o.id, "name": o.name} for o in forum.owners],
            "created_at": iso(forum.created_at), "updated_at": iso(forum.updated_at),
            "url": external_url("forum.forum", slug=forum.slug), "api_url": external_url("api.forum", slug=forum.slug)}


def need_statement(need: NeedStatement) -> dict[str, Any]:
    return {
        "id": need.id, "title": need.title, "status": need.status,
        "forum": {"slug": need.forum.slug, "title": need.forum.title,
                  "api_url": external_url("api.forum", slug=need.forum.slug)},
        "cohort_size": suppress_count(need.cohort_size).shown, "cohort_label": need.cohort_label,
        "age_bands": [b for b in need.age_bands.split(",") if b],
        "items": [{"category": i.category, "intensity": i.intensity, "frequency": i.frequency, "label": i.label}
                  for i in need.items],
        "current_provision_md": need.current_provision_md, "current_provision_html": need.current_provision_html,
        "gaps_md": need.gaps_md, "gaps_html": need.gaps_html, "outcomes_md": need.outcomes_md,
        "outcomes_html": need.outcomes_html, "budget_min": need.budget_min, "budget_max": need.budget_max,
        "timescale": need.timescale, "created_at": iso(need.created_at), "updated_at": iso(need.updated_at),
        "url": external_url("forum.thread", slug=need.forum.slug, thread_id=need.thread_id),
        "api_url": external_url("api.need", need_id=need.id),
    }


@routes.get("/forums")
@operation(summary="Provider forums, newest first", response="ForumPage", tag=TAG,
           params=(REGION, CATEGORY, Param("status", "Only forums with this status.", enum=tuple(FORUM_STATUSES)))
           + PAGE_PARAMS)
def forums(query: dict[str, Any]) -> Response:
    """Every forum (open, closed and archived): forums are public."""
    candidates = select(Forum).options(selectinload(Forum.owners), selectinload(Forum.category_rows))
    if query["region"]:
        candidates = candidates.where(Forum.region == query["region"])
    if query["category"]:
        candidates = candidates.where(Forum.category_rows.any(category=query["category"]))
    if query["status"]:
        candidates = candidates.where(Forum.status == query["status"])
    rows, next_url = paginate(candidates, Forum.id, resource="forums", query_args=query)
    return json_response({"items": [forum_summary(f) for f in rows], "next": next_url})


@routes.get("/forums/<slug>")
@operation(summary="One forum with its threads and need statements", response="Forum", tag=TAG,
           path_params={"slug": "The forum's slug, as in its web address."}, not_found=True)
def forum(slug: str, query: dict[str, Any]) -> Response:
    """The forum's remit, owners, discussion threads (titles and links) and need statements."""
    found = db.session.scalar(select(Forum).where(Forum.slug == slug).options(
        selectinload(Forum.owners), selectinload(Forum.category_rows))) if _SLUG.fullmatch(slug) else None
    if found is None:
        raise NotFound("There is no forum with that slug.")
    threads = db.session.scalars(select(Thread).where(
        Thread.forum_id == found.id, Thread.id.not_in(select(NeedStatement.thread_id)))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc()))
    body = forum_summary(found)
    body.update({
        "remit_md": found.remit_md, "remit_html": found.remit_html,
        "threads": [{"id": t.id, "title": t.title, "post_count": t.post_count, "created_at": iso(t.created_at),
                     "last_activity_at": iso(t.last_activity_at),
                     "url": external_url("forum.thread", slug=found.slug, thread_id=t.id)} for t in threads],
        "need_statements": [{"id": n.id, "title": n.title, "status": n.status,
                             "api_url": external_url("api.need", need_id=n.id)} for n in queries.forum_needs(found)],
    })
    return json_response(body)


@routes.get("/needs")
@operation(summary="Need statements, newest first", response="NeedStatementPage", tag=TAG,
           params=(REGION, Param("category", "Only need statements in forums covering this category.",
                                 enum=tuple(CATEGORIES)),
                   Param("status", "Only need statements with this status.", enum=tuple(NEED_STATUSES)))
           + PAGE_PARAMS)
def needs(query: dict[str, Any]) -> Response:
    """Commissioners' anonymised statements of local need, from every forum."""
    candidates = select(NeedStatement).join(Forum, Forum.id == NeedStatement.forum_id).options(
        selectinload(NeedStatement.items), selectinload(NeedStatement.forum))
    if query["region"]:
        candidates = candidates.where(Forum.region == query["region"])
    if query["category"]:
        candidates = candidates.where(Forum.category_rows.any(category=query["category"]))
    if query["status"]:
        candidates = candidates.where(NeedStatement.status == query["status"])
    rows, next_url = paginate(candidates, NeedStatement.id, resource="needs", query_args=query)
    return json_response({"items": [need_statement(n) for n in rows], "next": next_url})


@routes.get("/needs/<int:need_id>")
@operation(summary="One need statement", response="NeedStatement", tag=TAG,
           path_params={"need_id": "The need statement's id."}, not_found=True)
def need(need_id: int, query: dict[str, Any]) -> Response:
    """One need statement; providers respond on its thread (`url`)."""
    found = db.session.get(NeedStatement, need_id)
    if found is None:
        raise NotFound(f"There is no need statement {need_id}.")
    return json_response(need_statement(found))
