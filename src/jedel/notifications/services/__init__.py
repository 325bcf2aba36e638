"""Writes of the notifications app: sending (`sending`), answers of recipients (`answers`), the worker's tick
(`worker`) and rosters (`rosters`)."""
