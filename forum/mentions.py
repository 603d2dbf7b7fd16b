"""Mentions of organisations in forum posts: `@[Organisation name]`.

A mention becomes a link to the organisation's public page, and the
organisation's people who take part in the forum are notified. Organisations,
not people, are mentioned: the forum is about what providers and councils
offer, and a person's name in public text is better left out.
"""
from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select

from accounts.models import Organisation
from core.extensions import db

MENTION = re.compile(r"@\[([^\[\]\n]{2,200})\]")


def mentioned_organisations(body_md: str) -> list[Organisation]:
    """Registered organisations mentioned in the text, in order of first mention."""
    names = list(dict.fromkeys(" ".join(m.split()).lower() for m in MENTION.findall(body_md or "")))
    if not names:
        return []
    found = {o.name.lower(): o for o in db.session.scalars(
        select(Organisation).where(func.lower(Organisation.name).in_(names), Organisation.kind != "operator"))}
    return [found[n] for n in names if n in found]


def link_mentions(body_md: str, organisations: list[Organisation]) -> str:
    """Markdown with each known mention turned into a link; unknown ones stay as typed."""
    by_name = {o.name.lower(): o for o in organisations}
    adapter = current_app.url_map.bind("localhost")

    def replace(match: re.Match[str]) -> str:
        org = by_name.get(" ".join(match.group(1).split()).lower())
        if org is None:
            return match.group(0)
        label = org.name.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
        return f"[@{label}]({adapter.build('accounts.organisation', {'org_id': org.id})})"

    return MENTION.sub(replace, body_md)
