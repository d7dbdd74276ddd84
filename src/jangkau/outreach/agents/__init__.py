"""Outreach agents: their pages."""
