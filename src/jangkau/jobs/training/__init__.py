"""Training programmes, sign-ups and announcements."""
