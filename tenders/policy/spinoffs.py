"""Spin-off proposals on contracts, the lawful-route modification check and the modification register (DESIGN.md rule 8)."""
