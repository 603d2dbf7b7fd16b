"""Each organisation's legal form: recorded at registration or afterwards by its own people or an administrator,
audited, and read by the Welsh not-for-profit information."""
import pytest
from sqlalchemy import select

from accounts import services, wales_care
from core.errors import NotPermitted, RuleViolation
from trail.models import AuditEvent


def test_members_record_their_organisations_legal_form_and_it_is_audited(db, org_factory, user_factory):
    org = org_factory("provider", name="Hearth Homes")
    person = user_factory("provider", organisation=org)
    services.set_legal_form(org, person, "cic")
    assert org.legal_form == "cic" and org.legal_form_label == "Community interest company (CIC)"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "organisation.legal_form_set")).one()
    assert event.audience == "public"


def test_an_outsider_cannot_record_another_organisations_legal_form(db, org_factory, user_factory):
    org = org_factory("provider", name="Hearth Homes")
    outsider = user_factory("provider")
    with pytest.raises(NotPermitted):
        services.set_legal_form(org, outsider, "charity")
    assert org.legal_form is None
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")).first()


def test_an_administrator_records_any_legal_form_but_only_from_the_list(db, org_factory, user_factory):
    org = org_factory("provider", name="Hearth Homes")
    admin = user_factory("admin")
    with pytest.raises(RuleViolation):
        services.set_legal_form(org, admin, "limited_by_hope")
    services.set_legal_form(org, admin, "company_limited_by_shares")
    assert org.legal_form == "company_limited_by_shares"


def test_registration_can_give_the_legal_form(db):
    org = services.create_organisation(services.NewOrganisation(name="Cwtch Care", kind="provider",
                                                                provider_type="voluntary", legal_form="charity"))
    assert org.legal_form == "charity"
    with pytest.raises(RuleViolation):
        services.create_organisation(services.NewOrganisation(name="Other", kind="provider",
                                                              provider_type="voluntary", legal_form="nonsense"))


@pytest.mark.parametrize("form,expected", [
    ("company_limited_by_shares", True), ("partnership", True), ("sole_trader", True),
    ("cic", False), ("charity", False), ("community_benefit_society", False), ("public_body", False), (None, None)])
def test_which_legal_forms_can_distribute_profit(form, expected):
    assert wales_care.may_distribute_profit(form) is expected


def test_the_welsh_restrictions_keep_their_dates_and_source_in_one_table():
    assert [(r.code, r.starts) for r in wales_care.RESTRICTIONS] == [
        ("new_registrations", "1 April 2026"), ("no_expansion", "1 April 2027"), ("placements", "2030")]
    assert wales_care.SOURCE == "Health and Social Care (Wales) Act 2025"
    assert "commencement regulations" in wales_care.CHECK_NOTE
