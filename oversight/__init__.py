"""The auditors' workspace: registers, records, attention, OCDS, exports, feeds and their pages."""
