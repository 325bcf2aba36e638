"""Domain errors: every failure a user can cause carries a stable code from an app's `errors.py` enum."""

from __future__ import annotations

from enum import Enum
from typing import Any


class ErrorCode(str, Enum):
    """Base for app error enums; the value is the stable machine code, `message` the human text."""

    @property
    def message(self) -> str:
        return str(_MESSAGES.get((type(self), self.value), self.value))


# Keyed by (enum class, code): codes are str enums, so two apps' STALE_VERSION are equal and hash alike; keyed by
# the member alone, the app registered last would give every app its message.
_MESSAGES: dict[tuple[type, str], Any] = {}


def register_messages(messages: dict[Any, Any]) -> None:
    """Attach (lazy, translatable) messages to error codes."""
    _MESSAGES.update({(type(code), code.value): text for code, text in messages.items()})


class DomainError(Exception):
    """A rule was broken. `status` is the HTTP status the API answers with; `field` names the culprit."""

    status = 422

    def __init__(self, code: ErrorCode, *, field: str | None = None, detail: str | None = None,
                 status: int | None = None) -> None:
        self.code = code
        self.field = field
        self.detail = detail or code.message
        if status is not None:
            self.status = status
        super().__init__(f"{code.value}: {self.detail}")

    def as_dict(self) -> dict[str, Any]:
        item: dict[str, Any] = {"code": self.code.value, "msg": str(self.detail)}
        if self.field:
            item["loc"] = self.field.split(".")
        return {"detail": [item]}


class ValidationFailed(DomainError):
    """Several field errors at once (forms, imports); nothing was written."""

    def __init__(self, code: ErrorCode, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__(code, detail="; ".join(f"{e.get('loc', '')}: {e['msg']}" for e in errors[:5]))

    def as_dict(self) -> dict[str, Any]:
        return {"detail": [{"code": self.code.value, **e} for e in self.errors]}


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409
