"""Sponsors and their programmes created and edited in the browser."""
