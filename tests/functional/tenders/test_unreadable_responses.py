"""A sealed response the sealing key in use cannot decrypt: a clear page, never a 500, and an attention item.

The responses are sealed with one key; the service is then configured with another (a lost or replaced
RESPONSE_ENCRYPTION_KEY), as after a restart that drew a new development key.
"""
from __future__ import annotations

from html import unescape

import pytest
from cryptography.fernet import Fernet

from core.errors import RuleViolation
from tenders.services import responses
from tests.conftest import Auth
from tests.unit.tenders.builders import AFTER, declare_none, in_tender, submit

EXPLANATION = "cannot be decrypted with the sealing key"
WHAT_TO_DO = "an operator must restore that key"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def sealing_key(app):
    """Seal with one key; the test swaps in another. The configuration is put back afterwards."""
    before = app.config.get("RESPONSE_ENCRYPTION_KEY")
    app.config["RESPONSE_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    yield app.config
    app.config["RESPONSE_ENCRYPTION_KEY"] = before


def _sealed_and_opened(db, world):
    p = in_tender(world)
    submit(world, p, world.p1, 110_000_000)
    submit(world, p, world.p2, 100_000_000)
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    declare_none(p, world.c1, world.c2, now=AFTER)
    from tenders.services import evaluation

    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    db.session.commit()
    return p


def test_a_response_sealed_with_another_key_gets_a_clear_page_and_an_attention_item(
        app, client, db, world, at, sealing_key):
    p = _sealed_and_opened(db, world)
    response = responses.responses_for(p)[0]
    at(AFTER)
    sealing_key["RESPONSE_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    commissioner = app.test_client()
    Auth(commissioner).sign_in(world.c1)
    for url in (f"/tenders/{p.id}/responses/{response.id}", f"/tenders/{p.id}/evaluation/{response.id}/score",
                f"/tenders/{p.id}/responses/{response.id}/documents/0"):
        page = commissioner.get(url)
        assert page.status_code == 409, url
        html = _text(page)
        assert EXPLANATION in html and WHAT_TO_DO in html and "RESPONSE_ENCRYPTION_KEY" in html, url
    auditor = app.test_client()
    Auth(auditor).sign_in(world.auditor)
    dashboard = _text(auditor.get("/audit/attention"))
    assert f"Response {response.id} from {response.provider.name} cannot be decrypted" in dashboard
    assert auditor.get(f"/tenders/{p.id}/responses/{response.id}").status_code == 409


def test_with_the_key_restored_the_response_reads_and_the_attention_item_goes(
        app, client, db, world, at, sealing_key):
    p = _sealed_and_opened(db, world)
    response = responses.responses_for(p)[0]
    at(AFTER)
    original = sealing_key["RESPONSE_ENCRYPTION_KEY"]
    # A new key first, the old one after it: the new one seals, both open.
    sealing_key["RESPONSE_ENCRYPTION_KEY"] = f"{Fernet.generate_key().decode()},{original}"
    auditor = app.test_client()
    Auth(auditor).sign_in(world.auditor)
    assert "cannot be decrypted" not in _text(auditor.get("/audit/attention"))
    assert auditor.get(f"/tenders/{p.id}/responses/{response.id}").status_code == 200


def test_an_opening_that_would_meet_an_undecryptable_response_is_refused_plainly(db, world, sealing_key):
    p = in_tender(world)
    submit(world, p, world.p1, 110_000_000)
    responses.open_box(p, world.c1, now=AFTER)
    sealing_key["RESPONSE_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    with pytest.raises(RuleViolation) as exc:
        responses.open_box(p, world.c2, now=AFTER)
    assert EXPLANATION in str(exc.value) and "Nothing was opened" in str(exc.value)
    assert not p.is_opened
