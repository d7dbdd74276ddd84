"""Vacancies: posting, search, the minimum-wage check."""
