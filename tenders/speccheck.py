"""The spec check: is this specification about outcomes, and is it complete?

Seed report 001's third recommendation: specifications should say what must
change for children, not prescribe inputs. Errors (an incomplete outcome,
payment shares over 100%, no outcomes at all) block publishing; warnings flag
input-prescriptive sentences with a one-line reason, and are shown and
recorded but never block.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol


class OutcomeLike(Protocol):
    description: str
    indicator: str
    target: str
    timescale: str
    payment_share: int


@dataclass(frozen=True)
class Finding:
    """One problem. For warnings, `before`/`match`/`after` let a page highlight the words."""

    kind: str  # error | warning
    where: str  # "specification" or "outcome 2"
    message: str
    sentence: str = ""
    before: str = ""
    match: str = ""
    after: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CheckResult:
    errors: list[Finding]
    warnings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.errors


_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)"
INPUT_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b\d+\s*:\s*\d+\b(?=[^.]*\b(?:staff|staffing|ratio|supervision|support)\b)|"
                r"\b(?:staff|staffing)(?:\s+to\s+child)?\s+ratios?\b", re.I),
     "Staff ratios prescribe an input: say what the staffing must achieve for the child instead."),
    (re.compile(rf"\b{_NUMBER}\s+hours?\s+(?:per|a|each|every)\s+week\b", re.I),
     "Hours per week prescribe an input: describe the outcome the time is meant to secure."),
    (re.compile(rf"\b{_NUMBER}\s+(?:weekly\s+|monthly\s+)?(?:sessions?|visits?|contacts?)\b|\bnumber\s+of\s+sessions\b",
                re.I),
     "A number of sessions prescribes an input: let providers propose how to reach the outcome."),
    (re.compile(r"\bmust\s+employ\b", re.I),
     "\"Must employ\" prescribes who delivers: specify the competence or result needed instead."),
    (re.compile(rf"\bshall\s+provide\s+{_NUMBER}\b", re.I),
     "\"Shall provide N\" fixes a quantity of input: state the outcome and let providers say how."),
]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> Iterable[str]:
    for part in _SENTENCE_END.split(text or ""):
        part = part.strip().lstrip("#*->").strip()
        if part:
            yield part


def _input_warnings(text: str, where: str) -> list[Finding]:
    found = []
    for sentence in sentences(text):
        for pattern, reason in INPUT_PATTERNS:
            match = pattern.search(sentence)
            if match:
                found.append(Finding("warning", where, reason, sentence=sentence, before=sentence[:match.start()],
                                     match=match.group(0), after=sentence[match.end():]))
                break  # one reason per sentence is enough to act on
    return found


def check_specification(body_md: str, outcomes: Sequence[OutcomeLike]) -> CheckResult:
    """Run every check; the same function serves saving and publishing."""
    errors: list[Finding] = []
    warnings: list[Finding] = _input_warnings(body_md, "specification")
    if not outcomes:
        errors.append(Finding("error", "specification", "Add at least one outcome: the specification has none"))
    for number, outcome in enumerate(outcomes, start=1):
        where = f"outcome {number}"
        for field in ("indicator", "target", "timescale"):
            if not (getattr(outcome, field) or "").strip():
                errors.append(Finding("error", where, f"Outcome {number} has no {field}: add one"))
        if not 0 <= (outcome.payment_share or 0) <= 100:
            errors.append(Finding("error", where, f"Outcome {number}: payment at risk must be between 0 and 100%"))
        warnings.extend(_input_warnings(outcome.description, where))
    total = sum(o.payment_share or 0 for o in outcomes)
    if total > 100:
        errors.append(Finding("error", "specification",
                              f"Payment at risk across the outcomes adds up to {total}%: it cannot exceed 100%"))
    return CheckResult(errors, warnings)
