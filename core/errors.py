"""Domain errors raised by services; views turn them into form errors or 403s."""
from __future__ import annotations


class DomainError(Exception):
    """Base class: something a user asked for cannot be done."""


class RuleViolation(DomainError):
    """A rule refused the change. `reasons` maps a form field (or "") to messages.

    `overridable` refusals are warnings the person may confirm and send again
    (the form then shows its confirmation box: core.forms.apply_violation).
    """

    overridable = False

    def __init__(self, reasons: dict[str, str] | str):
        if isinstance(reasons, str):
            reasons = {"": reasons}
        self.reasons = reasons
        super().__init__("; ".join(reasons.values()))


class NotPermitted(DomainError):
    """The actor may not do this. Services audit the refusal before raising.

    Where the person can put it right themselves (declare their interests, say),
    `fix` is (link text, site-relative link) and the refusal page links there.
    """

    def __init__(self, message: str = "", *, fix: tuple[str, str] | None = None):
        super().__init__(message)
        self.fix = fix
