"""System endpoints: health and the reference data every client needs (regions, NIK check)."""
