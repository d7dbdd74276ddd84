"""Enrolments charged to a sponsor by someone who is not its staff: requests the sponsor's officer decides."""
