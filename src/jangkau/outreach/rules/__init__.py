"""Outreach's own pure rules (no database, no web): the agent incentive."""
