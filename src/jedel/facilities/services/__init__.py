"""Writes of the facilities app."""
