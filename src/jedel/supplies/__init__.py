"""Supplies and humanitarian logistics: catalogue, kits, warehouses, the stock ledger, requests, shipments,
distributions to people, beneficiary feedback and burn-rate forecasts."""
