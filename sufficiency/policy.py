"""Who may see and do what in the sufficiency view, as plain predicates.

The gap analysis, the map and market position statements are public. A
setting's vacancies are commercially sensitive and change daily: only the
provider that runs the setting and commissioners (who place children) see
them. Auditors read the trail, not the vacancy board.
"""
from __future__ import annotations

from typing import Any

from accounts.policy import is_admin, is_commissioner, is_provider
from sufficiency.models import MarketPositionStatement, Setting


def can_declare_capacity(user: Any) -> bool:
    """Any provider (a council's in-house unit included) declares its own settings."""
    return is_provider(user)


def runs_setting(user: Any, setting: Setting) -> bool:
    return is_provider(user) and setting.organisation_id is not None and user.organisation_id == setting.organisation_id


def can_edit_setting(user: Any, setting: Setting) -> bool:
    return runs_setting(user, setting)


def can_see_vacancies(user: Any, setting: Setting) -> bool:
    return runs_setting(user, setting) or is_commissioner(user)


def can_see_vacancy_board(user: Any) -> bool:
    """The list of every setting's vacancies: commissioners only (a provider sees its own on its settings)."""
    return is_commissioner(user)


def can_upload_forecast(user: Any) -> bool:
    return is_commissioner(user)


def can_manage_forecast(user: Any, organisation_id: int) -> bool:
    return is_commissioner(user) and user.organisation_id == organisation_id


def can_import_register(user: Any) -> bool:
    """Loading Ofsted's register: commissioners (for their councils' analysis) and administrators."""
    return is_commissioner(user) or is_admin(user)


def can_run_analysis(user: Any) -> bool:
    return is_commissioner(user)


def can_publish_statement(user: Any) -> bool:
    return is_commissioner(user)


def can_manage_statement(user: Any, statement: MarketPositionStatement) -> bool:
    """Attach to an engagement notice, or publish a new version: the organisation that published it."""
    return is_commissioner(user) and user.organisation_id == statement.organisation_id


def can_set_neighbours(user: Any) -> bool:
    return is_commissioner(user) or is_admin(user)
