"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (DESIGN.md rule 2)."""
