"""Providers' declared capacity: one row per setting, with vacancies kept for the provider and commissioners."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

import trail
from accounts.models import LEGAL_FORMS, User
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from sufficiency import policy
from sufficiency.models import Area, Setting
from sufficiency.vocabulary import (
    INTENSITIES,
    NEED_CATEGORIES,
    SETTING_TYPES,
    SettingSource,
)
from trail import record_refusal

OFSTED_URN = re.compile(r"(SC)?[0-9]{6,7}", re.IGNORECASE)
MAX_PLACES = 10_000


@dataclass
class SettingDetails:
    name: str
    area_code: str
    setting_type: str
    categories: list[str]
    highest_intensity: str
    registered_places: int | None
    age_from: int | None
    age_to: int | None
    ofsted_urn: str = ""
    legal_form: str = ""
    vacancies: int | None = None
    vacancies_confirmed_on: date | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _validate(details: SettingDetails, setting: Setting | None, today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = " ".join((details.name or "").split())
    if not name:
        errors["name"] = "Enter the setting's name"
    elif len(name) > 200:
        errors["name"] = "The name must be 200 characters or fewer"
    if not details.area_code or db.session.get(Area, details.area_code) is None:
        errors["area_code"] = "Select the council area the setting is in"
    if details.setting_type not in SETTING_TYPES:
        errors["setting_type"] = "Select the kind of setting"
    if not details.categories or any(c not in NEED_CATEGORIES for c in details.categories):
        errors["categories"] = "Select at least one category of need the setting meets"
    if details.highest_intensity not in INTENSITIES:
        errors["highest_intensity"] = "Select the highest intensity of need the setting meets"
    places = details.registered_places
    if places is None or not 0 <= places <= MAX_PLACES:
        errors["registered_places"] = f"Enter the registered places, a whole number from 0 to {MAX_PLACES:,}"
    if details.age_from is None or not 0 <= details.age_from <= 25:
        errors["age_from"] = "Enter the youngest age taken, from 0 to 25"
    if details.age_to is None or not 0 <= details.age_to <= 25:
        errors["age_to"] = "Enter the oldest age taken, from 0 to 25"
    elif details.age_from is not None and details.age_to < details.age_from:
        errors["age_to"] = "The oldest age must be at least the youngest"
    urn = (details.ofsted_urn or "").strip().upper()
    if urn and not OFSTED_URN.fullmatch(urn):
        errors["ofsted_urn"] = "Enter the Ofsted URN as on the register, for example SC123456, or leave it blank"
    elif urn:
        other = db.session.scalar(select(Setting.id).where(Setting.ofsted_urn == urn))
        if other is not None and (setting is None or other != setting.id):
            errors["ofsted_urn"] = "Another setting already has this Ofsted URN"
    if details.legal_form and details.legal_form not in LEGAL_FORMS:
        errors["legal_form"] = "Select the legal form from the list"
    if details.vacancies is not None:
        if places is not None and not 0 <= details.vacancies <= places:
            errors["vacancies"] = "Vacancies must be from 0 up to the registered places"
        if details.vacancies_confirmed_on is None:
            errors["vacancies_confirmed_on"] = "Enter the date the vacancies were last confirmed"
        elif details.vacancies_confirmed_on > today:
            errors["vacancies_confirmed_on"] = "The date vacancies were confirmed cannot be in the future"
    if errors:
        raise RuleViolation(errors)
    return {"name": name, "urn": urn or None}


def _apply(setting: Setting, details: SettingDetails, checked: dict[str, Any]) -> None:
    setting.name = checked["name"]
    setting.ofsted_urn = checked["urn"]
    setting.area_code = details.area_code
    setting.setting_type = details.setting_type
    setting.categories = ",".join(c for c in NEED_CATEGORIES if c in details.categories)
    setting.highest_intensity = details.highest_intensity
    setting.registered_places = details.registered_places or 0
    setting.age_from, setting.age_to = details.age_from or 0, details.age_to or 0
    setting.legal_form = details.legal_form or None
    setting.vacancies = details.vacancies
    setting.vacancies_confirmed_on = details.vacancies_confirmed_on if details.vacancies is not None else None
    setting.updated_at = utcnow()


def _payload(setting: Setting) -> dict[str, Any]:
    """What changed, for the trail; vacancies go only to auditors' events, never the public feed."""
    return {"name": setting.name, "ofsted_urn": setting.ofsted_urn, "area": setting.area_code,
            "setting_type": setting.setting_type, "categories": setting.category_list,
            "highest_intensity": setting.highest_intensity, "registered_places": setting.registered_places,
            "ages": [setting.age_from, setting.age_to], "legal_form": setting.legal_form}


def declare_setting(actor: User, details: SettingDetails) -> Setting:
    """A provider declares a setting's capacity, from its statement of purpose."""
    if not policy.can_declare_capacity(actor):
        record_refusal(actor, "sufficiency.setting_declare", "Only providers can declare capacity")
        raise NotPermitted("Only providers can declare capacity")
    checked = _validate(details, None, utcnow().date())
    now = utcnow()
    setting = Setting(organisation_id=actor.organisation_id, provider_name=actor.organisation.name,
                      source=SettingSource.DECLARED, created_at=now)
    _apply(setting, details, checked)
    db.session.add(setting)
    db.session.flush()
    trail.record("sufficiency.setting_declared", actor=actor, subject=setting, audience="public",
                 summary=f"{actor.organisation.name} declared the capacity of “{setting.name}”",
                 payload=_payload(setting))
    _record_vacancies(setting, actor)
    return setting


def update_setting(setting: Setting, actor: User, details: SettingDetails) -> Setting:
    if not policy.can_edit_setting(actor, setting):
        record_refusal(actor, "sufficiency.setting_update", "Only the provider that runs a setting can change it")
        raise NotPermitted("Only the provider that runs a setting can change it")
    checked = _validate(details, setting, utcnow().date())
    before = _payload(setting)
    _apply(setting, details, checked)
    db.session.flush()
    trail.record("sufficiency.setting_updated", actor=actor, subject=setting, audience="public",
                 summary=f"Capacity of “{setting.name}” updated",
                 payload={"before": before, "after": _payload(setting)})
    _record_vacancies(setting, actor)
    return setting


def _record_vacancies(setting: Setting, actor: User) -> None:
    if setting.vacancies is not None:
        trail.record("sufficiency.vacancies_confirmed", actor=actor, subject=setting, audience="auditors",
                     summary=f"Vacancies at “{setting.name}” confirmed",
                     payload={"vacancies": setting.vacancies,
                              "confirmed_on": setting.vacancies_confirmed_on.isoformat()
                              if setting.vacancies_confirmed_on else None})


def settings_of(organisation_id: int) -> list[Setting]:
    return list(db.session.scalars(select(Setting).where(Setting.organisation_id == organisation_id)
                                   .order_by(Setting.name)))
