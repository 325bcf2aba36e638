"""Demo data of the transfers app (filled in by that app's work)."""


def demo_transfers_create() -> str:
    """Creates the labelled demo data (idempotent) and returns one line for the demo command's summary."""
    return ""
