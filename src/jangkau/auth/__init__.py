"""Users, roles, territory scope, sessions, API tokens and the audit log."""
