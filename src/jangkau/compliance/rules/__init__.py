"""The compliance domain's own pure rules (no database, no web): obligations, amounts."""
