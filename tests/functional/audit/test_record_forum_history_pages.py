"""The procurement record page and its CSV show the forum history that led to the procurement."""
from __future__ import annotations

import csv
import io

from forum import services as forum_services
from tenders.services import links
from tests.unit.tenders.builders import T0, draft, forum_of, make_world, need_in


def test_record_page_and_csv_start_from_the_first_forum_mention(db, client, auth, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    forum = forum_of(world.c1)
    forum_services.join_forum(forum, world.p1)
    forum_services.start_thread(forum, world.p1, "Homes near schools", "We could open two homes.")
    need = need_in(forum, world.c1)
    p = draft(world)
    links.set_links(p, world.c1, forum=forum, needs=[need], now=T0)
    db.session.commit()

    auth.sign_in(world.auditor)
    html = client.get(f"/audit/procurements/{p.id}").get_data(as_text=True)
    assert "forum history, before the procurement" in html
    assert "from the linked forum and need statements before the procurement was created" in html
    assert html.index("forum.thread_started") < html.index("procurement.created")

    response = client.get(f"/audit/procurements/{p.id}/record.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    actions = [row["action"] for row in rows]
    assert actions[:4] == ["forum.created", "forum.joined", "forum.thread_started", "forum.need_published"]
    assert "procurement.created" in actions and "procurement.forum_linked" in actions
