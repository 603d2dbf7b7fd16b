"""Who may read, take part in, decide and mitigate co-design: a role × action table per stage."""
import pytest

from tenders.policy import codesign as policy
from tests.unit.tenders.builders import draft, in_engagement, in_tender

ROLES = ["anonymous", "provider", "in_house", "owner", "other_commissioner", "auditor", "admin"]
ACTIONS = {
    "read": lambda u, p: policy.can_read(u, p),
    "contribute": lambda u, p: policy.can_contribute(u, p),
    "decide": lambda u, p: policy.can_decide(u, p),
    "meeting_proposal": lambda u, p: policy.can_record_meeting_proposal(u, p),
    "mitigation": lambda u, p: policy.can_write_mitigation(u, p),
    "attach_report": lambda u, p: policy.can_attach_report(u, p),
}
EVERYONE = set(ROLES)
PARTICIPANTS = {"provider", "in_house", "owner"}
OWNER = {"owner"}
NOBODY: set[str] = set()

TABLE = {
    "planning": {"read": {"owner", "auditor"}, "contribute": NOBODY, "decide": NOBODY, "meeting_proposal": NOBODY,
                 "mitigation": OWNER, "attach_report": OWNER},
    "engagement": {"read": EVERYONE, "contribute": PARTICIPANTS, "decide": OWNER, "meeting_proposal": OWNER,
                   "mitigation": OWNER, "attach_report": OWNER},
    "tender": {"read": EVERYONE, "contribute": NOBODY, "decide": NOBODY, "meeting_proposal": NOBODY,
               "mitigation": NOBODY, "attach_report": NOBODY},
}
BUILD = {"planning": draft, "engagement": in_engagement, "tender": in_tender}


def _people(world):
    from flask_login import AnonymousUserMixin

    return {"anonymous": AnonymousUserMixin(), "provider": world.p1, "in_house": world.in_house, "owner": world.c1,
            "other_commissioner": world.other_commissioner, "auditor": world.auditor, "admin": world.admin}


@pytest.mark.parametrize("stage", sorted(TABLE))
def test_codesign_permissions_by_role_action_and_stage(db, world, stage):
    p = BUILD[stage](world)
    people = _people(world)
    wrong = [f"{role} {action}: expected {role in TABLE[stage][action]}"
             for action, check in ACTIONS.items() for role in ROLES
             if check(people[role], p) != (role in TABLE[stage][action])]
    assert not wrong, "\n".join(wrong)


def test_drafts_shared_in_engagement_stay_public_but_a_tender_stage_draft_stays_with_the_owners(db, world):
    from tenders.services import specification
    from tests.unit.tenders.builders import GOOD_OUTCOMES, T0

    p = in_tender(world)
    engagement_draft = p.versions[0]
    unpublished, _ = specification.save_version(p, world.c1, body_md="A change", outcomes=list(GOOD_OUTCOMES), now=T0)
    assert policy.can_view_provenance(world.p1, p, engagement_draft)
    assert not policy.can_view_provenance(world.p1, p, unpublished)
    assert policy.can_view_provenance(world.c1, p, unpublished) and policy.can_view_provenance(world.auditor, p,
                                                                                              unpublished)
