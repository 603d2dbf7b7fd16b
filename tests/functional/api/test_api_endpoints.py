"""The read-only JSON API: what each endpoint shows, to whom, page by page, and its JSON errors."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.functional.api.conftest import QUESTION, bearer


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _ids(client, url: str, token: str | None = None) -> list[int]:
    """Every id of a list, following `next` links to the end."""
    ids, seen_urls = [], set()
    while url:
        assert url not in seen_urls, "a next link pointed back at an earlier page"
        seen_urls.add(url)
        response = client.get(url, headers=bearer(token))
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        ids += [item["id"] for item in body["items"]]
        url = _path(body["next"]) if body["next"] else None
    return ids


def _error(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"]["status"] == status and body["error"]["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body["error"]


# ---------------------------------------------------------------- visibility


def test_a_draft_is_hidden_from_the_public_and_other_councils(client, seeded):
    url = f"/api/v1/procurements/{seeded.draft.id}"
    _error(client.get(url), 404)
    _error(client.get(url, headers=bearer(seeded.tokens["other_council"])), 404)
    listed = _ids(client, "/api/v1/procurements?limit=100", seeded.tokens["other_council"])
    assert seeded.draft.id not in listed and seeded.engaged.id in listed
    assert seeded.draft.id not in _ids(client, "/api/v1/procurements?limit=100")


@pytest.mark.parametrize("who", ["owner", "auditor"])
def test_a_draft_is_visible_to_the_owners_and_auditors_tokens(client, seeded, who):
    token = seeded.tokens[who]
    response = client.get(f"/api/v1/procurements/{seeded.draft.id}", headers=bearer(token))
    assert response.status_code == 200
    assert response.get_json()["stage"] == "planning"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert seeded.draft.id in _ids(client, "/api/v1/procurements?limit=2", token)
    assert _ids(client, "/api/v1/procurements?stage=planning", token) == [seeded.draft.id]


def test_the_planning_filter_finds_nothing_for_the_public(client, seeded):
    assert _ids(client, "/api/v1/procurements?stage=planning") == []


def test_a_signed_in_browser_session_does_not_reveal_drafts(client, auth, seeded):
    auth.sign_in(seeded.world.c1)
    _error(client.get(f"/api/v1/procurements/{seeded.draft.id}"), 404)


def test_procurement_filters_match_stage_category_and_region(client, seeded):
    assert _ids(client, "/api/v1/procurements?stage=award") == [seeded.awarded.id]
    assert set(_ids(client, "/api/v1/procurements?category=childrens_homes&region=North%20West")) == {
        seeded.engaged.id, seeded.tender.id, seeded.awarded.id}
    assert _ids(client, "/api/v1/procurements?category=fostering") == []
    assert _ids(client, "/api/v1/procurements?region=Wales") == []
    _error(client.get("/api/v1/procurements?region=Cornwall"), 400)  # a region is one of the shared list


def test_one_procurement_carries_its_public_notice_data(client, seeded):
    body = client.get(f"/api/v1/procurements/{seeded.tender.id}").get_json()
    assert body["reference"] == seeded.tender.reference and body["stage"] == "tender"
    assert body["engagement_notice"]["closes_on"] and body["tender"]["response_deadline"].endswith("Z")
    assert body["specification"]["version"] >= 1
    assert [o["domain"] for o in body["specification"]["outcomes"]] == ["stability", "education"]
    assert [c["weight"] for c in body["criteria"]] == [50, 20, 30]
    assert body["links"]["clarifications"].endswith(f"/api/v1/procurements/{seeded.tender.id}/clarifications")
    engaged = client.get(f"/api/v1/procurements/{seeded.engaged.id}").get_json()
    assert engaged["specification"] is None and engaged["criteria"] == [], "as on the page: nothing unpublished"


def test_clarifications_are_answered_only_with_the_asker_pseudonymised(client, seeded):
    response = client.get(f"/api/v1/procurements/{seeded.tender.id}/clarifications")
    items = response.get_json()["items"]
    assert [(c["asked_by"], c["question"]) for c in items] == [("Bidder Q-1", QUESTION)]
    text = response.get_data(as_text=True)
    assert seeded.world.p1.organisation.name not in text and seeded.world.p1.full_name not in text
    assert "An unanswered question" not in text


def test_award_notices_are_listed_and_per_procurement(client, seeded):
    listed = client.get("/api/v1/award-notices").get_json()
    assert [n["procurement"]["id"] for n in listed["items"]] == [seeded.awarded.id]
    one = client.get(f"/api/v1/procurements/{seeded.awarded.id}/award").get_json()
    assert one["provider"]["name"] == seeded.world.p1.organisation.name
    assert one["standstill_applies"] is True and one["standstill_ends_on"]
    _error(client.get(f"/api/v1/procurements/{seeded.tender.id}/award"), 404)


def test_forums_and_need_statements(client, seeded):
    forums = client.get("/api/v1/forums").get_json()["items"]
    assert [f["slug"] for f in forums] == [seeded.forum.slug]
    forum = client.get(f"/api/v1/forums/{seeded.forum.slug}").get_json()
    assert [t["title"] for t in forum["threads"]] == [seeded.thread.title]
    assert forum["threads"][0]["url"].endswith(f"/forums/{seeded.forum.slug}/threads/{seeded.thread.id}")
    assert [n["id"] for n in forum["need_statements"]] == [seeded.need.id]
    need = client.get(f"/api/v1/needs/{seeded.need.id}").get_json()
    assert need["title"] == seeded.need.title and need["forum"]["slug"] == seeded.forum.slug
    assert _ids(client, "/api/v1/needs?status=open&region=North%20West") == [seeded.need.id]
    assert _ids(client, "/api/v1/needs?status=met") == []
    assert _ids(client, "/api/v1/forums?category=fostering") == []


# ---------------------------------------------------------------- pagination


def test_cursor_pages_cover_every_item_once_newest_first(client, seeded):
    everything = _ids(client, "/api/v1/procurements?limit=100", seeded.tokens["auditor"])
    assert len(everything) == 4 and everything == sorted(everything, reverse=True)
    assert _ids(client, "/api/v1/procurements?limit=1", seeded.tokens["auditor"]) == everything
    first = client.get(
        "/api/v1/procurements?limit=2&category=childrens_homes", headers=bearer(seeded.tokens["auditor"])
    )
    next_url = first.get_json()["next"]
    assert "category=childrens_homes" in next_url and "limit=2" in next_url, "the next link keeps the filters"


def test_the_last_page_has_no_next_link(client, seeded):
    body = client.get("/api/v1/procurements?limit=100").get_json()
    assert body["next"] is None


@pytest.mark.parametrize("cursor", ["nonsense", "", "eyJhIjoxfQ", "1", "0" * 500])
def test_a_cursor_this_api_did_not_give_out_is_a_400(client, seeded, cursor):
    error = _error(client.get(f"/api/v1/procurements?cursor={cursor}"), 400)
    assert "cursor" in error["message"]


def test_a_cursor_from_another_list_is_refused(client, seeded):
    next_url = client.get("/api/v1/procurements?limit=1").get_json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    _error(client.get(f"/api/v1/forums?cursor={cursor}"), 400)
    assert client.get(f"/api/v1/procurements?cursor={cursor}").status_code == 200


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("query", ["stage=drafting", "category=anything", "limit=0", "limit=101", "limit=ten",
                                   "limit=%C2%B2", "page=2", "limit=1&limit=2", "region=%00", "region=" + "x" * 101])
def test_bad_filters_and_limits_are_json_400s(client, seeded, query):
    _error(client.get(f"/api/v1/procurements?{query}"), 400)


@pytest.mark.parametrize("path", ["/api/v1/procurements/999999", "/api/v1/procurements/99999999999",
                                  "/api/v1/procurements/abc", "/api/v1/procurements/-1/clarifications",
                                  "/api/v1/needs/999999", "/api/v1/forums/no-such-forum", "/api/v1/forums/%00",
                                  "/api/v1/procurements/999999/award", "/api/v1", "/api/v1/"])
def test_unknown_ids_and_paths_are_json_404s(client, seeded, path):
    _error(client.get(path), 404)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_wrong_methods_are_json_405s_that_say_what_is_allowed(client, seeded, method):
    response = client.open(f"/api/v1/procurements/{seeded.tender.id}", method=method)
    _error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_an_unexpected_failure_is_a_json_500_without_a_stack_trace(client, seeded, monkeypatch, caplog):
    import tenders.api

    def broken(_p):
        raise RuntimeError("boom in the serialiser")

    monkeypatch.setattr(tenders.api, "summary", broken)
    response = client.get("/api/v1/procurements", headers=bearer(seeded.tokens["auditor"]))
    error = _error(response, 500)
    assert "boom" not in response.get_data(as_text=True) and "serialiser" not in error["message"]
    assert seeded.tokens["auditor"] not in caplog.text

