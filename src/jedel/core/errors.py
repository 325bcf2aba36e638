"""The one input-error type of ``jedel.core``'s JSON formats: a field path and what is wrong there."""

from __future__ import annotations


class FieldError(ValueError):
    """Bad input at one place of a JSON document.

    The message is ``"<path>: <reason>"``, e.g. ``"casualties[3].site: unknown site 'S9'"``: the path uses
    ``.name`` for object members and ``[i]`` for list items, relative to the document parsed (``problem``
    or ``findings`` when the document itself is wrong). The CLI prints the message after ``error:``; an
    API answers 422 with ``path`` and ``reason`` as the field-level message.

    Attributes:
        path: where the problem is (``"hospitals[1].capacity.immediate"``).
        reason: what is wrong (``"must be >= 0"``).
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
