"""What the sufficiency package gives the pages of the packages below it, through their registries.

The forum asks for the list of council areas (its need statements name one);
forum and procurement pages list the market position statements that bear
on them. The app factory calls `connect()` once.
"""
from __future__ import annotations

from typing import Any

from flask import url_for

from core.related import RelatedLink, register
from forum.models import register_area_choices
from sufficiency import statements
from sufficiency.areas import area_choices


def procurement_statements(procurement: Any) -> list[RelatedLink]:
    """The statements attached to a procurement's engagement notice."""
    return [RelatedLink("Market position statements", f"{s.organisation.name}: {s.title} (version {s.version})",
                        url_for("sufficiency.statement", statement_id=s.id))
            for s in statements.statements_for_procurement(procurement.id)]


def forum_statements(forum: Any) -> list[RelatedLink]:
    """The latest statement of each of the forum's owners (a consortium's member councils included)."""
    owners = {o.id for o in forum.owners} | {m.id for o in forum.owners for m in o.consortium_members}
    return [RelatedLink("Market position statements", f"{s.organisation.name}: {s.title}",
                        url_for("sufficiency.statement", statement_id=s.id))
            for s in statements.published_statements() if s.organisation_id in owners]


def connect() -> None:
    register_area_choices(area_choices)
    register("procurement", procurement_statements)
    register("forum", forum_statements)
