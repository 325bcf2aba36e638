"""OASIS EDXL-HAVE 1.0 (Hospital AVailability Exchange, OASIS Standard, 2008): export of the current status
as a `HospitalStatus` document; the shared mapping and schema loading used by the import
(`edxl_have_import.py`).

Mapping, by element of the EDXL-HAVE 1.0 data dictionary (the schema's element names):
- Hospital/Organization: one xNL OrganisationName, in the message's language (`lang`: en, ru or kk; the
  English name where that one is missing): consumers keep one name per hospital, so three would leave them
  the last. The facility code is written twice: as the CIQ `xnl:OrganisationID`
  (`xnl:OrganisationIDType="JedelFacilityCode"`) and as `xnl:ID` (the only one Sahana Eden reads); imports
  match on either. OrganizationGeoLocation = geo-oasis `gml:Point/gml:pos` "lat lon" (WGS 84).
- EmergencyDepartmentStatus: EMSTraffic open→Normal, diversion→Advisory, closed→Closed (import also
  NotApplicable→closed: no ED means no EMS traffic); EMSCapacity Red/Yellow/Green = MCI immediate/delayed/
  minimal patients per hour.
- HospitalBedCapacityStatus: per bed type CapacityStatus (Vacant/Available when available > 0,
  else NotAvailable), AvailableCount = available, BaselineCount = staffed, AdditionalCapacityCount24Hr =
  surge_24h.
- ServiceCoverageStatus: from the registry (capabilities; kind: infectious, psychiatric, perinatal →
  Neonatology, children's → Pediatrics; also Pediatrics/Psychiatric/Neonatology when such beds are reported)
  and EmergencyDepartment = the department is not closed. Flags the registry cannot know are left out rather
  than written false. Export only: registry data is not changed by a status message.
- HospitalFacilityStatus: FacilityStatus, SecurityStatus (its "closed", outside the 1.0 enumeration, is not
  written), Activity24Hr (Admissions/Discharges/Deaths); CommentText = the report's note.
- HospitalResourcesStatus: Staffing; ClinicalOperations=Insufficient when oxygen is limited or critical.
- LastUpdateTime = reported_at (UTC).
HAVE 1.0 has no element for ventilators, CT/X-ray, laboratory or exact oxygen status, nor for occupied
beds, so Jedel writes them as machine-readable `jedel:<field>=<value>` texts in the free-text slots the
schema offers (ResourcesInformationText; the BedCapacity's CommentText), and reads them back on import.
Other systems see readable text; Jedel-to-Jedel exchange loses nothing.

`dialect="sahana"` writes what Sahana Eden's import stylesheet reads instead (edxl_have_sahana.py).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import NotFound
from jedel.capacity.errors import CapacityError
from jedel.capacity.interop import region_resolve, reported_rows, trauma_levels
from jedel.capacity.models import EdStatus, OxygenStatus
from jedel.capacity.operational import OperationalInput
from jedel.capacity.selectors.operational import operational_by_report
from jedel.capacity.selectors.status import StatusRow
from jedel.facilities.permissions import EXPORT

log = logging.getLogger(__name__)

HAVE_NS = "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0"
DE_NS = "urn:oasis:names:tc:emergency:EDXL:DE:1.0"
XNL_NS = "urn:oasis:names:tc:ciq:xnl:3"
CT_NS = "urn:oasis:names:tc:ciq:ct:3"
GML_NS = "http://www.opengis.net/gml"
NSMAP = {"have": HAVE_NS, "xnl": XNL_NS, "ct": CT_NS, "gml": GML_NS}
ORG_ID_TYPE = "JedelFacilityCode"
# The OASIS schema set, shipped with the package (see schemas/README.md for provenance and terms).
SCHEMA_DIR = Path(__file__).parent / "schemas" / "edxl-have-1.0" / "schema"
HAVE_XSD = SCHEMA_DIR / "edxl-have" / "1.0" / "edxl-have.xsd"
DE_XSD = SCHEMA_DIR / "edxlde-1_0.xsd"

ED_TO_EMS = {EdStatus.OPEN: "Normal", EdStatus.DIVERSION: "Advisory", EdStatus.CLOSED: "Closed"}
EMS_TO_ED = {"Normal": EdStatus.OPEN, "Advisory": EdStatus.DIVERSION, "Closed": EdStatus.CLOSED,
             "NotApplicable": EdStatus.CLOSED}
TRIAGE_FIELDS = {"Red": "mci_immediate_per_hour", "Yellow": "mci_delayed_per_hour",
                 "Green": "mci_minimal_per_hour"}
VACANT, NOT_AVAILABLE = "Vacant/Available", "NotAvailable"
TAG = "jedel:"
INT_RESOURCES = ("ventilators_total", "ventilators_in_use", "lab_tests_capacity_per_day",
                 "lab_tests_performed_per_day")
BOOL_RESOURCES = ("ct_operational", "xray_operational")
LANGUAGES = ("en", "ru", "kk")
DIALECTS = ("standard", "sahana")
# EDXL-HAVE enumeration value ↔ stored value (models.FacilityOperation, SecurityStatus, Staffing).
FACILITY_STATUS = {"Normal": "normal", "Compromised": "compromised", "Evacuating": "evacuating", "Closed": "closed"}
SECURITY_STATUS = {"Normal": "normal", "Elevated": "elevated", "RestrictedAccess": "restricted_access",
                   "Lockdown": "lockdown", "Quarantine": "quarantine"}
STAFFING = {"Adequate": "adequate", "Insufficient": "insufficient"}
ACTIVITY = {"Admissions": "admissions_24h", "Discharges": "discharges_24h", "Deaths": "deaths_24h"}


def have_value(mapping: dict[str, str], stored: str) -> str | None:
    """The EDXL-HAVE value of a stored one (None when HAVE 1.0 has none for it, or none is stored)."""
    return next((k for k, v in mapping.items() if v == stored), None) if stored else None


def q(ns: str, name: str) -> str:
    """Clark-notation name `{ns}name` for lxml."""
    return f"{{{ns}}}{name}"


def _sub(parent: etree._Element, name: str, text: object = None, ns: str = HAVE_NS) -> etree._Element:
    el = etree.SubElement(parent, q(ns, name))
    if text is not None:
        el.text = _text(text)
    return el


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def have_utc(dt: datetime) -> str:
    """xsd:dateTime in UTC with a `Z`, as LastUpdateTime carries it."""
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------------------------- export


def edxl_have_export(*, actor: Principal | None, region_iso: str | None = None, now: datetime | None = None,
                     dialect: str = "standard", lang: str = "en") -> bytes:
    """EDXL-HAVE 1.0 HospitalStatus (Hospital per facility) of every active facility with a current report, by code.

    `lang` picks the one organisation name written; `dialect="sahana"` writes Sahana Eden's reading of HAVE.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown EDXL-HAVE dialect {dialect!r}")  # the API and CLI offer only DIALECTS
    lang = lang if lang in LANGUAGES else "en"
    region = region_resolve(region_iso)
    require(actor, EXPORT, Target(region_id=region.pk if region else None))
    rows = reported_rows(now=now or utcnow(), region=region)
    if not rows:
        # The schema requires at least one Hospital: an empty document would not be EDXL-HAVE.
        raise NotFound(CapacityError.EDXL_INVALID, field="region",
                       detail=_("No facility in this selection has reported yet, so there is nothing to export."))
    operational = operational_by_report(r.current.report_id for r in rows if r.current)
    if dialect == "sahana":
        from jedel.capacity.interop.edxl_have_sahana import sahana_document

        return sahana_document(rows, operational, lang)
    return edxl_have_document(rows, trauma_levels(rows), operational, lang)


def edxl_have_document(rows: list[StatusRow], trauma: dict[int, int | None] | None = None,
                       operational: dict[int, OperationalInput] | None = None, lang: str = "en") -> bytes:
    """Serialise status rows (each with a report) as a HospitalStatus document (UTF-8 bytes)."""
    root = etree.Element(q(HAVE_NS, "HospitalStatus"), nsmap=NSMAP)  # type: ignore[arg-type]
    for row in rows:
        assert row.current is not None
        op = (operational or {}).get(row.current.report_id) or OperationalInput()
        _hospital(root, row, (trauma or {}).get(row.facility_id), op, lang)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def name_in(row: StatusRow, lang: str) -> tuple[str, str]:
    """(language, name): the facility's name in `lang`, or its English name when that one is missing."""
    return (lang, row.names[lang]) if row.names.get(lang) else ("en", row.names.get("en") or row.code)


def _hospital(root: etree._Element, row: StatusRow, trauma_level: int | None, op: OperationalInput,
              lang: str) -> None:
    r = row.current
    assert r is not None
    h = _sub(root, "Hospital")
    org = _sub(h, "Organization")
    info = _sub(org, "OrganizationInformation")
    name_lang, name_text = name_in(row, lang)
    name = _sub(info, "OrganisationName", ns=XNL_NS)
    name.set(q(XNL_NS, "OrganisationID"), row.code)
    name.set(q(XNL_NS, "OrganisationIDType"), ORG_ID_TYPE)
    name.set(q(XNL_NS, "ID"), row.code)
    name.set(q(CT_NS, "LanguageCode"), name_lang)
    _sub(name, "NameElement", name_text, ns=XNL_NS)
    point = _sub(_sub(org, "OrganizationGeoLocation"), "Point", ns=GML_NS)
    _sub(point, "pos", f"{row.lat} {row.lon}", ns=GML_NS)
    if row.synthetic:
        _sub(org, "CommentText", _("Synthetic demo facility: not a real hospital."))

    ed = _sub(h, "EmergencyDepartmentStatus")
    ems = _sub(ed, "EMSTraffic")
    _sub(ems, "EMSTrafficStatus", ED_TO_EMS[EdStatus(r.ed_status)])
    if r.ed_status_reason:
        _sub(ems, "EMSTrafficReason", r.ed_status_reason)
    triage = [(color, getattr(r, name)) for color, name in TRIAGE_FIELDS.items() if getattr(r, name) is not None]
    if triage:
        capacity = _sub(ed, "EMSCapacity")
        for color, count in triage:
            code = _sub(capacity, "TriageCode")
            _sub(code, "TriageCodeValue", color)
            _sub(code, "TriageCountQuantity", count)

    if r.beds:
        beds = _sub(h, "HospitalBedCapacityStatus")
        for bed_type, b in r.beds.items():
            bc = _sub(beds, "BedCapacity")
            _sub(bc, "BedType", bed_type)
            cap = _sub(bc, "Capacity")
            _sub(cap, "CapacityStatus", VACANT if b.available > 0 else NOT_AVAILABLE)
            _sub(cap, "AvailableCount", b.available)
            if b.staffed is not None:
                _sub(cap, "BaselineCount", b.staffed)
            if b.surge_24h is not None:
                _sub(cap, "AdditionalCapacityCount24Hr", b.surge_24h)
            if b.occupied is not None:
                _sub(bc, "CommentText", f"{TAG}occupied={b.occupied}")

    _coverage(_sub(h, "ServiceCoverageStatus"), services(row), trauma_level)
    _facility_status(h, op, r.note)
    resources = [(k, getattr(r, k)) for k in (*INT_RESOURCES, *BOOL_RESOURCES) if getattr(r, k) is not None]
    if r.oxygen_status != OxygenStatus.UNKNOWN:
        resources.append(("oxygen_status", r.oxygen_status))
    if resources or op.staffing:
        res = _sub(h, "HospitalResourcesStatus")
        if op.staffing:
            _sub(res, "Staffing", have_value(STAFFING, op.staffing))
        if r.oxygen_status in (OxygenStatus.LIMITED, OxygenStatus.CRITICAL):
            # Oxygen is a clinical-operations supply; "adequate" oxygen alone does not make all supplies
            # adequate, so only the shortage is asserted.
            _sub(res, "ClinicalOperations", "Insufficient")
        for key, value in resources:
            _sub(res, "ResourcesInformationText", f"{TAG}{key}={_text(value)}")
    _sub(h, "LastUpdateTime", have_utc(r.reported_at))


def _facility_status(h: etree._Element, op: OperationalInput, note: str) -> None:
    # Children in the schema's sequence order for HospitalFacilityStatus.
    values = [("FacilityStatus", have_value(FACILITY_STATUS, op.facility_status)),
              ("SecurityStatus", have_value(SECURITY_STATUS, op.security_status))]
    activity = [(element, getattr(op, name)) for element, name in ACTIVITY.items() if getattr(op, name) is not None]
    if not (any(v for _n, v in values) or activity or note):
        return
    hfs = _sub(h, "HospitalFacilityStatus")
    for element, value in values:
        if value:
            _sub(hfs, element, value)
    if activity:
        a24 = _sub(hfs, "Activity24Hr")
        for element, count in activity:
            _sub(a24, element, count)
    if note:
        _sub(hfs, "CommentText", note)


# Service flags from the registry's facility kinds and from the bed types a facility reports.
_KIND_SERVICES = {"infectious": "infectious_disease", "psychiatric": "psychiatric", "perinatal": "neonatology",
                  "childrens": "paediatrics"}
_BED_SERVICES = {"AdultPsychiatric": "psychiatric", "NeonatalICU": "neonatology", "PediatricICU": "paediatrics",
                 "Pediatrics": "paediatrics"}


def services(row: StatusRow) -> set[str]:
    """What a facility offers, for ServiceCoverageStatus: its registry capabilities, the services its kind and
    reported bed types imply, and `emergency_department` while the department is not closed."""
    offered = set(row.capabilities) | {s for k, s in _KIND_SERVICES.items() if row.kind == k}
    offered |= {_BED_SERVICES[t] for t in row.beds if t in _BED_SERVICES}
    if row.current is not None and row.current.ed_status != EdStatus.CLOSED:
        offered.add("emergency_department")
    return offered


def _coverage(sc: etree._Element, caps: set[str], trauma_level: int | None) -> None:
    # Children in the schema's sequence order for ServiceCoverageStatus. The capabilities the registry records
    # for every facility are written true or false; services only implied (kind, beds) are written when true.
    _sub(sc, "Burn", "burns" in caps)
    _sub(_sub(_sub(sc, "CardiologyIndicator"), "CardiologySubType"), "CardiologyInvasive", "cath_lab" in caps)
    _sub(sc, "Dialysis", "dialysis" in caps)
    _sub(sc, "EmergencyDepartment", "emergency_department" in caps)
    for element, service in (("InfectiousDisease", "infectious_disease"), ("Neonatology", "neonatology")):
        if service in caps:
            _sub(sc, element, True)
    _sub(_sub(sc, "OBGYNIndicator"), "OBGYN", "obstetric" in caps)
    if "paediatrics" in caps:
        _sub(sc, "Pediatrics", True)
    if "psychiatric" in caps:
        _sub(_sub(sc, "PsychiatricIndicator"), "Psychiatric", True)
    surgery = _sub(_sub(sc, "SurgeryIndicator"), "SurgerySubType")
    _sub(surgery, "Pediatrics", "paediatric_surgery" in caps)
    _sub(surgery, "Neurosurgery", "neurosurgery" in caps)
    trauma = _sub(sc, "TraumaCenterServicesIndicator")
    _sub(trauma, "TraumaCenterServices", trauma_level is not None)
    if trauma_level is not None:
        # Kazakhstan's trauma levels 1–3 (1 = highest) are written as HAVE's Level1–Level3 (US ACS scale,
        # also 1 = highest); they are comparable in direction, not certified equivalents.
        _sub(trauma, "TraumaCenterServicesLevel", f"Level{trauma_level}")


# --------------------------------------------------------------------------------------------- schema


@cache
def _schema(path: Path) -> etree.XMLSchema | None:
    if not path.is_file():
        log.warning("EDXL schema %s is missing: imports are checked field by field only", path)
        return None
    # Local files only: the schema set resolves its imports relatively; nothing is fetched.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def have_schema() -> etree.XMLSchema | None:
    """The EDXL-HAVE 1.0 schema (with CIQ, geo-oasis, GML subset), or None if not shipped."""
    return _schema(HAVE_XSD)


def de_schema() -> etree.XMLSchema | None:
    """The EDXL-DE 1.0 schema (envelope only; embedded content is lax), or None if not shipped."""
    return _schema(DE_XSD)
