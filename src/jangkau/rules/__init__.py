"""Pure rules: contributions, benefits, lapse and budgets (standard library and ``jangkau.kit`` only)."""
