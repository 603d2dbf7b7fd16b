"""Declarations of interest and the conflicts assessment (PA23 ss.81-83, DESIGN.md rule 4)."""
