from tests.unit.audit_ocds.conftest import people  # noqa: F401  (a fixture: the OCDS builders' people)
