"""Socialisation sessions and agent trainings, attendance and what followed."""
