"""Password hashing (argon2id) and the strength rule shown to people registering."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

_DEFAULT = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults
_hashers: dict[tuple[int, int], PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    """The configured hasher. Tests turn the cost down; production keeps the defaults.

    Verification reads the parameters from each stored hash, so changing the
    cost never locks anyone out.
    """
    if not has_app_context():
        return _DEFAULT
    time_cost = current_app.config.get("ARGON2_TIME_COST", _DEFAULT.time_cost)
    memory_cost = current_app.config.get("ARGON2_MEMORY_COST", _DEFAULT.memory_cost)
    key = (time_cost, memory_cost)
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)
    return _hashers[key]

MIN_LENGTH = 12
# The most common passwords in breach corpora that meet the length rule.
COMMON = {
    "password1234", "123456789012", "qwertyuiopas", "passwordpassword", "iloveyou1234",
    "welcome12345", "letmein12345", "administrator", "password123!", "changeme1234",
    "qwerty123456", "1q2w3e4r5t6y", "abc123456789", "football1234", "monkey123456",
    "commissioning", "council12345", "procurement1",
}


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, *, email: str = "", full_name: str = "") -> str | None:
    """Why a password is too weak, in words a person can act on, or None."""
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters long"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) < 5:
        return "Password is too easy to guess: use three or four random words"
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return "Password must not contain your email address"
    for part in full_name.lower().split():
        if len(part) >= 4 and part in lowered:
            return "Password must not contain your name"
    return None


# A real hash of a random string, checked when an email is unknown so a wrong
# email takes as long as a wrong password.
DUMMY_HASH = _DEFAULT.hash("timing-equaliser-not-a-password")
