"""Reads of the notifications app: recipients (`recipients`), notices and inboxes (`notices`), rosters, statistics."""
