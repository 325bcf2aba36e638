"""Permissions of the app (declared with the one policy)."""
