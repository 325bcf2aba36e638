"""Registry writes: create, update with optimistic concurrency, deactivate, referral links, batch upsert.

Every write asks the policy first, validates, writes in one transaction and leaves an audit event with a
field-level diff; a denied write leaves a `denied` audit event and nothing else.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from jedel.accounts.models import AuditEvent, Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from jedel.facilities.errors import FacilityError
from jedel.facilities.models import Facility, ReferralLink
from jedel.facilities.services.registry import (
    facilities_upsert,
    facility_create,
    facility_deactivate,
    facility_update,
    referral_link_remove,
    referral_link_set,
)
from jedel.facilities.services.registry_rules import FacilitySpec

NATIONAL = Principal(label="ncc", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)
ALMATY_TOWN, ASTANA_TOWN = 1526384, 1526273


def regional(region) -> Principal:
    return Principal(label=f"rc-{region.iso_code}", role=Role.REGIONAL_COORDINATOR,
                     scope_level=ScopeLevel.REGION, region_id=region.pk)


def manager(facility: Facility) -> Principal:
    return Principal(label=f"mgr-{facility.code}", role=Role.FACILITY_MANAGER,
                     scope_level=ScopeLevel.FACILITY, region_id=facility.region_id, facility_id=facility.pk)


def spec(code: str = "ALA-1", **kw) -> FacilitySpec:
    base = {"code": code, "name_en": f"Hospital {code}", "name_ru": f"Больница {code}",
            "name_kk": f"Аурухана {code}", "kind": "city_hospital", "region_iso": "KZ-75",
            "town_geonameid": ALMATY_TOWN, "lat": 43.25, "lon": 76.95, "capabilities": ("ct", "laboratory")}
    return FacilitySpec(**{**base, **kw})


def audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_create_stores_every_field_and_audits_the_new_values(kz):
    f = facility_create(actor=NATIONAL, spec=spec(trauma_level=2, capabilities=("laboratory", "ct", "ct")))
    f.refresh_from_db()
    assert (f.code, f.kind, f.region_id, f.town.geonameid, f.lat, f.lon, f.trauma_level, f.version) == (
        "ALA-1", "city_hospital", kz["KZ-75"].pk, ALMATY_TOWN, 43.25, 76.95, 2, 1)
    assert f.capabilities == ["ct", "laboratory"] and f.active and not f.synthetic
    [event] = audits("facility_create")
    assert (event.object_id, event.region_id, event.outcome) == ("ALA-1", kz["KZ-75"].pk, "ok")
    assert event.changes["code"] == [None, "ALA-1"]
    assert event.changes["capabilities"] == [None, ["ct", "laboratory"]]


def test_create_rounds_coordinates_to_six_decimals(kz):
    f = facility_create(actor=NATIONAL, spec=spec(lat=43.123456789, lon=76.98765432))
    assert (f.lat, f.lon) == (43.123457, 76.987654)


def test_duplicate_code_is_a_conflict(kz):
    facility_create(actor=NATIONAL, spec=spec())
    with pytest.raises(Conflict) as exc:
        facility_create(actor=NATIONAL, spec=spec(name_en="Other"))
    assert (exc.value.code, exc.value.status, exc.value.field) == (FacilityError.DUPLICATE_CODE, 409, "code")
    assert Facility.objects.count() == 1


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"lat": 39.9}, FacilityError.BAD_VALUE, "lat"),
    ({"lon": 88.5}, FacilityError.BAD_VALUE, "lon"),
    ({"kind": "spa"}, FacilityError.UNKNOWN_KIND, "kind"),
    ({"ownership": "state"}, FacilityError.UNKNOWN_OWNERSHIP, "ownership"),
    ({"code": "bad code"}, FacilityError.BAD_CODE, "code"),
    ({"name_en": " "}, FacilityError.REQUIRED, "name_en"),
    ({"trauma_level": 4}, FacilityError.BAD_VALUE, "trauma_level"),
    ({"capabilities": ("ct", "teleport")}, FacilityError.UNKNOWN_CAPABILITY, "capabilities"),
    ({"reporting_interval_min": 4}, FacilityError.BAD_VALUE, "reporting_interval_min"),
    ({"town_geonameid": 1}, FacilityError.UNKNOWN_TOWN, "town_geonameid"),
    ({"town_geonameid": ASTANA_TOWN}, FacilityError.TOWN_NOT_IN_REGION, "town_geonameid"),
    ({"region_iso": "KZ-99"}, FacilityError.UNKNOWN_REGION, "region_iso"),
])
def test_create_rejects_each_broken_rule_with_its_code(kz, changes, code, field):
    with pytest.raises(DomainError) as exc:
        facility_create(actor=NATIONAL, spec=spec(**changes))
    assert (exc.value.code, exc.value.field, exc.value.status) == (code, field, 422)
    assert not Facility.objects.exists() and not audits("facility_create")


def test_several_problems_are_reported_together(kz):
    with pytest.raises(ValidationFailed) as exc:
        facility_create(actor=NATIONAL, spec=spec(lat=0.0, kind="spa"))
    assert [(e["code"], e["loc"]) for e in exc.value.errors] == [
        ("unknown_kind", ["kind"]), ("bad_value", ["lat"])]
    assert exc.value.errors[1]["msg"] == "must be between 40 and 56"


def test_regional_coordinator_creates_only_in_own_region_and_denials_are_audited(kz):
    facility_create(actor=regional(kz["KZ-75"]), spec=spec())
    with pytest.raises(PermissionDenied):
        facility_create(actor=regional(kz["KZ-75"]),
                        spec=spec("AST-1", region_iso="KZ-71", town_geonameid=None, lat=51.18, lon=71.45))
    assert list(Facility.objects.values_list("code", flat=True)) == ["ALA-1"]
    [denied] = AuditEvent.objects.filter(outcome="denied")
    assert (denied.action, denied.object_id, denied.region_id) == ("create_facility", "AST-1", kz["KZ-71"].pk)


def test_update_applies_changes_bumps_version_and_audits_a_field_diff(kz):
    facility_create(actor=NATIONAL, spec=spec())
    f = facility_update(actor=NATIONAL, code="ALA-1", version=1,
                        changes={"lat": 43.3, "capabilities": ("ct", "helipad"), "name_en": "Hospital ALA-1"})
    assert (f.lat, f.version, f.capabilities) == (43.3, 2, ["helipad", "ct"])
    [event] = audits("facility_update")
    assert event.changes == {"lat": [43.25, 43.3], "capabilities": [["ct", "laboratory"], ["helipad", "ct"]]}


def test_stale_version_is_a_409_and_writes_nothing(kz):
    facility_create(actor=NATIONAL, spec=spec())
    facility_update(actor=NATIONAL, code="ALA-1", version=1, changes={"name_en": "First writer"})
    with pytest.raises(Conflict) as exc:
        facility_update(actor=NATIONAL, code="ALA-1", version=1, changes={"name_en": "Second writer"})
    assert (exc.value.code, exc.value.status) == (FacilityError.STALE_VERSION, 409)
    f = Facility.objects.get(code="ALA-1")
    assert (f.name_en, f.version) == ("First writer", 2)
    assert len(audits("facility_update")) == 1


def test_update_without_changes_writes_nothing_but_still_checks_the_version(kz):
    facility_create(actor=NATIONAL, spec=spec())
    assert facility_update(actor=NATIONAL, code="ALA-1", version=1, changes={"lat": 43.25}).version == 1
    with pytest.raises(Conflict):
        facility_update(actor=NATIONAL, code="ALA-1", version=7, changes={})
    assert not audits("facility_update")


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"lat": None}, FacilityError.REQUIRED, "lat"),
    ({"code": "NEW"}, FacilityError.BAD_VALUE, "code"),
    ({"colour": "red"}, FacilityError.BAD_VALUE, "colour"),
    ({"lat": 70.0}, FacilityError.BAD_VALUE, "lat"),
])
def test_update_rejects_bad_changes(kz, changes, code, field):
    facility_create(actor=NATIONAL, spec=spec())
    with pytest.raises(DomainError) as exc:
        facility_update(actor=NATIONAL, code="ALA-1", version=1, changes=changes)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert Facility.objects.get(code="ALA-1").version == 1


def test_update_unknown_facility_is_404(kz):
    with pytest.raises(NotFound) as exc:
        facility_update(actor=NATIONAL, code="NOPE", version=1, changes={})
    assert exc.value.code == FacilityError.UNKNOWN_FACILITY


def test_moving_a_facility_needs_permission_in_both_regions(kz):
    facility_create(actor=NATIONAL, spec=spec())
    with pytest.raises(PermissionDenied):
        facility_update(actor=regional(kz["KZ-75"]), code="ALA-1", version=1,
                        changes={"region_iso": "KZ-71", "town_geonameid": None, "lat": 51.18, "lon": 71.45})
    assert Facility.objects.get(code="ALA-1").region_id == kz["KZ-75"].pk
    f = facility_update(actor=NATIONAL, code="ALA-1", version=1,
                        changes={"region_iso": "KZ-71", "town_geonameid": ASTANA_TOWN, "lat": 51.18,
                                 "lon": 71.45})
    assert (f.region_id, f.town.geonameid) == (kz["KZ-71"].pk, ASTANA_TOWN)


def test_facility_manager_edits_only_own_facility(kz):
    own = facility_create(actor=NATIONAL, spec=spec())
    facility_create(actor=NATIONAL, spec=spec("ALA-2"))
    facility_update(actor=manager(own), code="ALA-1", version=1, changes={"name_en": "Our hospital"})
    with pytest.raises(PermissionDenied):
        facility_update(actor=manager(own), code="ALA-2", version=1, changes={"name_en": "Not ours"})
    assert Facility.objects.get(code="ALA-2").name_en == spec("ALA-2").name_en


def test_deactivate_is_a_regional_decision(kz):
    own = facility_create(actor=NATIONAL, spec=spec())
    with pytest.raises(PermissionDenied):
        facility_deactivate(actor=manager(own), code="ALA-1")
    f = facility_deactivate(actor=regional(kz["KZ-75"]), code="ALA-1")
    assert (f.active, f.version) == (False, 2)
    facility_deactivate(actor=NATIONAL, code="ALA-1")  # already inactive: nothing more happens
    assert [e.changes for e in audits("facility_deactivate")] == [{"active": [True, False]}]


def test_referral_links_are_idempotent_and_removable(kz):
    facility_create(actor=NATIONAL, spec=spec())
    facility_create(actor=NATIONAL, spec=spec("ALA-2"))
    first = referral_link_set(actor=NATIONAL, source_code="ALA-1", target_code="ALA-2", specialty="burns")
    again = referral_link_set(actor=NATIONAL, source_code="ALA-1", target_code="ALA-2", specialty="burns")
    assert first.pk == again.pk and ReferralLink.objects.count() == 1
    assert len(audits("referral_link_set")) == 1
    referral_link_remove(actor=NATIONAL, source_code="ALA-1", target_code="ALA-2", specialty="burns")
    assert not ReferralLink.objects.exists()
    with pytest.raises(NotFound) as exc:
        referral_link_remove(actor=NATIONAL, source_code="ALA-1", target_code="ALA-2", specialty="burns")
    assert exc.value.code == FacilityError.UNKNOWN_REFERRAL


@pytest.mark.parametrize(("target", "specialty", "code"), [
    ("ALA-1", "burns", FacilityError.SELF_REFERRAL),
    ("ALA-2", "dentistry", FacilityError.UNKNOWN_SPECIALTY),
    ("NOPE", "burns", FacilityError.UNKNOWN_FACILITY),
])
def test_bad_referral_links_are_rejected(kz, target, specialty, code):
    facility_create(actor=NATIONAL, spec=spec())
    facility_create(actor=NATIONAL, spec=spec("ALA-2"))
    with pytest.raises(DomainError) as exc:
        referral_link_set(actor=NATIONAL, source_code="ALA-1", target_code=target, specialty=specialty)
    assert exc.value.code == code and not ReferralLink.objects.exists()


def test_referral_link_of_another_facility_is_denied_to_a_manager(kz):
    own = facility_create(actor=NATIONAL, spec=spec())
    facility_create(actor=NATIONAL, spec=spec("ALA-2"))
    with pytest.raises(PermissionDenied):
        referral_link_set(actor=manager(own), source_code="ALA-2", target_code="ALA-1", specialty="general")
    referral_link_set(actor=manager(own), source_code="ALA-1", target_code="ALA-2", specialty="general")


def test_upsert_counts_and_audits_one_batch_event_plus_one_per_changed_facility(kz):
    facility_create(actor=NATIONAL, spec=spec())
    facility_create(actor=NATIONAL, spec=spec("ALA-2"))
    batch = [replace(spec(), name_en="Renamed"), spec("ALA-2"), spec("ALA-3")]
    dry = facilities_upsert(actor=NATIONAL, specs=batch, source="csv", dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged, dry.dry_run) == (1, 1, 1, True)
    assert Facility.objects.count() == 2 and not audits("facility_import")
    result = facilities_upsert(actor=NATIONAL, specs=batch, source="csv")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Facility.objects.get(code="ALA-1").version == 2
    [batch_event] = audits("facility_import")
    assert batch_event.changes == {"source": "csv", "rows": 3, "created": 1, "updated": 1, "unchanged": 1}
    assert [e.object_id for e in audits("facility_update")] == ["ALA-1"]
    assert [e.object_id for e in audits("facility_create")] == ["ALA-1", "ALA-2", "ALA-3"]


def test_upsert_needs_import_permission_in_every_region_touched(kz):
    batch = [spec(), spec("AST-1", region_iso="KZ-71", town_geonameid=None, lat=51.18, lon=71.45)]
    with pytest.raises(PermissionDenied):
        facilities_upsert(actor=regional(kz["KZ-75"]), specs=batch, source="csv")
    assert not Facility.objects.exists()
    assert AuditEvent.objects.get(outcome="denied").action == "import_facilities"


@pytest.mark.parametrize("changes", [{"kind": "childrens"}, {"reporting_interval_min": 10080},
                                     {"trauma_level": 1}, {"capabilities": ["burns", "ct"]}],
                         ids=["kind", "reporting_interval", "trauma_level", "capabilities"])
def test_a_facility_manager_cannot_change_what_the_region_decides(kz, changes):
    f = facility_create(actor=NATIONAL, spec=spec())
    with pytest.raises(PermissionDenied) as refused:
        facility_update(actor=manager(f), code="ALA-1", version=1, changes=changes)
    assert refused.value.code.value == "forbidden"
    assert Facility.objects.get(code="ALA-1").version == 1  # nothing written
    assert [e.action for e in AuditEvent.objects.filter(outcome="denied")] == ["govern_facility"]
    # The region's coordinator may; the manager keeps its own fields (names, location, ownership).
    assert facility_update(actor=regional(kz["KZ-75"]), code="ALA-1", version=1, changes=changes).version == 2
    assert facility_update(actor=manager(f), code="ALA-1", version=2, changes={"name_ru": "Больница №1"}).version == 3
