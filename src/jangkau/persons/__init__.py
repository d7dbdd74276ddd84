"""The person page: one person's record across the domains, for whoever may see that person."""
