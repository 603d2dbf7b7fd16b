"""Who may do what: the role × action matrix for accounts and the trail."""
from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from accounts import policy
from oversight import policy as audit_policy

ACTIONS = {
    "administer": policy.can_administer,
    "view_audit_trail": policy.can_view_audit_trail,
    "verify_chain": policy.can_verify_chain,
    "redact_audit_payload": policy.can_redact_audit_payload,
    "act_as_provider": policy.is_provider,
    "act_as_commissioner": policy.is_commissioner,
    "submit_tender_responses": policy.can_submit_tender_responses,
    "receive_checkpoint_emails": audit_policy.can_receive_checkpoint_emails,
}

# persona -> the actions it may take; every other action must be refused.
MATRIX = {
    "anonymous": set(),
    "provider (unverified organisation)": {"act_as_provider"},
    "provider (verified organisation)": {"act_as_provider", "submit_tender_responses"},
    "in-house provider unit of a council": {"act_as_provider", "submit_tender_responses"},
    "commissioner": {"act_as_commissioner"},
    "consortium commissioner": {"act_as_commissioner"},
    "commissioner without two-factor": set(),
    "auditor": {"view_audit_trail", "verify_chain", "receive_checkpoint_emails"},
    "auditor without two-factor": set(),
    "admin": {"administer", "view_audit_trail", "verify_chain", "redact_audit_payload"},
    "person with no role yet": set(),
    "provider with unconfirmed email": set(),
    "commissioner role held in a provider organisation": set(),
}


@pytest.fixture
def personas(db, user_factory, org_factory):
    in_house = org_factory("provider", provider_type="in_house", council="Northmere County Council", verified=True)
    return {
        "anonymous": AnonymousUserMixin(),
        "provider (unverified organisation)": user_factory("provider"),
        "provider (verified organisation)": user_factory(
            "provider", organisation=org_factory("provider", verified=True)
        ),
        "in-house provider unit of a council": user_factory("provider", organisation=in_house),
        "commissioner": user_factory("commissioner"),
        "consortium commissioner": user_factory("commissioner", organisation=org_factory("consortium")),
        "commissioner without two-factor": user_factory("commissioner", totp=False),
        "auditor": user_factory("auditor"),
        "auditor without two-factor": user_factory("auditor", totp=False),
        "admin": user_factory("admin"),
        "person with no role yet": user_factory(None, organisation=org_factory("commissioning_unit")),
        "provider with unconfirmed email": user_factory("provider", confirmed=False),
        "commissioner role held in a provider organisation": user_factory("commissioner", organisation=in_house),
    }


def test_role_action_matrix(personas):
    """Every persona against every action, reported as one table of mismatches."""
    mismatches = [
        f"{persona} / {action}: expected {action in allowed}"
        for persona, allowed in MATRIX.items()
        for action, predicate in ACTIONS.items()
        if predicate(personas[persona]) is not (action in allowed)
    ]
    assert not mismatches, "\n".join(mismatches)


def test_in_house_provider_unit_people_can_only_ever_be_providers(org_factory, db):
    unit = org_factory("provider", provider_type="in_house", council="Calderbrook Council")
    assert policy.allowed_roles(unit) == {"provider"}


def test_admin_may_assign_only_roles_that_fit_the_organisation(personas, org_factory, user_factory):
    admin = personas["admin"]
    council_person = user_factory(None, organisation=org_factory("commissioning_unit"))
    assert policy.can_assign_role(admin, council_person, "commissioner")
    assert not policy.can_assign_role(admin, council_person, "provider")
    assert not policy.can_assign_role(personas["commissioner"], council_person, "commissioner")


def test_two_factor_is_required_for_commissioners_auditors_and_admins_only(personas):
    assert policy.needs_two_factor_setup(personas["commissioner without two-factor"])
    assert policy.needs_two_factor_setup(personas["auditor without two-factor"])
    assert not policy.needs_two_factor_setup(personas["provider (verified organisation)"])
    assert not policy.needs_two_factor_setup(personas["commissioner"])
