"""Relationship Notebook: pick up where the last conversation left off."""

__version__ = "0.1.0"
