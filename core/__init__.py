"""The ground floor: configuration, extensions, database, clock, errors, forms, API plumbing and the checks every
layer shares."""
