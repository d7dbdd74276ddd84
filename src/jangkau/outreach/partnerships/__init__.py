"""Partnerships (PKS) with the offices and partners who go door to door."""
