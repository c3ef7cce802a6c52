"""Reads that depend on who is asking."""
