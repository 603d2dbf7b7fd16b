"""A thread page costs the same number of SQL queries whatever its length."""
from __future__ import annotations

import contextlib

from sqlalchemy import event

from forum import services


@contextlib.contextmanager
def count_queries(engine):
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def _page_queries(client, db, url):
    with count_queries(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_thread_page_issues_a_bounded_number_of_queries(client, db, auth, forum, thread, member, commissioner,
                                                         user_factory):
    url = f"/forums/{forum.slug}/threads/{thread.id}"
    auth.sign_in(member)
    few = _page_queries(client, db, url)
    authors = [member, commissioner] + [user_factory("provider") for _ in range(4)]
    for author in authors[2:]:
        services.join_forum(forum, author)
    from forum.attachments import Upload
    from tests.unit.forum.files import CSV

    previous = None
    for n in range(60):
        author = authors[n % len(authors)]
        previous = services.reply(thread, author, f"Reply number {n} with [a link](https://example.org/{n})",
                                  quoted_post=previous if n % 3 == 0 else None,
                                  attachment=Upload(f"data{n}.csv", CSV) if n % 5 == 0 else None)
    services.edit_post(previous, authors[59 % len(authors)], "Edited reply")
    services.hide_post(previous, commissioner, "Testing placeholders")
    db.session.commit()
    many = _page_queries(client, db, url)
    last_page = _page_queries(client, db, url + "?page=3")
    assert many <= few + 2, (few, many)
    assert last_page <= few + 2, (few, last_page)
    assert few >= 3 and many <= 25
