"""The reporting domain's own pure rules (no database, no web): bands."""
