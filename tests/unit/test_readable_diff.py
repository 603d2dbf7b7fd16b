"""Diffs for people: sections named, changed lines paired, words marked, unchanged text trimmed."""
from core.readable_diff import Gap, readable_diff


def test_changes_are_grouped_under_the_heading_they_fall_in():
    old = "Intro.\n\n## Homes\nNear home.\n\n## Education\nAt school.\n"
    new = "Intro.\n\n## Homes\nNear home.\n\n## Education\nAttending school every day.\n"
    diff = readable_diff(old, new, "Version 1", "Version 2")
    assert [section.name for section in diff.sections] == ["Education"]
    [row] = [r for r in diff.sections[0].rows if r.kind != "same"]
    assert row.kind == "changed"
    assert [p.text for p in row.old if p.changed] == ["At"]
    assert [p.text for p in row.new if p.changed] == ["Attending", " every day"]
    assert "".join(p.text for p in row.new) == "Attending school every day."


def test_a_long_paragraph_marks_only_the_words_that_changed():
    words = " ".join(f"word{i}" for i in range(400))
    diff = readable_diff(words, words.replace("word200", "changed"), "a", "b")
    [row] = diff.sections[0].rows
    assert [p.text for p in row.new if p.changed] == ["changed"]
    assert [p.text for p in row.old if p.changed] == ["word200"]


def test_added_and_removed_lines_and_new_sections():
    diff = readable_diff("Keep.\nGone.", "Keep.\n\n## Transport\nA minibus.", "a", "b")
    kinds = {(s.name, r.kind) for s in diff.sections for r in s.rows if r.kind != "same"}
    assert ("Introduction", "changed") in kinds or ("Introduction", "removed") in kinds
    assert ("Transport", "added") in kinds


def test_long_unchanged_runs_become_a_gap_with_their_count():
    old = "\n".join(f"line {i}" for i in range(30))
    new = old.replace("line 15", "line fifteen")
    rows = readable_diff(old, new, "a", "b", context=2).sections[0].rows
    assert [r.lines for r in rows if isinstance(r, Gap)] == [13, 12]
    assert sum(1 for r in rows if r.kind == "same") == 4


def test_the_same_text_has_no_change():
    assert not readable_diff("Same.\n## A\nText", "Same.\n## A\nText", "a", "b").changed
