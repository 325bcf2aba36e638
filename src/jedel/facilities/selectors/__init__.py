"""Reads of the facilities app."""
