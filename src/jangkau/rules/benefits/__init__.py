"""Benefit calculators: JKM, JKK, JHT, JP, JKP (one module each)."""
