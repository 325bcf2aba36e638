"""Writes of the supplies app: ledger (stock moves, imports), catalogue, requests and shipments, distributions."""
