"""Every blocker of the tender notice maps to a page that exists."""
from tenders.publish_links import FIXES, with_fixes
from tests.unit.tenders.builders import draft


def test_every_known_problem_links_to_a_real_page_and_unknown_ones_to_the_publish_page(db, world, app):
    p = draft(world)
    problems = {key: f"message {key}" for key in FIXES} | {"ledger_contact_7": "a contact", "new_rule": "later"}
    fixed = {problem.message: problem for problem in with_fixes(problems, p)}
    assert fixed["message criteria"].url == f"/tenders/{p.id}/criteria"
    assert fixed["message publisher_declaration"].url == f"/tenders/{p.id}/declarations"
    assert fixed["a contact"].url == "/messages/contacts/7"
    assert fixed["later"].url == f"/tenders/{p.id}/publish"
    assert all(problem.url.startswith("/") and problem.link_text for problem in fixed.values())
