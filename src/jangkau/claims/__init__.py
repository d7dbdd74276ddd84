"""Claims: from a reported accident, death, dismissal or withdrawal to the benefit paid (see README.md)."""
