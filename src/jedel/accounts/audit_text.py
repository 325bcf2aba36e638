"""How audit events read to people: translated action names and changes as "field: old → new".

Stored events keep stable machine names (`facility_update`, `{"beds": [3, 5]}`); this module is the one
place that turns them into words, for the audit page and the `*_label`/`changes_text` fields of the API.
An action no entry names is shown as its machine name rather than hidden.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# Sign-ins and account administration: what a security officer may read (see permissions.VIEW_ACCOUNT_AUDIT).
ACCOUNT_ACTIONS = frozenset({
    "sign_in", "sign_in_failed", "sign_in_throttled", "account_locked", "user_create", "user_activate",
    "user_deactivate", "user_unlock", "user_set_password", "client_unlock", "token_create", "token_revoke",
    "manage_users", "manage_tokens",
})

ACTION_LABELS: dict[str, Any] = {
    "sign_in": _("Signed in"),
    "sign_in_failed": _("Sign-in failed"),
    "sign_in_throttled": _("Sign-in refused: too many failures"),
    "account_locked": _("Account locked"),
    "user_create": _("User created"),
    "user_activate": _("User reactivated"),
    "user_deactivate": _("User deactivated"),
    "user_unlock": _("Failed sign-ins cleared"),
    "user_set_password": _("Password set"),
    "client_unlock": _("Failed sign-ins of an address cleared"),
    "token_create": _("API token issued"),
    "token_revoke": _("API token revoked"),
    "manage_users": _("User administration"),
    "manage_tokens": _("API token administration"),
    "view_audit": _("Audit trail read"),
    "view_account_audit": _("Sign-in audit read"),
    "facility_create": _("Facility created"),
    "facility_update": _("Facility changed"),
    "facility_deactivate": _("Facility deactivated"),
    "facility_import": _("Facilities imported"),
    "facility_import_create": _("Facility created by import"),
    "facility_import_update": _("Facility changed by import"),
    "edit_facility": _("Facility edit"),
    "govern_facility": _("Facility settings reserved for the region"),
    "create_facility": _("Facility creation"),
    "import_facilities": _("Facility import"),
    "referral_link_set": _("Referral link added"),
    "referral_link_remove": _("Referral link removed"),
    "referral_import": _("Referral links imported"),
    "report_capacity": _("Capacity reported"),
    "confirm_capacity": _("Capacity confirmed unchanged"),
    "edxl_have_import": _("EDXL-HAVE message imported"),
    "demo_generate": _("Demo data generated"),
}

OBJECT_LABELS: dict[str, Any] = {
    "user": _("user"),
    "api_token": _("API token"),
    "facility": _("facility"),
    "capacity_report": _("capacity report"),
    "referral_link": _("referral link"),
    "client": _("address"),
}


def action_label(action: str) -> str:
    """The translated name of an action (its machine name when none is known)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def action_choices() -> list[tuple[str, str]]:
    """(name, translated label) of every known action, by label: the page's action filter."""
    return sorted(((k, str(v)) for k, v in ACTION_LABELS.items()), key=lambda kv: kv[1].lower())


def object_label(object_type: str) -> str:
    label = OBJECT_LABELS.get(object_type)
    return str(label) if label is not None else object_type


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) or "—"
    return str(value)


def change_lines(changes: Any) -> list[str]:
    """One line per field: `field: old → new` for a change (a two-item list or an {old, new} mapping),
    `field: value` otherwise. Never a dump of the stored structure."""
    if not isinstance(changes, dict):
        return [_value(changes)] if changes else []
    lines = []
    for field, value in changes.items():
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            lines.append(f"{field}: {_value(value['old'])} → {_value(value['new'])}")
        elif isinstance(value, (list, tuple)) and len(value) == 2 and field not in _LIST_FIELDS:
            lines.append(f"{field}: {_value(value[0])} → {_value(value[1])}")
        else:
            lines.append(f"{field}: {_value(value)}")
    return lines


# Fields whose stored value is a list of things, not an (old, new) pair.
_LIST_FIELDS = frozenset({"facilities", "regions"})
