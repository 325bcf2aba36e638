"""Packaged reference parameters for the core engines (``parameters.json``), read with importlib.resources."""
