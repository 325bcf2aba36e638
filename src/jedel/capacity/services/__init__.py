"""Writes of the capacity app: capacity reports and the current-status pointer."""
