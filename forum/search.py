"""Full-text search over forum content, one interface over two engines.

SQLite uses an FTS5 virtual table; PostgreSQL a table with a weighted
`tsvector` column and a GIN index (both made by the forum migration). Services
call `index`/`remove` in their own transaction, so the index never disagrees
with what was committed. Users' queries are reduced to plain words before
they reach either engine: FTS operators, quotes and brackets are never
interpreted, so no query can cause a syntax error.

Everything indexed is public (forums are publicly readable); hidden posts are
removed from the index when they are hidden, and meeting links never indexed.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3
from markupsafe import Markup, escape
from sqlalchemy import text

from core.extensions import db

START, STOP = "\ue000", "\ue001"  # private-use markers, escaped-then-replaced by <mark>
MAX_TERMS = 12


@dataclass
class Hit:
    kind: str  # forum | thread | post | need | meeting
    ref_id: int
    forum_id: int
    title: Markup
    snippet: Markup


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def plain_text(html_text: str) -> str:
    """Index what readers see, not the markdown or HTML that made it."""
    return html.unescape(nh3.clean(html_text or "", tags=set())).strip()


def terms(query: str) -> list[str]:
    """The words of a query: anything that is not a letter or digit separates them."""
    return re.findall(r"\w+", (query or "").lower())[:MAX_TERMS]


def remove(kind: str, ref_id: int) -> None:
    db.session.execute(text("DELETE FROM forum_search WHERE kind = :kind AND ref_id = :ref_id"),
                       {"kind": kind, "ref_id": ref_id})


def index(kind: str, ref_id: int, forum_id: int, title: str, body: str, label: str = "") -> None:
    """Add or replace one document, in the caller's transaction.

    `title` is searched (and weighted above the body); `label` is only shown,
    so a reply is listed under its thread's name without every reply matching
    a search for the thread's title.
    """
    remove(kind, ref_id)
    params = {"kind": kind, "ref_id": ref_id, "forum_id": forum_id, "title": title or "", "body": body or "",
              "label": label or ""}
    if _dialect() == "postgresql":
        db.session.execute(text(
            "INSERT INTO forum_search (kind, ref_id, forum_id, title, body, label, document) VALUES "
            "(:kind, :ref_id, :forum_id, :title, :body, :label, "
            "setweight(to_tsvector('english', :title), 'A') || setweight(to_tsvector('english', :body), 'B'))"
        ), params)
    else:
        db.session.execute(text(
            "INSERT INTO forum_search (kind, ref_id, forum_id, title, body, label) "
            "VALUES (:kind, :ref_id, :forum_id, :title, :body, :label)"
        ), params)


def _highlight(fragment: str | None) -> Markup:
    escaped = str(escape(fragment or ""))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


@dataclass
class Found:
    """One page of hits. `more` means the query matched over RANK_LIMIT documents.

    A word most posts contain ("placement") matches most of the index, and
    ranking every match before taking twenty grows with the whole forum. Past
    RANK_LIMIT matches the hits come most recent first (written or last edited)
    and only the first RANK_LIMIT can be paged through: the searcher is told
    and asked to add words, which brings the query back under the limit,
    where hits are ranked by relevance as before.
    """
    hits: list[Hit]
    total: int  # exact when not `more`; otherwise RANK_LIMIT, the number that can be paged through
    more: bool = False


RANK_LIMIT = 1000


# A thread is one result however many of its posts match: a post counts as its thread, and a thread (or a
# post) of a need statement's discussion counts as that need statement.
_THREAD_OF_POST = "(SELECT p.thread_id FROM forum_post AS p WHERE p.id = forum_search.ref_id)"
_GROUP = (
    "CASE forum_search.kind"
    f" WHEN 'post' THEN COALESCE((SELECT 'need:' || CAST(n.id AS VARCHAR(20)) FROM forum_need_statement AS n"
    f"  WHERE n.thread_id = {_THREAD_OF_POST}), 'thread:' || CAST({_THREAD_OF_POST} AS VARCHAR(20)))"
    " WHEN 'thread' THEN COALESCE((SELECT 'need:' || CAST(n.id AS VARCHAR(20)) FROM forum_need_statement AS n"
    "  WHERE n.thread_id = forum_search.ref_id), 'thread:' || CAST(forum_search.ref_id AS VARCHAR(20)))"
    " ELSE forum_search.kind || ':' || CAST(forum_search.ref_id AS VARCHAR(20)) END"
)


def _queries(words: list[str]) -> tuple[dict[str, object], str, str, str, str]:
    """Parameters, match condition, columns shown, a relevance score (lower is better) and the row key."""
    params: dict[str, object]
    if _dialect() == "postgresql":
        params = {"q": " ".join(words),
                  "opts": f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=12, MaxFragments=2"}
        return (params, "document @@ plainto_tsquery('english', :q)",
                "ts_headline('english', title, plainto_tsquery('english', :q), :opts) AS title_hl, "
                "ts_headline('english', body, plainto_tsquery('english', :q), :opts) AS body_hl",
                "-ts_rank_cd(document, plainto_tsquery('english', :q))", "forum_search.id")
    params = {"q": " ".join(f'"{w}"' for w in words), "start": START, "stop": STOP}
    return (params, "forum_search MATCH :q",
            "highlight(forum_search, 3, :start, :stop) AS title_hl, "
            "snippet(forum_search, 4, :start, :stop, '…', 24) AS body_hl",
            "bm25(forum_search, 0.0, 0.0, 0.0, 5.0, 1.0, 0.0)", "forum_search.rowid")


def search(query: str, page: int = 1, per_page: int = 20) -> Found:
    """The hits for the page asked for, one per thread: ranked by relevance, or most recent first past RANK_LIMIT.

    The best-ranked match of each thread stands for it (a thread's title, else its best post). Highlighted
    snippets are made only for the page's hits, not for every match.
    """
    words = terms(query)
    if not words:
        return Found([], 0)
    params, where, shown, score, key = _queries(words)
    # Counting stops one past the limit: the cost is bounded however common the words are.
    matched = db.session.scalar(text(
        f"SELECT count(*) FROM (SELECT 1 FROM forum_search WHERE {where} LIMIT {RANK_LIMIT + 1}) AS capped"),
        params) or 0
    more = matched > RANK_LIMIT
    capped = (f"SELECT {key} AS row_key, {_GROUP} AS grp, {score if not more else '0'} AS score "
              f"FROM forum_search WHERE {where} "
              f"ORDER BY {f'{key} DESC' if more else f'{score}, {key} DESC'} LIMIT {RANK_LIMIT}")
    grouped = (f"SELECT row_key, score, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY score, row_key DESC) AS rn "
               f"FROM ({capped}) AS capped")
    total = db.session.scalar(text(f"SELECT count(*) FROM ({grouped}) AS g WHERE rn = 1"), params) or 0
    offset = (max(page, 1) - 1) * per_page
    limit = max(min(per_page, total - offset), 0)
    if not limit:
        return Found([], total, more)
    keys = [row.row_key for row in db.session.execute(text(
        f"SELECT row_key FROM ({grouped}) AS g WHERE rn = 1 "
        f"ORDER BY {'row_key DESC' if more else 'score, row_key DESC'} LIMIT :limit OFFSET :offset"),
        {**params, "limit": limit, "offset": offset})]
    rows = {row.row_key: row for row in db.session.execute(text(
        f"SELECT {key} AS row_key, kind, ref_id, forum_id, {shown}, label FROM forum_search "
        f"WHERE {where} AND {key} IN ({', '.join(str(int(k)) for k in keys)})"), params)}
    hits = [Hit(kind=row.kind, ref_id=int(row.ref_id), forum_id=int(row.forum_id),
                title=_highlight(row.title_hl) if row.title_hl else Markup(escape(row.label)),
                snippet=_highlight(row.body_hl)) for row in (rows[k] for k in keys if k in rows)]
    return Found(hits, total, more)
