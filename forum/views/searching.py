"""Full-text search across forums, threads, posts, need statements and meetings."""
from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from core.request_args import page_number
from forum import queries


def search() -> ResponseReturnValue:
    query = (request.args.get("q") or "").strip()
    found, problem = None, None
    if len(query) > 200:
        problem = "Your search must be 200 characters or fewer"
    elif query:
        found = queries.search_results(query, page_number())
        if not found.total and not any(ch.isalnum() for ch in query):
            problem = "Enter words to search for: symbols on their own cannot be searched"
    return render_template("forum/search.html", query=query, found=found, problem=problem,
                           page=page_number(), per_page=20), 400 if problem else 200
