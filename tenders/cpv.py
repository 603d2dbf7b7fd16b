"""CPV codes: the list a procurement's main code is chosen from, and the two legal lists that decide its regime.

A procurement's main CPV code (Common Procurement Vocabulary) says what is
being bought, and the law keys two rules on it:
- light-touch services are those in the Procurement Regulations 2024
  (SI 2024/692) Schedule 1 Table 1 (reg 42(1), for PA23 s.9(1));
- relevant health care services, under the Provider Selection Regime in
  England, are those in the Health Care Services (Provider Selection Regime)
  Regulations 2023 (SI 2023/1348) Schedule 1.
Both lists ship as data in tenders/data with their source in the file header,
so a change in the law is a change of data, reviewed like code.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tenders.models import CATEGORIES

DATA = Path(__file__).resolve().parent / "data"
_CODE = re.compile(r"([0-9]{8})(?:-[0-9])?")

# The main CPV code a new procurement in each category starts with; the commissioner can change it.
CATEGORY_DEFAULT_CPV = {
    "childrens_homes": "85311000",  # Social work services with accommodation
    "fostering": "85311300",  # Welfare services for children and young people
    "residential_special_schools": "80340000",  # Special education services
    "send_education": "80340000",  # Special education services
    "transitions": "85312000",  # Social work services without accommodation
    "short_breaks": "85312120",  # Daycare services for handicapped children and young people
    "supported_accommodation": "85311000",  # Social work services with accommodation
    "family_support": "85320000",  # Social services
    "therapeutic": "85312000",  # Social work services without accommodation
    "transport": "60130000",  # Special-purpose road passenger-transport services
}
assert set(CATEGORY_DEFAULT_CPV) == set(CATEGORIES), "every category proposes a main CPV code"


@dataclass(frozen=True)
class CodeRange:
    first: int
    last: int
    description: str

    def covers(self, code: str) -> bool:
        return self.first <= int(code) <= self.last


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@lru_cache(maxsize=1)
def known_codes() -> dict[str, str]:
    """Every code a procurement's main code may be, with its description (tenders/data/cpv_codes.csv)."""
    return {row["code"]: row["description"] for row in _rows("cpv_codes.csv")}


@lru_cache(maxsize=2)
def _ranges(name: str) -> tuple[CodeRange, ...]:
    return tuple(CodeRange(int(r["first_code"]), int(r["last_code"]), r["description"]) for r in _rows(name))


def normalise(typed: str | None) -> str | None:
    """Eight digits from "85311300", "85311300-5" or " 8531 1300 "; None when it is not a CPV code's shape."""
    text = re.sub(r"\s+", "", typed or "")
    match = _CODE.fullmatch(text)
    return match.group(1) if match else None


def describe(code: str | None) -> str:
    return known_codes().get(code or "", "")


def is_light_touch_service(code: str | None) -> bool:
    """PR 2024 reg 42(1) and Schedule 1 Table 1."""
    return code is not None and any(r.covers(code) for r in _ranges("pr2024_schedule1_cpv.csv"))


def is_psr_health_care_service(code: str | None) -> bool:
    """SI 2023/1348 reg 2(1) ("relevant health care services") and Schedule 1."""
    return code is not None and any(r.covers(code) for r in _ranges("psr2023_schedule1_cpv.csv"))


def is_works(code: str | None) -> bool:
    """CPV division 45 (construction work). PR 2024 reg 45 and Schedule 3 list the works codes, all in
    division 45; treating the whole division as works is platform policy."""
    return code is not None and code.startswith("45")
