"""Funding and coverage: payers, sponsorships, budgets, bills, payments, protected months, lapse and reminders."""
