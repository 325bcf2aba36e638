"""The plan page's one form: POST fields → PlanInput, with the page's own field errors (names as in the form).

Fields: `version`, `review_due_on`, `note`; per checklist item `status:<code>` and `evidence:<code>`; activation
levels `level-<i>-level|name|trigger`; command roles in call-down order `role-<i>-role|name|phone|deputy|
deputy_phone|action_card`; surge `beds_2h`, `beds_24h`. A level or role row left wholly blank is skipped; a row
partly filled is checked with the API's own schemas, so the page and the API refuse the same input; its error is
keyed by its place among the filled rows (`level-0`, `role-2`), the order in which the page shows them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from pydantic import ValidationError

from jedel.preparedness.schemas_plans import ActivationLevel, CommandRole, Surge
from jedel.preparedness.services.plans import PlanInput, PlanItemInput

LEVEL_FIELDS = ("level", "name", "trigger")
ROLE_FIELDS = ("role", "name", "phone", "deputy", "deputy_phone", "action_card")
MAX_LEVELS, MAX_ROLES = 10, 100


@dataclass
class PlanForm:
    version: int
    data: PlanInput | None
    errors: dict[str, str] = field(default_factory=dict)
    raw_levels: list[dict[str, str]] = field(default_factory=list)
    raw_roles: list[dict[str, str]] = field(default_factory=list)
    # What was typed, shown again when the form is refused.
    raw_surge: dict[str, str] = field(default_factory=dict)
    raw_review: str = ""
    raw_note: str = ""


def _rows(post: QueryDict, prefix: str, names: tuple[str, ...], limit: int) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for i in range(limit):
        row = {n: post.get(f"{prefix}-{i}-{n}", "").strip() for n in names}
        if any(row.values()):
            rows.append((i, row))
    return rows


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"


def _count(raw: str, name: str, errors: dict[str, str]) -> int | None:
    if not raw.strip():
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= 100_000:
        errors[name] = _("Enter a whole number from 0 to 100,000.")
        return None
    return value


def plan_form_parse(post: QueryDict, item_codes: list[str]) -> PlanForm:
    """Read the form; `data` is None when a field is wrong (the service checks the checklist rules itself)."""
    errors: dict[str, str] = {}
    try:
        version = int(post.get("version", "0"))
    except ValueError:
        version = -1
    try:
        review = date.fromisoformat(post.get("review_due_on", ""))
    except ValueError:
        review = None
        errors["review_due_on"] = _("Enter the date of the next review.")
    items = [PlanItemInput(code, post.get(f"status:{code}", "missing"), post.get(f"evidence:{code}", "")[:4000])
             for code in item_codes]
    levels: list[dict[str, Any]] = []
    raw_levels = []
    for _i, row in _rows(post, "level", LEVEL_FIELDS, MAX_LEVELS):
        raw_levels.append(row)
        try:
            levels.append(ActivationLevel(**row).model_dump())
        except ValidationError as exc:
            errors[f"level-{len(raw_levels) - 1}"] = _first_error(exc)
    roles: list[dict[str, Any]] = []
    raw_roles = []
    for _i, row in _rows(post, "role", ROLE_FIELDS, MAX_ROLES):
        raw_roles.append(row)
        try:
            roles.append(CommandRole(**row).model_dump())
        except ValidationError as exc:
            errors[f"role-{len(raw_roles) - 1}"] = _first_error(exc)
    surge = Surge(beds_2h=_count(post.get("beds_2h", ""), "beds_2h", errors),
                  beds_24h=_count(post.get("beds_24h", ""), "beds_24h", errors)).model_dump()
    raw = {"raw_surge": {k: post.get(k, "")[:12] for k in ("beds_2h", "beds_24h")},
           "raw_review": post.get("review_due_on", "")[:10], "raw_note": post.get("note", "")[:500]}
    if errors or review is None:
        return PlanForm(version, None, errors, raw_levels, raw_roles, **raw)
    data = PlanInput(review_due_on=review, items=items, activation_levels=levels, command_roles=roles, surge=surge,
                     note=post.get("note", "")[:500])
    return PlanForm(version, data, errors, raw_levels, raw_roles, **raw)
