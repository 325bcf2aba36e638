"""Reads of the capacity app: current status, history, totals, the status cache."""
