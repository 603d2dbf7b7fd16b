"""Spotting likely personal data about a child before forum text is saved.

Forum text is public (children's data). This check cannot prove text is
free of personal data; it catches the common identifiers so the author looks
again and either removes them or confirms they are not about a child. It
reports the *kinds* found, never the values, so the audit event that records
a confirmation does not itself hold the personal data.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.errors import RuleViolation

MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
          "august|september|october|november|december")

_DOB = re.compile(r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born\s+on)\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_WORD_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_NHS = re.compile(r"(?<![\d])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d])")
_NI = re.compile(r"\b(?![DFIQUV])[A-Z](?![DFIOQUV])[A-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_PHONE = re.compile(r"(?<![\d])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?![\d])")

LABELS = {
    "dob": "the words “DOB” or “date of birth”",
    "date": "a date that could be a date of birth",
    "nhs_number": "an NHS number",
    "ni_number": "a National Insurance number",
    "postcode": "a full postcode",
    "email": "an email address",
    "phone": "a phone number",
}


@dataclass(frozen=True)
class Finding:
    kind: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _valid_nhs(digits: str) -> bool:
    """NHS numbers carry a modulus 11 check digit: most random 10-digit runs fail it."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _plausible_birth_year(year: int, today: date) -> bool:
    """Children and care leavers were born in the last 26 years, up to today."""
    return today.year - 26 <= year <= today.year


def _dates(text: str, today: date) -> bool:
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000 if year <= today.year % 100 else 1900
        if 1 <= day <= 31 and 1 <= month <= 12 and _plausible_birth_year(year, today):
            try:
                if date(year, month, day) <= today:
                    return True
            except ValueError:
                continue
    return any(_plausible_birth_year(int(match.group(3)), today) for match in _WORD_DATE.finditer(text))


def find_identifiers(*texts: str | None, today: date | None = None) -> list[Finding]:
    """The kinds of likely child identifiers in `texts`, in a stable order."""
    today = today or date.today()
    text = "\n".join(t for t in texts if t)
    found: list[str] = []
    if _DOB.search(text):
        found.append("dob")
    if _dates(text, today):
        found.append("date")
    if any(_valid_nhs("".join(m.groups())) for m in _NHS.finditer(text)):
        found.append("nhs_number")
    if _NI.search(text):
        found.append("ni_number")
    if _POSTCODE.search(text):
        found.append("postcode")
    if _EMAIL.search(text):
        found.append("email")
    without_emails = _EMAIL.sub(" ", text)
    if _PHONE.search(without_emails):
        found.append("phone")
    return [Finding(kind) for kind in found]


def describe(findings: list[Finding]) -> str:
    labels = [f.label for f in findings]
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return (f"This may contain personal data about a child: {joined}. Remove it, or confirm below that it is "
            "not personal data about a child.")


class ChildDataWarning(RuleViolation):
    """The text looks as if it holds personal data about a child; the author must look again.

    Forms show a confirmation checkbox when they are given this, so the author
    can either remove the data or confirm it is not personal data about a child.
    """

    overridable = True

    def __init__(self, field_name: str, findings: list[Finding]):
        self.findings = findings
        super().__init__({field_name: describe(findings)})


def check_child_data(field_name: str, texts: Sequence[str | None], confirmed: bool) -> list[str]:
    """Refuse likely child identifiers unless the author confirmed; return the kinds confirmed (DESIGN rule 10).

    Every service that takes public or forum text calls this one check, so the rule reads the same everywhere.
    """
    findings = find_identifiers(*texts)
    if findings and not confirmed:
        raise ChildDataWarning(field_name, findings)
    return [f.kind for f in findings]
