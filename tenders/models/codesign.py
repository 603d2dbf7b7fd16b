"""Co-design threads, proposals, specification sections and clause provenance (DESIGN.md rule 3, issue 5)."""
