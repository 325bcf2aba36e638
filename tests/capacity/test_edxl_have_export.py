"""EDXL-HAVE 1.0 export: validates against the official schema set and carries exact values."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree
from tests.capacity.edxl_helpers import (
    EXPECTED_FULL,
    SHARED,
    SHARED_XSD,
    export,
    facility,
    needs_shared,
    status,
)

from jedel.capacity.interop import edxl_have
from jedel.capacity.interop.edxl_have import NSMAP
from jedel.common.errors import NotFound

def test_export_carries_exact_values(almaty):
    xml = export().decode()
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<have:HospitalStatus "
                          'xmlns:have="urn:oasis:names:tc:emergency:EDXL:HAVE:1.0" '
                          'xmlns:xnl="urn:oasis:names:tc:ciq:xnl:3" xmlns:ct="urn:oasis:names:tc:ciq:ct:3" '
                          'xmlns:gml="http://www.opengis.net/gml">\n')
    assert EXPECTED_FULL in xml
    bare = etree.fromstring(xml.encode()).findall("have:Hospital", NSMAP)[1]
    assert [el.tag.split("}")[1] for el in bare] == [
        "Organization", "EmergencyDepartmentStatus", "HospitalBedCapacityStatus", "ServiceCoverageStatus",
        "LastUpdateTime"]
    assert bare.findtext("have:Organization/have:CommentText", namespaces=NSMAP) == \
        "Synthetic demo facility: not a real hospital."
    assert bare.findtext("have:EmergencyDepartmentStatus/have:EMSTraffic/have:EMSTrafficStatus",
                         namespaces=NSMAP) == "Normal"
    assert bare.findtext("have:Organization/have:OrganizationGeoLocation/gml:Point/gml:pos",
                         namespaces=NSMAP) == "43.3 77.0"


@needs_shared
def test_export_validates_against_the_official_schema_set(almaty):
    import xmlschema  # independent of lxml, which production uses

    xml = export()
    official = xmlschema.XMLSchema(str(SHARED_XSD), allow="local")
    assert [str(e) for e in official.iter_errors(xml.decode())] == []
    assert etree.XMLSchema(etree.parse(str(SHARED_XSD))).validate(etree.fromstring(xml))
    # Negative control: the same validator rejects a value outside the BedType enumeration.
    broken = xml.replace(b">AdultICU<", b">AdultIcu<")
    assert not official.is_valid(broken.decode())


@needs_shared
def test_the_shipped_schema_copy_is_byte_identical_to_the_collected_official_set():
    shipped = edxl_have.SCHEMA_DIR
    files = sorted(p.relative_to(SHARED / "schema") for p in (SHARED / "schema").rglob("*.xsd"))
    assert len(files) == 13
    for rel in files:
        assert hashlib.sha256((shipped / rel).read_bytes()).digest() == \
            hashlib.sha256((SHARED / "schema" / rel).read_bytes()).digest(), rel


def test_export_lists_reporting_active_facilities_of_the_region_by_code(kz, almaty):
    status(facility(kz["KZ-11"], "AKM-001"), beds=(("AdultICU", 2, 1, 1, None),))
    status(facility(kz["KZ-75"], "ALA-000", active=False), beds=(("AdultICU", 2, 1, 1, None),))
    facility(kz["KZ-75"], "ALA-003")  # never reported

    def ids(xml: bytes) -> list[str]:
        return etree.fromstring(xml).xpath("have:Hospital/have:Organization/have:OrganizationInformation/"
                                           "xnl:OrganisationName[1]/@xnl:OrganisationID", namespaces=NSMAP)

    assert ids(export()) == ["ALA-001", "ALA-002"]
    assert ids(export(None)) == ["AKM-001", "ALA-001", "ALA-002"]


def test_export_of_a_selection_without_reports_or_of_an_unknown_region_is_not_found(kz):
    with pytest.raises(NotFound) as empty:
        export("KZ-75")
    assert (empty.value.code.value, empty.value.field) == ("edxl_invalid", "region")
    with pytest.raises(NotFound) as unknown:
        export("KZ-99")
    assert (unknown.value.code.value, unknown.value.field) == ("unknown_region", "region")
