"""Writes of the facility registry: create, update (optimistic concurrency), deactivate, referral links,
and the all-or-nothing batch upsert behind the CSV and FHIR imports.

Every function asks the policy first (`require`, which audits a denial outside any transaction), then
writes and records the audit event in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jedel.accounts.policy import Action, Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound, ValidationFailed
from jedel.facilities.errors import FacilityError
from jedel.facilities.models import Facility, ReferralLink, Specialty
from jedel.facilities.permissions import CREATE_FACILITY, EDIT_FACILITY, GOVERN_FACILITY, IMPORT_FACILITIES
from jedel.facilities.services.registry_rules import (
    CAPABILITY_ORDER,
    NULLABLE_FIELDS,
    SPEC_FIELDS,
    FacilitySpec,
    Problem,
    Reference,
    canonical,
    reference_load,
    spec_apply,
    spec_diff,
    spec_from_facility,
    spec_problems,
)

__all__ = [
    "FacilitySpec", "UpsertResult", "facilities_upsert", "facility_create", "facility_deactivate",
    "facility_update", "referral_link_remove", "referral_link_set", "referral_links_upsert",
]


# Columns written by a compare-and-set update (everything a spec controls).
_STORED_FIELDS = ("name_en", "name_kk", "name_ru", "kind", "ownership", "lat", "lon", "trauma_level",
                  "reporting_interval_min", "synthetic", "region", "town") + tuple(
    f"has_{c}" for c in CAPABILITY_ORDER)


def _raise_problems(problems: list[Problem]) -> None:
    if len(problems) == 1:
        p = problems[0]
        raise DomainError(p.code, field=p.field, detail=p.message)
    if problems:
        raise ValidationFailed(problems[0].code, [{"code": p.code.value, "loc": [p.field], "msg": p.message}
                                                  for p in problems])


def _full_clean(facility: Facility) -> None:
    # The spec rules should have caught everything; this turns a missed model rule into a 422, not a 500.
    try:
        facility.full_clean(validate_unique=False)
    except DjangoValidationError as exc:
        _raise_problems([Problem(field, FacilityError.BAD_VALUE, " ".join(msgs))
                         for field, msgs in exc.message_dict.items()])


def _region_target(ref: Reference, region_iso: str) -> Target:
    region = ref.regions.get(region_iso)
    if region is None:
        # The target cannot be known, so the policy cannot be asked: the input is simply invalid.
        raise DomainError(FacilityError.UNKNOWN_REGION, field="region_iso",
                          detail=_("unknown region %(v)r (ISO 3166-2, e.g. KZ-75)") % {"v": region_iso})
    return Target(region_id=region.pk)


def _facility(code: str) -> Facility:
    # NUL cannot be sent to PostgreSQL; no code contains one, so it simply is not found.
    qs = Facility.objects.select_related("region", "town")
    f = None if "\x00" in code else qs.filter(code=code).first()
    if f is None:
        raise NotFound(FacilityError.UNKNOWN_FACILITY, field="code")
    return f


def facility_create(*, actor: Principal, spec: FacilitySpec, now: datetime | None = None) -> Facility:
    """Register a new facility; the actor needs CREATE_FACILITY in the facility's region."""
    ref = reference_load()
    spec = canonical(spec)
    require(actor, CREATE_FACILITY, _region_target(ref, spec.region_iso),
            object_type="facility", object_id=spec.code)
    _raise_problems(spec_problems(spec, ref))
    with transaction.atomic():
        if Facility.objects.filter(code=spec.code).exists():
            raise Conflict(FacilityError.DUPLICATE_CODE, field="code")
        facility = Facility()
        spec_apply(facility, spec, ref)
        _full_clean(facility)
        facility.save()
        audit_record(actor=actor, action="facility_create", object_type="facility", object_id=spec.code,
                     region_id=facility.region_id, changes=spec_diff(None, spec), now=now)
    return facility


REGION_GOVERNED_FIELDS = frozenset({"kind", "reporting_interval_min", "trauma_level", "capabilities"})


def facility_update(*, actor: Principal, code: str, version: int, changes: dict[str, Any],
                    now: datetime | None = None) -> Facility:
    """Change some fields of a facility read at `version`; a stale version is a 409 and writes nothing."""
    facility = _facility(code)
    ref = reference_load()
    require(actor, EDIT_FACILITY, Target(region_id=facility.region_id, facility_id=facility.pk),
            object_type="facility", object_id=code)
    unknown = sorted(set(changes) - (set(SPEC_FIELDS) - {"code"}))
    if unknown:
        raise DomainError(FacilityError.BAD_VALUE, field=unknown[0], detail=_("this field cannot be changed"))
    emptied = sorted(k for k, v in changes.items() if v is None and k not in NULLABLE_FIELDS)
    if emptied:
        raise DomainError(FacilityError.REQUIRED, field=emptied[0], detail=_("required"))
    old = spec_from_facility(facility)
    new = canonical(replace(old, **changes))
    if new.region_iso != old.region_iso:
        # Moving a facility is a write in both regions.
        require(actor, EDIT_FACILITY, _region_target(ref, new.region_iso), object_type="facility",
                object_id=code)
    _raise_problems(spec_problems(new, ref))
    diff = spec_diff(old, new)
    governed = sorted(REGION_GOVERNED_FIELDS & set(diff))
    if governed:
        require(actor, GOVERN_FACILITY, facility, object_type="facility", object_id=code)
    if not diff:
        # Nothing to write, but a stale version is still reported: the caller's picture is out of date.
        if facility.version != version:
            raise Conflict(FacilityError.STALE_VERSION, field="version")
        return facility
    with transaction.atomic():
        spec_apply(facility, new, ref)
        _full_clean(facility)
        values = {name: getattr(facility, name) for name in _STORED_FIELDS}
        # Compare-and-set on the version: no lock needed, and two writers can never both win.
        written = Facility.objects.filter(pk=facility.pk, version=version).update(
            **values, version=F("version") + 1, updated_at=now or utcnow())
        if not written:
            raise Conflict(FacilityError.STALE_VERSION, field="version")
        audit_record(actor=actor, action="facility_update", object_type="facility", object_id=code,
                     region_id=facility.region_id, changes=diff, now=now)
    facility.refresh_from_db()
    return facility


def facility_deactivate(*, actor: Principal, code: str, now: datetime | None = None) -> Facility:
    """Take a facility off the live registry (kept for history); needs CREATE_FACILITY in its region.

    Why CREATE_FACILITY: closing a hospital is a regional decision, not one its own manager makes.
    """
    facility = _facility(code)
    require(actor, CREATE_FACILITY, Target(region_id=facility.region_id, facility_id=facility.pk),
            object_type="facility", object_id=code)
    with transaction.atomic():
        if facility.active:
            Facility.objects.filter(pk=facility.pk).update(active=False, version=F("version") + 1,
                                                           updated_at=now or utcnow())
            audit_record(actor=actor, action="facility_deactivate", object_type="facility", object_id=code,
                         region_id=facility.region_id, changes={"active": [True, False]}, now=now)
    facility.refresh_from_db()
    return facility


def _specialty(value: str) -> str:
    if value not in Specialty.values:
        raise DomainError(FacilityError.UNKNOWN_SPECIALTY, field="specialty",
                          detail=_("unknown specialty %(v)r; one of: %(all)s")
                          % {"v": value, "all": ", ".join(Specialty.values)})
    return value


def _referral_ends(actor: Principal, source_code: str, target_code: str,
                   specialty: str) -> tuple[Facility, Facility]:
    """Both facilities of a link, once the actor may edit the source and the specialty is known."""
    source, target = _facility(source_code), _facility(target_code)
    require(actor, EDIT_FACILITY, Target(region_id=source.region_id, facility_id=source.pk),
            object_type="referral_link", object_id=f"{source_code}>{target_code}")
    _specialty(specialty)
    return source, target


def referral_link_set(*, actor: Principal, source_code: str, target_code: str, specialty: str,
                      now: datetime | None = None) -> ReferralLink:
    """Ensure `source` refers `specialty` patients to `target` (idempotent); edits the source facility."""
    source, target = _referral_ends(actor, source_code, target_code, specialty)
    if source.pk == target.pk:
        raise DomainError(FacilityError.SELF_REFERRAL, field="target_code")
    with transaction.atomic():
        link, created = ReferralLink.objects.get_or_create(source=source, target=target, specialty=specialty)
        if created:
            audit_record(actor=actor, action="referral_link_set", object_type="referral_link",
                         object_id=link.pk,
                         region_id=source.region_id, now=now,
                         changes={"source": source_code, "target": target_code, "specialty": specialty})
    return link


def referral_link_remove(*, actor: Principal, source_code: str, target_code: str, specialty: str,
                         now: datetime | None = None) -> None:
    """Remove one referral link; NotFound when there is none."""
    source, target = _referral_ends(actor, source_code, target_code, specialty)
    with transaction.atomic():
        deleted, _n = ReferralLink.objects.filter(source=source, target=target, specialty=specialty).delete()
        if not deleted:
            raise NotFound(FacilityError.UNKNOWN_REFERRAL)
        audit_record(actor=actor, action="referral_link_remove", object_type="referral_link",
                     object_id=f"{source_code}>{target_code}", region_id=source.region_id, now=now,
                     changes={"source": source_code, "target": target_code, "specialty": specialty})


@dataclass(frozen=True)
class UpsertResult:
    """What a batch import did (or would do, on a dry run)."""

    created: int
    updated: int
    unchanged: int
    dry_run: bool


def _require_regions(actor: Principal, action: Action, region_ids: set[int], object_type: str) -> None:
    targets = [Target(region_id=r) for r in sorted(region_ids)] or [Target()]  # an empty batch is national
    for target in targets:
        require(actor, action, target, object_type=object_type, object_id="batch")


def facilities_upsert(*, actor: Principal, specs: Sequence[FacilitySpec], source: str, dry_run: bool = False,
                      now: datetime | None = None) -> UpsertResult:
    """Create or update facilities by code in one transaction: one audit event for the batch plus one per
    changed facility. The specs must already be valid (see `spec_problems`); the actor needs
    IMPORT_FACILITIES in every region touched (old and new region of a moved facility)."""
    now = now or utcnow()
    ref = reference_load()
    existing = {f.code: f for f in Facility.objects.select_related("region", "town")
                .filter(code__in=[s.code for s in specs])}
    regions = {ref.regions[s.region_iso].pk for s in specs} | {f.region_id for f in existing.values()}
    _require_regions(actor, IMPORT_FACILITIES, regions, "facility_import")
    plan = [(spec, existing.get(spec.code)) for spec in specs]
    changes = [(spec, f, spec_diff(spec_from_facility(f) if f else None, spec)) for spec, f in plan]
    created = sum(1 for _s, f, _d in changes if f is None)
    updated = sum(1 for _s, f, d in changes if f is not None and d)
    result = UpsertResult(created=created, updated=updated, unchanged=len(specs) - created - updated,
                          dry_run=dry_run)
    if dry_run:
        return result
    with transaction.atomic():
        for spec, facility, diff in changes:
            if facility is not None and not diff:
                continue
            action = "facility_create" if facility is None else "facility_update"
            facility = facility or Facility()
            spec_apply(facility, spec, ref)
            if facility.pk:
                facility.version += 1
            _full_clean(facility)
            facility.save()
            audit_record(actor=actor, action=action, object_type="facility", object_id=spec.code,
                         region_id=facility.region_id, changes=diff, now=now)
        audit_record(actor=actor, action="facility_import", object_type="facility",
                     region_id=next(iter(regions)) if len(regions) == 1 else None, now=now,
                     changes={"source": source, "rows": len(specs), "created": created, "updated": updated,
                              "unchanged": result.unchanged})
    return result


def referral_links_upsert(*, actor: Principal, links: Sequence[tuple[str, str, str]], source: str,
                          dry_run: bool = False, now: datetime | None = None) -> UpsertResult:
    """Ensure each (source_code, target_code, specialty) link exists; links not listed are kept.
    The codes must exist (checked by the importer); needs IMPORT_FACILITIES in each source's region."""
    now = now or utcnow()
    by_code = {f.code: f for f in Facility.objects.filter(
        code__in={c for s, t, _sp in links for c in (s, t)})}
    regions = {by_code[s].region_id for s, _t, _sp in links}
    _require_regions(actor, IMPORT_FACILITIES, regions, "referral_import")
    have = set(ReferralLink.objects.filter(source__code__in={s for s, _t, _sp in links})
               .values_list("source__code", "target__code", "specialty"))
    new = [link for link in dict.fromkeys(links) if link not in have]
    result = UpsertResult(created=len(new), updated=0, unchanged=len(links) - len(new), dry_run=dry_run)
    if dry_run:
        return result
    with transaction.atomic():
        ReferralLink.objects.bulk_create([ReferralLink(source=by_code[s], target=by_code[t], specialty=sp)
                                          for s, t, sp in new])
        audit_record(actor=actor, action="referral_import", object_type="referral_link",
                     region_id=next(iter(regions)) if len(regions) == 1 else None, now=now,
                     changes={"source": source, "rows": len(links), "created": len(new),
                              "unchanged": result.unchanged})
    return result
