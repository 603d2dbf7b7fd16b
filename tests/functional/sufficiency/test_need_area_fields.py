"""Need statements take a council area, a horizon and a number of children per need; the child-data check stays."""
from __future__ import annotations

from sqlalchemy import select

from forum import services
from forum.models import NeedStatement
from sufficiency.analysis import gather_inputs
from sufficiency.gap import Demand
from tests.conftest import submit

FORM = {"title": "Homes for teenagers at risk", "cohort_size": "9", "age_bands": ["11-15"],
        "area_code": "E10000017", "horizon": "12_months",
        "items-0-category": "safety", "items-0-intensity": "very_high", "items-0-frequency": "continuous",
        "items-0-children": "7", "items-1-category": "family", "items-1-intensity": "high",
        "items-1-frequency": "weekly", "items-1-children": "2",
        "current_provision": "Most live out of area.", "gaps": "Too few homes.", "outcomes": "Safer lives.",
        "timescale": "From April 2027", "status": "open"}


def _forum(user_factory):
    owner = user_factory("commissioner")
    return owner, services.create_forum(owner, services.ForumDetails(
        title="Residential care", remit_md="Homes.", region="North West", categories=["childrens_homes"]))


def test_a_need_with_area_horizon_and_children_is_counted_as_demand(client, auth, user_factory, db):
    owner, forum = _forum(user_factory)
    auth.sign_in(owner)
    assert submit(client, f"/forums/{forum.slug}/needs/new", FORM).status_code == 302
    need = db.session.scalar(select(NeedStatement).where(NeedStatement.title == FORM["title"]))
    assert (need.area_code, need.horizon, [i.children for i in need.items]) == ("E10000017", "12_months", [7, 2])
    page = client.get(client.get(f"/needs/{need.id}").headers["Location"]).get_data(as_text=True)
    assert "Lancashire, needed within 12 months" in page
    assert "(7 children)" in page and "(fewer than 5 children)" in page
    item = need.items[0]
    assert Demand("E10000017", "safety", "very_high", "12_months", 7, f"need-item:{item.id}") in gather_inputs().demand


def test_an_area_not_on_the_list_and_a_bad_count_are_clear_errors_keeping_the_input(client, auth, user_factory):
    owner, forum = _forum(user_factory)
    auth.sign_in(owner)
    html = submit(client, f"/forums/{forum.slug}/needs/new",
                  {**FORM, "area_code": "X99", "items-0-children": "0"}).get_data(as_text=True)
    assert "There is a problem" in html and "Enter a number of children from 1 to 100,000" in html
    assert 'value="Homes for teenagers at risk"' in html


def test_the_child_data_check_still_guards_need_statements(client, auth, user_factory):
    owner, forum = _forum(user_factory)
    auth.sign_in(owner)
    html = submit(client, f"/forums/{forum.slug}/needs/new",
                  {**FORM, "gaps": "Call his mum on 07700 900123"}).get_data(as_text=True)
    assert "personal data about a child" in html
