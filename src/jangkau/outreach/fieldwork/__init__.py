"""Field work: the agent's work list, visits, follow-ups."""
