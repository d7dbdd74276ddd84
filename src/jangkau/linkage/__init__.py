"""Record linkage of outside lists against the register (Splink 5)."""
