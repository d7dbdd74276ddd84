"""Jangkau: workers' social security for every worker in Indonesia."""

__version__ = "0.1.0"
