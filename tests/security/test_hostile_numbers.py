"""Numbers too large for any id column, in every path, query string and form, never give a 500.

Ids are 32-bit (core.database.MAX_ID) and page numbers become an OFFSET; a
number past those used to reach the database and overflow there. Every route
with a number in its path is tried with such numbers, as people who get past
sign-in and role checks, and every listing with a huge ?page=.
"""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from core.database import MAX_ID
from core.request_args import MAX_PAGE
from tests.conftest import csrf_token
from tests.security.test_authorization_matrix import url_values  # noqa: F401  (a fixture: real rows for each argument)

HUGE_IDS = (str(MAX_ID + 1), "9223372036854775808", "99999999999999999999999", "9" * 5000)
HUGE_PAGES = ("9223372036854775808", "99999999999999999999999", str(2**64), "9" * 5000, "-9223372036854775809")
SWEPT_PERSONAS = ("anonymous", "provider_a", "owning_commissioner", "auditor", "admin")
# Listings that read ?page=: the sweep below must reach every one of them.
PAGED_LISTINGS = {"forum.forums", "forum.forum", "forum.thread", "forum.moderation_log", "forum.needs",
                  "forum.search", "accounts.notifications_list", "tenders.index", "audit.trail", "audit.procurements",
                  "audit.register_page", "accounts.admin_users"}


def _int_arguments(rule) -> list[str]:
    return [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]


def _path(app, rule, values: dict) -> str:
    """The rule's path with `values` put in literally (url_for would refuse a number the converter rejects)."""
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<{name}>", str(values[name]))
        for converter in ("int", "path", "string"):
            path = path.replace(f"<{converter}:{name}>", str(values[name]))
    assert "<" not in path, f"unfilled argument in {rule.rule}: {path}"
    return path


def test_the_int_converter_of_every_route_is_bounded(app):
    """One converter for the whole app: no rule with a number in its path accepts more than an id can hold."""
    from werkzeug.routing import ValidationError

    rules = [rule for rule in app.url_map.iter_rules() if _int_arguments(rule)]
    assert len(rules) > 50
    for rule in rules:
        for name in _int_arguments(rule):
            converter = rule._converters[name]
            assert converter.to_python(str(MAX_ID)) == MAX_ID
            with pytest.raises(ValidationError):
                converter.to_python(str(MAX_ID + 1))


@pytest.mark.parametrize("persona", SWEPT_PERSONAS)
def test_every_route_with_a_number_in_its_path_answers_a_huge_one_without_a_server_error(
        app, persona, sign_in_as, url_values):
    client = sign_in_as(persona)
    token = csrf_token(client.get("/sign-in" if persona == "anonymous" else "/account").get_data(as_text=True))
    problems, tried = [], 0
    for rule in app.url_map.iter_rules():
        numbers = _int_arguments(rule)
        if not numbers:
            continue
        for huge_name in numbers:
            for huge in HUGE_IDS:
                values = {name: url_values.get(name, 1) for name in rule.arguments}
                values[huge_name] = huge
                path = _path(app, rule, values)
                for method in sorted(rule.methods & {"GET", "POST"}):
                    response = client.get(path) if method == "GET" else client.post(path, data={"csrf_token": token})
                    response.close()
                    tried += 1
                    if response.status_code >= 500:
                        problems.append(f"{method} {path[:120]}: {response.status_code}")
                    elif response.status_code not in (302, 404):
                        problems.append(f"{method} {path[:120]}: expected 404, got {response.status_code}")
    assert tried > 300
    assert not problems, f"as {persona}, {len(problems)} of {tried}:\n" + "\n".join(problems[:60])


@pytest.mark.parametrize("persona", ("anonymous", "owning_commissioner", "admin"))
def test_every_listing_answers_a_huge_page_number_without_a_server_error(app, persona, sign_in_as,
                                                                          url_values):
    client = sign_in_as(persona)
    problems, reached = [], set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or any(name not in url_values for name in rule.arguments):
            continue
        if rule.endpoint in {"static", "api.unknown"}:
            continue
        path = _path(app, rule, url_values)
        for page in HUGE_PAGES:
            separator = "&" if "?" in path else "?"
            query = f"{separator}page={page}" + ("&q=thread" if rule.endpoint == "forum.search" else "")
            response = client.get(path + query)
            response.close()
            if response.status_code >= 500:
                problems.append(f"{path}?page={page[:30]}: {response.status_code}")
            elif response.status_code == 200:
                reached.add(rule.endpoint)
    assert not problems, f"as {persona}:\n" + "\n".join(problems[:60])
    if persona == "admin":
        assert reached >= PAGED_LISTINGS, f"listings not reached: {sorted(PAGED_LISTINGS - reached)}"


@pytest.mark.parametrize("text,expected", [
    ("1", 1), ("42", 42), (" 7 ", 7), ("+3", 3), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None),
    ("-1", None), ("", None), (None, None), ("abc", None), ("1.5", None), ("9" * 5000, None), ("٣", None),
])
def test_id_numbers_outside_what_a_row_can_have_name_nothing(text, expected):
    from core.request_args import id_number

    assert id_number(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("", 1), ("1", 1), ("3", 3), ("0", 1), ("-5", 1), ("abc", 1), (str(MAX_PAGE), MAX_PAGE),
    (str(MAX_PAGE + 1), MAX_PAGE), ("9" * 5000, MAX_PAGE), ("000000000000000000002", 2),
])
def test_page_numbers_are_clamped_to_what_an_offset_can_use(app, text, expected):
    from core.request_args import page_number

    with app.test_request_context(f"/forums?page={text}"):
        assert page_number() == expected
