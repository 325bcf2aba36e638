"""Demo data of the security app (filled in by that app's work)."""


def demo_security_create() -> str:
    """Creates the labelled demo data (idempotent) and returns one line for the demo command's summary."""
    return ""
