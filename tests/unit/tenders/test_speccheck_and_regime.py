"""The spec check, versioning and diffs (thresholds and regime: test_regime_rules; working days: test_workingdays)."""
from dataclasses import replace

import pytest

from core.errors import RuleViolation
from tenders.services import procurements, specification
from tenders.speccheck import check_specification
from tests.unit.tenders.builders import CLARIFY_BY, DEADLINE, GOOD_OUTCOMES, T0, draft, in_engagement


def test_outcome_without_indicator_target_or_timescale_is_an_error():
    bad = replace(GOOD_OUTCOMES[0], indicator="", target=" ", timescale="")
    result = check_specification("", [bad])
    messages = " ".join(e.message for e in result.errors)
    assert "no indicator" in messages and "no target" in messages and "no timescale" in messages


def test_no_outcomes_is_an_error():
    assert any("at least one outcome" in e.message for e in check_specification("Some text", []).errors)


def test_payment_shares_over_100_percent_is_an_error():
    outcomes = [replace(GOOD_OUTCOMES[0], payment_share=60), replace(GOOD_OUTCOMES[1], payment_share=50)]
    result = check_specification("", outcomes)
    assert any("110%" in e.message for e in result.errors)


@pytest.mark.parametrize("sentence,words", [
    ("The provider will maintain a 2:1 staffing ratio at night.", "2:1"),
    ("Staff ratios of one to three apply.", "Staff ratios"),
    ("Each child receives 15 hours per week of tuition.", "15 hours per week"),
    ("The service delivers 12 sessions of therapy.", "12 sessions"),
    ("The provider must employ a qualified teacher.", "must employ"),
    ("The provider shall provide 3 key workers.", "shall provide 3"),
])
def test_input_prescriptive_language_is_warned_with_the_sentence_highlighted(sentence, words):
    result = check_specification(f"Children should be safe. {sentence} Outcomes matter.", list(GOOD_OUTCOMES))
    assert result.ok  # warnings never block
    [warning] = result.warnings
    assert warning.sentence == sentence
    assert warning.match.lower() == words.lower()
    assert warning.before + warning.match + warning.after == sentence
    assert warning.message


def test_outcome_focused_text_raises_no_warning():
    text = "Children stay in one home. Each child's progress is measured from their own starting point."
    assert check_specification(text, list(GOOD_OUTCOMES)).warnings == []


def test_every_saved_version_is_kept_and_any_two_can_be_diffed(db, world):
    p = draft(world)
    v2, _ = specification.save_version(p, world.c1, body_md="Providers will help each child settle, thrive and "
                                                           "stay close to home.", outcomes=list(GOOD_OUTCOMES), now=T0)
    v3, _ = specification.save_version(p, world.c1, body_md="New text", outcomes=list(GOOD_OUTCOMES[:1]), now=T0)
    assert [v.number for v in p.versions] == [1, 2, 3]
    diff = specification.diff_versions(p.versions[0], v3)
    rows = [row for section in diff.sections for row in section.rows]
    assert any(row.kind == "changed" and [piece.text for piece in row.new if piece.changed] == ["New text"]
               for row in rows)
    assert any(row.kind == "removed" and "Education" in row.old[0].text for row in rows)
    assert [section.name for section in diff.sections] == ["Introduction", "Outcomes"]
    assert not specification.diff_versions(p.versions[0], p.versions[0]).changed
    assert p.versions[0].body_md == "Providers will help each child settle and thrive."


def test_saving_records_warnings_and_errors_with_the_version(db, world):
    p = draft(world)
    version, result = specification.save_version(p, world.c1, body_md="Staff must employ a nurse.",
                                                 outcomes=[], now=T0)
    assert not result.ok and result.warnings
    assert "must employ" in version.check_warnings
    assert "at least one outcome" in version.check_errors


def test_payment_share_outside_0_to_100_is_refused(db, world):
    p = draft(world)
    with pytest.raises(RuleViolation):
        specification.save_version(p, world.c1, body_md="x", outcomes=[replace(GOOD_OUTCOMES[0], payment_share=101)],
                                   now=T0)
    assert len(p.versions) == 1


def test_spec_check_errors_block_publishing_the_tender(db, world):
    p = in_engagement(world)
    specification.save_version(p, world.c1, body_md="x", outcomes=[replace(GOOD_OUTCOMES[0], target="")], now=T0)
    with pytest.raises(RuleViolation) as exc:
        procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    assert "no target" in exc.value.reasons["spec"]
    assert p.stage == "engagement"


def test_weights_must_sum_to_100(db, world):
    p = draft(world)
    with pytest.raises(RuleViolation) as exc:
        procurements.set_criteria(p, world.c1, [("quality", "Outcomes", 60), ("price", "Price", 30)], score_max=5,
                                  now=T0)
    assert "add up to 90" in exc.value.reasons["criteria"]
    assert sum(c.weight for c in p.criteria) == 100  # the old criteria stand


def test_criteria_need_both_quality_and_price(db, world):
    p = draft(world)
    with pytest.raises(RuleViolation):
        procurements.set_criteria(p, world.c1, [("quality", "Outcomes", 100)], score_max=5, now=T0)


def test_the_published_version_is_frozen_while_drafts_continue(db, world):
    from tests.unit.tenders.builders import in_tender
    p = in_tender(world)
    published = p.published_version
    body, outcomes = published.body_md, [o.target for o in published.outcomes]
    specification.save_version(p, world.c1, body_md="Draft change", outcomes=list(GOOD_OUTCOMES[:1]), now=T0)
    assert p.published_version is published
    assert published.body_md == body and [o.target for o in published.outcomes] == outcomes


def test_the_specification_cannot_change_once_evaluation_starts(db, world):
    from tests.unit.tenders.builders import opened
    p = opened(world)
    with pytest.raises(RuleViolation):
        specification.save_version(p, world.c1, body_md="Too late", outcomes=list(GOOD_OUTCOMES), now=T0)
    assert len(p.versions) == 1


def test_tender_needs_value_contract_type_and_criteria(db, world):
    p = procurements.create_procurement(world.c1, title="Bare", category="fostering", region="", subject_md="x",
                                        now=T0)
    specification.save_version(p, world.c1, body_md="x", outcomes=list(GOOD_OUTCOMES), now=T0)
    with pytest.raises(RuleViolation) as exc:
        procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE,
                                    now=T0, no_engagement_reason="Urgent")
    assert {"value", "contract_type", "duration", "criteria"} <= set(exc.value.reasons)
    assert p.stage == "planning" and p.no_engagement_reason is None


@pytest.mark.parametrize("typed", ["lots", "1e30", "Infinity", "NaN", "12.345", "-"])
def test_money_that_is_not_a_sensible_amount_is_refused_by_the_form_parser(typed):
    from tenders.forms import parse_pounds
    with pytest.raises(ValueError):
        parse_pounds(typed)


def test_money_parser_accepts_pounds_with_commas_and_pence():
    from tenders.forms import parse_pounds
    assert parse_pounds("£1,250,000.50") == 125_000_050
    assert parse_pounds("") is None
