"""The funding domain's own pure rules (no database, no web): tariffs."""
