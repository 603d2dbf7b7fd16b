""""My work" from sufficiency: stale vacancies for providers, a statement to publish or update for commissioners."""
from __future__ import annotations

from datetime import timedelta

from core import clock
from core.worklist import items_for
from sufficiency import analysis, capacity, statements


def _section(user, section):
    return [item for item in items_for(user) if item.section == section]


def test_a_provider_is_asked_to_confirm_vacancies_a_week_old_or_never_given(db, user_factory):
    provider, other = user_factory("provider"), user_factory("provider")
    today = clock.utcnow().date()

    def declare(name, confirmed):
        return capacity.declare_setting(provider, capacity.SettingDetails(
            name=name, area_code="E10000017", setting_type="childrens_home", categories=["behaviour"],
            highest_intensity="high", registered_places=4, age_from=10, age_to=17,
            vacancies=None if confirmed is None else 1, vacancies_confirmed_on=confirmed))

    declare("Fresh", today - timedelta(days=2))
    stale = declare("Stale", today - timedelta(days=8))
    never = declare("Unknown", None)
    found = _section(provider, "Vacancies to confirm")
    assert [i.url for i in found] == [
        f"/sufficiency/settings/{stale.id}/edit",
        f"/sufficiency/settings/{never.id}/edit",
    ]
    assert _section(other, "Vacancies to confirm") == []


def test_a_commissioner_is_asked_to_publish_then_to_update_after_a_newer_run(db, user_factory):
    commissioner = user_factory("commissioner")
    commissioner.organisation.gss_code = "E10000017"
    assert _section(commissioner, "Sufficiency") == []  # no run yet: nothing to publish from
    run = analysis.run_analysis(commissioner, name="First")
    [item] = _section(commissioner, "Sufficiency")
    assert item.title == "Publish your market position statement"
    statements.publish_statement(commissioner, title="Ours", narrative_md="Text.", run=run)
    assert _section(commissioner, "Sufficiency") == []
    analysis.run_analysis(commissioner, name="Second")
    [item] = _section(commissioner, "Sufficiency")
    assert item.title.startswith("Update your market position statement")


def test_providers_with_a_setting_in_the_area_hear_of_a_new_statement(db, user_factory):
    from sqlalchemy import select

    from accounts.models import Notification

    commissioner, near, far = user_factory("commissioner"), user_factory("provider"), user_factory("provider")
    commissioner.organisation.gss_code = "E10000017"
    for provider, area in ((near, "E10000017"), (far, "E06000014")):
        capacity.declare_setting(provider, capacity.SettingDetails(
            name="Home", area_code=area, setting_type="childrens_home", categories=["behaviour"],
            highest_intensity="high", registered_places=4, age_from=10, age_to=17))
    run = analysis.run_analysis(commissioner, name="First")
    statement = statements.publish_statement(commissioner, title="Ours", narrative_md="Text.", run=run)
    told = db.session.scalars(select(Notification.user_id).where(
        Notification.event == "sufficiency.statement_published")).all()
    assert told == [near.id]
    assert db.session.scalar(select(Notification.url).where(Notification.user_id == near.id)) == \
        f"/sufficiency/statements/{statement.id}"
