"""Shipped Kazakhstan exercise scenarios (YAML; see :mod:`jedel.core.simulation.scenario`)."""
