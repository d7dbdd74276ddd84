"""Rule tables that the people who run Jangkau keep current: versions added in the database over the shipped seed."""
