"""The web edge: app factory, page helpers, form once-only tokens, idempotency, guards, templates, static files."""
