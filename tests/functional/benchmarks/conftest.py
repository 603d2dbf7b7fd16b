from tests.unit.benchmarking.runs_builders import council, providers  # noqa: F401  (shared fixtures)
