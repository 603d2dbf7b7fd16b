"""Demo and benchmark data: loaded through the same services as real use, and never part of production.

The app factory adds these commands (`flask seed-demo`, `flask bench-data`) only when the configuration is not
production's.
"""
