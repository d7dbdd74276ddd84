"""The claims domain's own pure rules (no database, no web): eligibility, amounts, heirs, SLA."""
