"""Specification sections: split at `## ` headings, joined back exactly, replaced one at a time."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenders.services.codesign import (
    add_section,
    join_sections,
    replace_section,
    slugify,
    split_sections,
)

BODY = "Intro line.\n\n## Homes and placements\n\nNear home.\n\n## Education\n\nAt school.\n"


def test_text_before_the_first_heading_is_the_introduction():
    sections = split_sections(BODY)
    assert [(s.key, s.heading, s.text) for s in sections] == [
        ("introduction", "Introduction", "Intro line."),
        ("homes-and-placements", "Homes and placements", "Near home."),
        ("education", "Education", "At school."),
    ]


def test_a_body_without_headings_is_one_introduction_and_an_empty_body_too():
    assert [(s.key, s.text) for s in split_sections("Just text.")] == [("introduction", "Just text.")]
    assert [(s.key, s.text) for s in split_sections("")] == [("introduction", "")]


def test_repeated_headings_and_a_heading_called_introduction_get_distinct_keys():
    keys = [s.key for s in split_sections("## Introduction\nA\n## Staff\nB\n## Staff\nC\n")]
    assert keys == ["introduction", "introduction-2", "staff", "staff-2"]


def test_headings_inside_fenced_code_and_deeper_headings_do_not_split():
    body = "Intro\n```\n## not a heading\n```\n### Sub heading\n## Real\nText\n"
    sections = split_sections(body)
    assert [s.key for s in sections] == ["introduction", "real"]
    assert "## not a heading" in sections[0].body and "### Sub heading" in sections[0].body


def test_keys_are_stable_slugs_of_the_heading():
    assert slugify("Health & well-being (16+)") == "health-well-being-16"
    assert slugify("Éducation") == "education"
    assert slugify("!!!") == "section"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["## A\n", "## A", "##B\n", "## \n", "text\n", "\n", "  ## C ##\r\n", "```\n",
                                 "~~~\n", "# H1\n", "more text", "## Introduction\n", "\r\n"]), max_size=25)
       .map("".join))
def test_split_then_join_gives_back_exactly_the_same_text(body):
    assert join_sections(split_sections(body)) == body


@given(st.text(max_size=300))
def test_any_text_round_trips(body):
    assert join_sections(split_sections(body)) == body


def test_replacing_a_section_keeps_every_other_section_exactly():
    changed = replace_section(BODY, "homes-and-placements", "Within 20 miles of home.")
    assert changed == BODY.replace("Near home.", "Within 20 miles of home.")
    assert replace_section(BODY, "introduction", "New intro.").startswith("New intro.\n\n## Homes")
    assert replace_section(BODY, "education", "Thriving.").endswith("## Education\n\nThriving.\n")


def test_replacing_the_text_of_a_last_heading_without_a_newline_keeps_the_heading_whole():
    assert replace_section("## Only", "only", "Body") == "## Only\n\nBody\n"


def test_replacing_an_unknown_section_raises():
    with pytest.raises(KeyError):
        replace_section(BODY, "staffing", "x")


def test_a_new_section_is_added_at_the_end():
    added = add_section(BODY, "Moving on", "Adulthood.")
    assert added.endswith("At school.\n\n## Moving on\n\nAdulthood.\n")
    assert [s.key for s in split_sections(added)][-1] == "moving-on"
