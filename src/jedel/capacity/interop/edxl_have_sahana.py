"""EDXL-HAVE as Sahana Eden reads it (`jedel export edxl-have --dialect sahana`, `?dialect=sahana`).

Sahana Eden's import stylesheet (static/formats/have/import.xsl in the public sahana/eden repository) departs
from the OASIS schema; this writer follows what it selects, so a Sahana deployment receives each hospital's
name, identifier, location, bed counts, emergency-department status and operational status:
- OrganisationName: one, with the facility code in `xnl:ID` (Sahana keeps it as the hospital's gov_uuid tag
  and builds its bed-capacity unit ids from it); Sahana keeps the last name of several, so one is written.
- OrganizationGeoLocation: `gml:Point/gml:coordinates` "lat, lon" (it splits on the comma), with a stable
  `gml:id` so a re-import updates the same Sahana location.
- EmergencyDepartmentStatus: EMSTrafficStatus and EMSTrafficReason directly, without the EMSTraffic wrapper.
- BedCapacity: BedType, AvailableCount and BaselineCount directly, without Capacity. Sahana stores a missing
  BaselineCount as 0 (it sums the element); Jedel writes it only when the staffed beds are known.
- HospitalFacilityStatus: FacilityStatus, SecurityStatus (its "Closed" included), Activity24Hr.
- HospitalResourceStatus (sic): Staffing, in lower case: Sahana compares the raw text with "adequate", so
  "Adequate" would read as insufficient.
- ServiceCoverageStatus: only the flags that are true, under the names Sahana reads (InfectiousDiseases,
  PsychiatricAdultGeneral, …): Sahana records a flag when its text is "true" and ignores the rest.
Not written: what Sahana does not read (MCI triage capacity, ventilators, oxygen, notes). The output is not
schema-valid EDXL-HAVE by design; the standard export is.
"""

from __future__ import annotations

from lxml import etree

from jedel.capacity.interop.edxl_have import (
    ACTIVITY,
    ED_TO_EMS,
    FACILITY_STATUS,
    GML_NS,
    HAVE_NS,
    STAFFING,
    XNL_NS,
    _sub,
    have_utc,
    have_value,
    name_in,
    q,
    services,
)
from jedel.capacity.interop import trauma_levels
from jedel.capacity.models import EdStatus
from jedel.capacity.operational import OperationalInput
from jedel.capacity.selectors.status import StatusRow

SAHANA_NSMAP = {"have": HAVE_NS, "gml": GML_NS, "xnl": XNL_NS}
# Sahana Eden's SecurityStatus list is HAVE's plus "Closed".
SAHANA_SECURITY = {"Normal": "normal", "Elevated": "elevated", "RestrictedAccess": "restricted_access",
                   "Lockdown": "lockdown", "Quarantine": "quarantine", "Closed": "closed"}
# Jedel service → (nesting Sahana's exporter uses, element Sahana's importer reads); the importer finds the
# element at any depth.
SAHANA_SERVICES = {
    "burns": ((), "Burn"), "cath_lab": (("CardiologyIndicator",), "Cardiology"), "dialysis": ((), "Dialysis"),
    "obstetric": (("OBGYNIndicator",), "OBGYN"), "neonatology": ((), "Neonatology"),
    "paediatrics": ((), "Pediatrics"), "infectious_disease": ((), "InfectiousDiseases"),
    "psychiatric": (("PsychiatricIndicator", "PsychiatricSubType"), "PsychiatricAdultGeneral"),
    "emergency_department": ((), "EmergencyDepartment"),
}
SURGICAL = frozenset({"neurosurgery", "paediatric_surgery"})


def sahana_document(rows: list[StatusRow], operational: dict[int, OperationalInput], lang: str) -> bytes:
    """The HospitalStatus document Sahana Eden's importer reads (UTF-8 bytes)."""
    root = etree.Element(q(HAVE_NS, "HospitalStatus"), nsmap=SAHANA_NSMAP)  # type: ignore[arg-type]
    trauma = trauma_levels(rows)
    for row in rows:
        assert row.current is not None
        _hospital(root, row, operational.get(row.current.report_id) or OperationalInput(), lang,
                  trauma.get(row.facility_id))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _hospital(root: etree._Element, row: StatusRow, op: OperationalInput, lang: str,
              trauma_level: int | None) -> None:
    r = row.current
    assert r is not None
    h = _sub(root, "Hospital")
    org = _sub(h, "Organization")
    name = _sub(_sub(org, "OrganizationInformation"), "OrganisationName", ns=XNL_NS)
    name.set(q(XNL_NS, "ID"), row.code)
    _sub(name, "NameElement", name_in(row, lang)[1], ns=XNL_NS)
    point = _sub(_sub(org, "OrganizationGeoLocation"), "Point", ns=GML_NS)
    point.set(q(GML_NS, "id"), f"urn:jedel:facility-location:{row.code}")
    _sub(point, "coordinates", f"{row.lat}, {row.lon}", ns=GML_NS)

    ed = _sub(h, "EmergencyDepartmentStatus")
    _sub(ed, "EMSTrafficStatus", ED_TO_EMS[EdStatus(r.ed_status)])
    if r.ed_status_reason:
        _sub(ed, "EMSTrafficReason", r.ed_status_reason)
    if r.beds:
        beds = _sub(h, "HospitalBedCapacityStatus")
        for bed_type, b in r.beds.items():
            bc = _sub(beds, "BedCapacity")
            _sub(bc, "BedType", bed_type)
            _sub(bc, "AvailableCount", b.available)
            if b.staffed is not None:
                _sub(bc, "BaselineCount", b.staffed)
    _coverage(h, services(row), trauma_level)
    status = [("FacilityStatus", have_value(FACILITY_STATUS, op.facility_status)),
              ("SecurityStatus", have_value(SAHANA_SECURITY, op.security_status))]
    activity = [(element, getattr(op, name)) for element, name in ACTIVITY.items() if getattr(op, name) is not None]
    if any(v for _e, v in status) or activity:
        hfs = _sub(h, "HospitalFacilityStatus")
        for element, value in status:
            if value:
                _sub(hfs, element, value)
        if activity:
            a24 = _sub(hfs, "Activity24Hr")
            for element, count in activity:
                _sub(a24, element, count)
    if op.staffing:
        _sub(_sub(h, "HospitalResourceStatus"), "Staffing", (have_value(STAFFING, op.staffing) or "").lower())
    _sub(h, "LastUpdateTime", have_utc(r.reported_at))


def _coverage(h: etree._Element, offered: set[str], trauma_level: int | None) -> None:
    flags = [SAHANA_SERVICES[s] for s in SAHANA_SERVICES if s in offered]
    if offered & SURGICAL:
        flags.append((("SurgeryIndicator",), "Surgery"))
    if trauma_level is not None:
        flags.append((("TraumaCenterIndicator",), "TraumaCenterServices"))
    if not flags:
        return
    sc = _sub(h, "ServiceCoverageStatus")
    for path, element in flags:
        parent = sc
        for step in path:
            parent = _sub(parent, step)
        _sub(parent, element, True)
