"""Writes of the security app: panic buttons and alerts, consoles, posture, the violence registry."""
