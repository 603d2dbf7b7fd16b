"""The services that change contract outcomes: each checks its rule, makes the change and audits it."""
