"""Shared pieces of ``jedel.core``'s pydantic JSON formats: the strict base model, common field types,
and the translation of pydantic's errors into :class:`~jedel.core.errors.FieldError` (``"path: reason"``).

Conventions of every format built on :class:`StrictModel`:

* unknown members are errors (a typo must not silently drop a constraint);
* members whose name starts with ``_`` are comments and are ignored (``"_about": "..."``);
* numbers are JSON numbers (no strings, no booleans), finite (no NaN or Infinity).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from jedel.core.errors import FieldError


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""``$schema`` of the published schemas (pydantic generates draft 2020-12)."""


class StrictModel(BaseModel):
    """Base of the JSON input formats: unknown members rejected, ``_``-prefixed members ignored."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"patternProperties": {"^_": {"description": "comment, ignored"}}},
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_comments(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("_"))}
        return data


def _as_id(value: object) -> object:
    """Ids are non-empty strings; integers are accepted and become their decimal text."""
    if isinstance(value, bool):
        raise ValueError("must be a non-empty string")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value:
        return value
    raise ValueError("must be a non-empty string")


Id = Annotated[
    str,
    BeforeValidator(_as_id),
    WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]}),
]
"""An identifier: a non-empty string (an integer is taken as its text)."""

FiniteFloat = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""A finite JSON number (integers accepted)."""

NonNegativeFloat = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]
"""A finite JSON number >= 0."""

NonNegativeInt = Annotated[int, Field(strict=True, ge=0)]
"""A JSON integer >= 0."""


@dataclass(frozen=True)
class InRange(GroupedMetadata):
    """``Annotated`` metadata: ``low <= value <= high`` with a message naming the range, and the bounds
    published in the JSON Schema (``minimum`` / ``maximum``).

    Attributes:
        low: lowest allowed value.
        high: highest allowed value.
        template: message, with ``{low}``, ``{high}`` and ``{value}`` formatted by ``:g``.
    """

    low: float
    high: float
    template: str = "must be in {low}..{high}, got {value}"

    def __iter__(self) -> Iterator[Any]:
        def check(value: Any) -> Any:
            if not self.low <= value <= self.high:
                low, high = f"{self.low:g}", f"{self.high:g}"
                raise ValueError(self.template.format(low=low, high=high, value=f"{value:g}"))
            return value

        yield AfterValidator(check)
        yield Field(json_schema_extra={"minimum": self.low, "maximum": self.high})


def field_path(loc: Sequence[int | str], root: str) -> str:
    """JSON path of a pydantic error location: ``("casualties", 0, "rpm")`` -> ``casualties[0].rpm``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or root


def _expected(ctx: dict[str, Any]) -> str:
    return ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))


_REASONS: dict[str, Callable[[dict[str, Any], Any], str]] = {
    "missing": lambda ctx, value: "required",
    "model_type": lambda ctx, value: "must be a JSON object",
    "model_attributes_type": lambda ctx, value: "must be a JSON object",
    "dict_type": lambda ctx, value: "must be a JSON object",
    "list_type": lambda ctx, value: "must be a list",
    "int_type": lambda ctx, value: "must be an integer",
    "int_from_float": lambda ctx, value: "must be an integer",
    "int_parsing": lambda ctx, value: "must be an integer",
    "float_type": lambda ctx, value: "must be a finite number",
    "float_parsing": lambda ctx, value: "must be a finite number",
    "finite_number": lambda ctx, value: "must be a finite number",
    "bool_type": lambda ctx, value: "must be true or false",
    "bool_parsing": lambda ctx, value: "must be true or false",
    "string_type": lambda ctx, value: "must be a string",
    "string_too_short": lambda ctx, value: "must be a non-empty string",
    "greater_than_equal": lambda ctx, value: f"must be >= {ctx['ge']:g}",
    "greater_than": lambda ctx, value: f"must be > {ctx['gt']:g}",
    "less_than_equal": lambda ctx, value: f"must be <= {ctx['le']:g}",
    "less_than": lambda ctx, value: f"must be < {ctx['lt']:g}",
    "enum": lambda ctx, value: f"must be one of {_expected(ctx)}, not {value!r}",
    "literal_error": lambda ctx, value: f"must be one of {_expected(ctx)}, not {value!r}",
    "value_error": lambda ctx, value: str(ctx["error"]),
}


def field_errors(
    exc: ValidationError, *, root: str, unknown: str = "unknown field"
) -> list[FieldError]:
    """Every error of a pydantic validation as a :class:`FieldError`, in pydantic's order.

    Args:
        exc: the validation error.
        root: path named when the document itself is wrong (``"problem"``).
        unknown: reason given for an unknown member.
    """
    out = []
    for e in exc.errors(include_url=False):
        kind, ctx = e["type"], dict(e.get("ctx") or {})
        if kind == "extra_forbidden":
            reason = unknown
        elif kind in _REASONS:
            reason = _REASONS[kind](ctx, e.get("input"))
        else:
            reason = e["msg"]
        out.append(FieldError(field_path(e["loc"], root), reason))
    return out


def first_field_error(exc: ValidationError, *, root: str, unknown: str = "unknown field") -> FieldError:
    """The first of :func:`field_errors` (what a command line reports)."""
    return field_errors(exc, root=root, unknown=unknown)[0]
