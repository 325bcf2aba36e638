"""Actions of the geo app: the reference geography (regions, boundaries, towns) is read by everyone."""

from __future__ import annotations

from jedel.accounts.policy import ALL_ROLES, TokenUse, declare

VIEW_GEOGRAPHY = declare("view_geography", roles=ALL_ROLES, nationwide=True, token=TokenUse.ANY,
                         description="Read the reference geography")
