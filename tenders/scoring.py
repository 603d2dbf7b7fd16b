"""What each score means, shown to evaluators beside the score sheet so that two people mean the same by a 3.

The 0 to 5 descriptors follow the scale UK public bodies commonly publish in their tender documents. A
procurement with another top score gets the same six bands spread over its scale: each band's lowest score.
"""
from __future__ import annotations

from dataclasses import dataclass

DESCRIPTORS = (
    ("Unacceptable", "No response, or the response does not address the requirement at all."),
    ("Poor", "The response addresses the requirement only in part, with little or no evidence; major concerns."),
    ("Weak", "The response addresses the requirement with limited detail or evidence; several concerns."),
    ("Satisfactory", "The response meets the requirement with reasonable detail and evidence; minor concerns."),
    ("Good", "The response meets the requirement in full, with clear detail and relevant evidence."),
    ("Excellent", ("The response meets the requirement in full with compelling evidence, and shows added value "
                   "for children.")),
)


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    name: str
    meaning: str

    @property
    def scores(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low} to {self.high}"


def bands(score_max: int) -> list[Band]:
    """The descriptor bands for a scale from 0 to score_max (0 to 5: one score per band)."""
    steps = len(DESCRIPTORS) - 1
    lows = [round(i * score_max / steps) for i in range(steps + 1)]
    out: list[Band] = []
    for i, (name, meaning) in enumerate(DESCRIPTORS):
        high = score_max if i == steps else max(lows[i], lows[i + 1] - 1)
        if i and lows[i] <= out[-1].high:
            continue  # a short scale: two bands would share a score
        out.append(Band(lows[i], high, name, meaning))
    return out
