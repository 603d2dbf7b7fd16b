"""Who may do what in the parity ledger: every role against every action (tenders.policy.ledger)."""
from datetime import timedelta

import pytest

from accounts.models import User
from tenders.policy import ledger as policy
from tenders.services import ledger
from tests.unit.tenders.builders import T0, draft, in_engagement

PEOPLE = ("c1", "c2", "other_commissioner", "p1", "p2", "unverified", "in_house", "auditor", "admin")

# action -> the people allowed, on a conversation between Northshire (c1, c2) and Alpha Homes (p1) about a
# procurement in engagement with one unresolved contact.
EXPECTED = {
    "use_messages": {"c1", "c2", "other_commissioner", "p1", "p2", "unverified", "in_house"},
    "see_inbox": {"c1", "c2", "other_commissioner", "p1", "p2", "unverified", "in_house", "auditor"},
    "read_conversation": {"c1", "c2", "p1", "auditor"},
    "send_message": {"c1", "c2", "p1"},
    "tag_untagged_conversation": {"c1", "c2"},
    "see_contacts_to_resolve": {"c1", "c2", "other_commissioner"},
    "read_contact": {"c1", "c2", "auditor"},
    "resolve_contact": {"c1", "c2"},
    "read_untagged_contact": {"c1", "c2", "auditor"},
    "resolve_untagged_contact": {"c1", "c2"},
    "message_alpha_homes": {"c1", "c2", "other_commissioner"},
    "message_northshire": {"p1", "p2", "unverified", "in_house"},
    "be_about_live_procurement": {"c1", "c2", "p1", "p2", "unverified", "in_house"},
    "be_about_draft": {"c1", "c2"},
}


@pytest.fixture
def setting(db, world):
    p = in_engagement(world)
    conversation = ledger.start_conversation(world.p1, organisation=world.org, procurement=p, subject="Q",
                                             body_md="Q", now=T0)
    untagged = ledger.start_conversation(world.c1, organisation=world.p1.organisation, procurement=None,
                                         subject="Hello", body_md="Hello", now=T0 + timedelta(hours=1))
    return p, conversation, untagged, ledger.contacts_of(conversation)[0], draft(world)


def _untagged_contact(untagged):
    [contact] = ledger.contacts_of(untagged)  # the council has a procurement in engagement: a contact, untagged
    assert contact.procurement_id is None
    return contact


def _check(action: str, user: User, setting, world) -> bool:
    p, conversation, untagged, contact, drafted = setting
    return {
        "use_messages": lambda: policy.can_use_messages(user),
        "see_inbox": lambda: policy.can_see_inbox(user),
        "read_conversation": lambda: policy.can_read_conversation(user, conversation),
        "send_message": lambda: policy.can_send_message(user, conversation),
        "tag_untagged_conversation": lambda: policy.can_tag_conversation(user, untagged),
        "see_contacts_to_resolve": lambda: policy.can_see_contacts_to_resolve(user),
        "read_contact": lambda: policy.can_read_contact(user, contact),
        "resolve_contact": lambda: policy.can_resolve_contact(user, contact),
        "read_untagged_contact": lambda: policy.can_read_contact(user, _untagged_contact(untagged)),
        "resolve_untagged_contact": lambda: policy.can_resolve_contact(user, _untagged_contact(untagged)),
        "message_alpha_homes": lambda: policy.may_message(user, world.p1.organisation),
        "message_northshire": lambda: policy.may_message(user, world.org),
        "be_about_live_procurement": lambda: policy.may_be_about(user, p),
        "be_about_draft": lambda: policy.may_be_about(user, drafted),
    }[action]()


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_role_may_do_exactly_what_the_ledger_policy_allows(setting, world, action):
    allowed = {name for name in PEOPLE if _check(action, getattr(world, name), setting, world)}
    assert allowed == EXPECTED[action]


def test_a_tagged_conversation_cannot_be_tagged_again_by_anyone(setting, world):
    _, conversation, _, _, _ = setting
    assert not any(policy.can_tag_conversation(getattr(world, name), conversation) for name in PEOPLE)


def test_anonymous_visitors_may_do_nothing(setting, world):
    from flask_login import AnonymousUserMixin

    anonymous = AnonymousUserMixin()
    _, conversation, untagged, contact, _ = setting
    assert not policy.can_use_messages(anonymous) and not policy.can_see_inbox(anonymous)
    assert not policy.can_read_conversation(anonymous, conversation)
    assert not policy.can_tag_conversation(anonymous, untagged)
    assert not policy.can_read_contact(anonymous, contact) and not policy.can_resolve_contact(anonymous, contact)
    unnamed = _untagged_contact(untagged)
    assert not policy.can_read_contact(anonymous, unnamed) and not policy.can_resolve_contact(anonymous, unnamed)
