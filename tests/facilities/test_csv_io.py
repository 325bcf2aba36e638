"""The documented facility CSV and referral CSV: exact round trip, all-or-nothing imports, every bad line
reported with its number (header = line 1) and its code."""

from __future__ import annotations

import pytest

from jedel.accounts.models import AuditEvent, Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import PermissionDenied
from jedel.facilities.io import ImportFailed
from jedel.facilities.io.csv_format import (
    COLUMNS,
    facilities_export_csv,
    facilities_import_csv,
    referrals_export_csv,
    referrals_import_csv,
)
from jedel.facilities.models import Facility, ReferralLink
from jedel.facilities.selectors import facility_list, referral_link_list

NATIONAL = Principal(label="ncc", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)
HEADER = ",".join(COLUMNS)
ROWS = [
    ("AST-1,National Centre,Ұлттық орталық,Национальный центр,national_centre,public,KZ-71,1526273,51.1801,"
     "71.44598,1,neurosurgery;helipad;ct;mri;laboratory,60,false"),
    ('ALA-1,"City Hospital No. 1, Almaty",,Городская больница № 1,city_hospital,private,KZ-75,1526384,43.25,'
     "76.95,,ct,240,true"),
    ('ALA-2,"Burns Centre ""Almaty""",Күйік орталығы,,burns,departmental,KZ-75,,43.2,76.9,2,burns;laboratory,'
     "240,false"),
]
CANONICAL = "\n".join([HEADER, *ROWS]) + "\n"


def issues(exc: pytest.ExceptionInfo[ImportFailed]) -> list[tuple[int, str, str]]:
    return [(i.index, i.field, i.code.value) for i in exc.value.issues]


def export_all() -> str:
    return facilities_export_csv(facility_list(active=None))


def test_csv_import_then_export_is_byte_identical(kz):
    result = facilities_import_csv(CANONICAL.encode(), actor=NATIONAL)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert export_all() == "\n".join([HEADER, *sorted(ROWS, key=lambda r: r.split(",")[0])]) + "\n"
    ala2 = Facility.objects.get(code="ALA-2")
    assert (ala2.name_en, ala2.ownership, ala2.trauma_level, ala2.town) == (
        'Burns Centre "Almaty"', "departmental", 2, None)
    assert Facility.objects.get(code="ALA-1").synthetic is True


def test_export_reimport_changes_nothing(kz):
    facilities_import_csv(CANONICAL, actor=NATIONAL)
    text = export_all()
    result = facilities_import_csv(text, actor=NATIONAL)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert export_all() == text


def test_lenient_inputs_are_normalised(kz):
    text = "\ufeff" + HEADER + "\r\n" + ("X-1, Hospital ,,,central_district,,kz-75,,43.250000,76.9500,,"
                                         " laboratory ; ct ;,,YES\r\n") + "\r\n"
    facilities_import_csv(text.encode(), actor=NATIONAL)
    f = Facility.objects.get(code="X-1")
    assert (f.name_en, f.ownership, f.region.iso_code, f.capabilities, f.reporting_interval_min,
            f.synthetic) == ("Hospital", "public", "KZ-75", ["ct", "laboratory"], 240, True)
    assert export_all().splitlines()[1] == (
        "X-1,Hospital,,,central_district,public,KZ-75,,43.25,76.95,,ct;laboratory,240,true")


def test_every_bad_line_is_reported_and_nothing_is_written(kz):
    text = "\n".join([
        HEADER,
        ROWS[1],
        "BAD-1,X,,,city_hospital,,KZ-99,,63.2,76.9,7,ct;foo,2,maybe",
        "BAD-2,,,,zoo,,KZ-75,1526273,4x,76.9,,,240,false",
        "ALA-1,Again,,,city_hospital,,KZ-75,,43.2,76.9,,,240,false",
        "SHORT,only,three",
    ]) + "\n"
    with pytest.raises(ImportFailed) as exc:
        facilities_import_csv(text, actor=NATIONAL)
    assert issues(exc) == [
        (3, "synthetic", "bad_line"), (3, "region_iso", "unknown_region"), (3, "lat", "bad_line"),
        (3, "trauma_level", "bad_line"), (3, "capabilities", "unknown_capability"),
        (3, "reporting_interval_min", "bad_line"),
        (4, "lat", "bad_line"), (4, "name_en", "bad_line"), (4, "kind", "unknown_kind"),
        (4, "town_geonameid", "town_not_in_region"),
        (5, "code", "duplicate_code"),
        (6, "line", "bad_line"),
    ]
    messages = [str(i) for i in exc.value.issues]
    assert "line 3: lat: must be between 40 and 56" in messages
    assert "line 4: lat: must be a number, not '4x'" in messages
    assert "line 5: code: code ALA-1 is also on line 2" in messages
    assert "line 6: line: expected 14 fields, found 3" in messages
    assert not Facility.objects.exists() and not AuditEvent.objects.exists()
    assert exc.value.as_dict()["detail"][2] == {"code": "bad_line", "loc": ["line", 3, "lat"],
                                                "msg": "must be between 40 and 56"}


def test_line_numbers_count_physical_lines_of_quoted_multiline_fields(kz):
    multiline = 'ML-1,"Two\nlines",,,city_hospital,,KZ-75,,43.2,76.9,,,240,false'
    text = f"{HEADER}\n{multiline}\n\nML-2,X,,,city_hospital,,KZ-75,,99,76.9,,,240,false\n"
    with pytest.raises(ImportFailed) as exc:
        facilities_import_csv(text, actor=NATIONAL)
    assert issues(exc) == [(5, "lat", "bad_line")]


@pytest.mark.parametrize(("header", "message"), [
    ("code,name", ("missing columns: name_en, name_kk, name_ru, kind, ownership, region_iso, town_geonameid, "
                   "lat, lon, trauma_level, capabilities, reporting_interval_min, synthetic; "
                   "unknown columns: name")),
    (HEADER.replace("lat,lon", "lon,lat"), "columns must be exactly, in this order: " + HEADER),
    (HEADER + ",beds", "unknown columns: beds"),
])
def test_a_wrong_header_is_one_error_on_line_1(kz, header, message):
    with pytest.raises(ImportFailed) as exc:
        facilities_import_csv(header + "\n" + ROWS[1] + "\n", actor=NATIONAL)
    assert [(i.index, i.field, i.code.value, i.message) for i in exc.value.issues] == [
        (1, "header", "bad_header", message)]


def test_empty_and_non_utf8_files(kz):
    with pytest.raises(ImportFailed) as exc:
        facilities_import_csv(b"", actor=NATIONAL)
    assert issues(exc) == [(1, "file", "empty_file")]
    with pytest.raises(ImportFailed) as exc:
        facilities_import_csv((HEADER + "\nX,Caf\xe9").encode("latin-1"), actor=NATIONAL)
    assert issues(exc) == [(1, "file", "bad_encoding")]


def test_header_only_file_is_a_valid_empty_import(kz):
    result = facilities_import_csv(HEADER + "\n", actor=NATIONAL)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)


def test_dry_run_validates_everything_and_writes_nothing(kz):
    result = facilities_import_csv(CANONICAL, actor=NATIONAL, dry_run=True)
    assert (result.created, result.dry_run) == (3, True)
    assert not Facility.objects.exists() and not AuditEvent.objects.exists()


def test_update_through_csv_audits_the_batch_and_each_change(kz):
    facilities_import_csv(CANONICAL, actor=NATIONAL)
    changed = CANONICAL.replace("43.25,76.95", "43.26,76.95")
    result = facilities_import_csv(changed, actor=NATIONAL)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    update = AuditEvent.objects.get(action="facility_update")
    assert (update.object_id, update.changes) == ("ALA-1", {"lat": [43.25, 43.26]})
    batches = AuditEvent.objects.filter(action="facility_import").order_by("id")
    assert [b.changes["updated"] for b in batches] == [0, 1]


def test_regional_coordinator_cannot_import_another_regions_facilities(kz):
    almaty = Principal(label="rc", role=Role.REGIONAL_COORDINATOR, scope_level=ScopeLevel.REGION,
                       region_id=kz["KZ-75"].pk)
    with pytest.raises(PermissionDenied):
        facilities_import_csv(CANONICAL, actor=almaty)
    assert not Facility.objects.exists()
    only_almaty = "\n".join([HEADER, ROWS[1], ROWS[2]]) + "\n"
    assert facilities_import_csv(only_almaty, actor=almaty).created == 2


def test_referral_csv_round_trip_and_errors(kz):
    facilities_import_csv(CANONICAL, actor=NATIONAL)
    text = ("source_code,target_code,specialty\n"
            "ALA-1,AST-1,neurosurgery\nALA-1,ALA-2,burns\nALA-1,ALA-2,burns\n")
    result = referrals_import_csv(text, actor=NATIONAL)
    assert (result.created, result.unchanged) == (2, 1)
    assert referrals_export_csv(referral_link_list()) == (
        "source_code,target_code,specialty\nALA-1,ALA-2,burns\nALA-1,AST-1,neurosurgery\n")
    assert referrals_import_csv(text, actor=NATIONAL).created == 0
    bad = "source_code,target_code,specialty\nALA-1,NOPE,burns\nALA-2,ALA-2,dentistry\nALA-2,AST-1,trauma\n"
    with pytest.raises(ImportFailed) as exc:
        referrals_import_csv(bad, actor=NATIONAL)
    assert issues(exc) == [(2, "target_code", "unknown_facility"), (3, "specialty", "unknown_specialty"),
                           (3, "target_code", "self_referral")]
    assert ReferralLink.objects.count() == 2


def test_an_unreadable_record_is_reported_on_its_line(kz):
    huge = "X-1," + "y" * 200_000 + ",,,city_hospital,,KZ-75,,43.2,76.9,,,240,false"
    with pytest.raises(ImportFailed) as exc:
        facilities_import_csv(f"{HEADER}\n{ROWS[1]}\n{huge}\n", actor=NATIONAL)
    assert issues(exc) == [(3, "line", "bad_line")]
    assert exc.value.issues[0].message == "field larger than field limit (131072)"
