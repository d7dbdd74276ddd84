"""The jobs domain's own pure rules (no database, no web): matching, wages."""
