"""OASIS EDXL-HAVE 1.0 (Hospital AVailability Exchange, OASIS Standard, 2008): export of the current status
as a `HospitalStatus` document; the shared mapping and schema loading used by the import
(`edxl_have_import.py`).

Mapping, by element of the EDXL-HAVE 1.0 data dictionary (the schema's element names):
- Hospital/Organization: xNL OrganisationName per language, with the facility code in the CIQ
  attribute `xnl:OrganisationID` (`xnl:OrganisationIDType="JedelFacilityCode"`) — imports match on it;
  OrganizationGeoLocation = geo-oasis `gml:Point/gml:pos` "lat lon" (WGS 84).
- EmergencyDepartmentStatus: EMSTraffic open→Normal, diversion→Advisory, closed→Closed (import also
  NotApplicable→closed: no ED means no EMS traffic); EMSCapacity Red/Yellow/Green = MCI immediate/delayed/
  minimal patients per hour.
- HospitalBedCapacityStatus: per bed type CapacityStatus (Vacant/Available when available > 0,
  else NotAvailable), AvailableCount = available, BaselineCount = staffed, AdditionalCapacityCount24Hr =
  surge_24h.
- ServiceCoverageStatus: from the registry's capabilities (export only: registry data is not
  changed by a status message).
- HospitalFacilityStatus: CommentText = the report's note.
- HospitalResourcesStatus: ClinicalOperations=Insufficient when oxygen is limited or critical.
- LastUpdateTime = reported_at (UTC).
HAVE 1.0 has no element for ventilators, CT/X-ray, laboratory or exact oxygen status, nor for occupied
beds, so Jedel writes them as machine-readable `jedel:<field>=<value>` texts in the free-text slots the
schema offers (ResourcesInformationText; the BedCapacity's CommentText), and reads them back on import.
Other systems see readable text; Jedel-to-Jedel exchange loses nothing.
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


def edxl_have_export(*, actor: Principal | None, region_iso: str | None = None,
                     now: datetime | None = None) -> bytes:
    """EDXL-HAVE 1.0 HospitalStatus (Hospital per facility) of every active facility with a current report, by code."""
    region = region_resolve(region_iso)
    require(actor, EXPORT, Target(region_id=region.pk if region else None))
    rows = reported_rows(now=now or utcnow(), region=region)
    if not rows:
        # The schema requires at least one Hospital: an empty document would not be EDXL-HAVE.
        raise NotFound(CapacityError.EDXL_INVALID, field="region",
                       detail=_("No facility in this selection has reported yet, so there is nothing to export."))
    return edxl_have_document(rows, trauma_levels(rows))


def edxl_have_document(rows: list[StatusRow], trauma: dict[int, int | None] | None = None) -> bytes:
    """Serialise status rows (each with a report) as a HospitalStatus document (UTF-8 bytes)."""
    root = etree.Element(q(HAVE_NS, "HospitalStatus"), nsmap=NSMAP)  # type: ignore[arg-type]
    for row in rows:
        _hospital(root, row, (trauma or {}).get(row.facility_id))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _hospital(root: etree._Element, row: StatusRow, trauma_level: int | None) -> None:
    r = row.current
    assert r is not None
    h = _sub(root, "Hospital")
    org = _sub(h, "Organization")
    info = _sub(org, "OrganizationInformation")
    for lang in ("en", "ru", "kk"):
        if row.names.get(lang):
            name = _sub(info, "OrganisationName", ns=XNL_NS)
            name.set(q(XNL_NS, "OrganisationID"), row.code)
            name.set(q(XNL_NS, "OrganisationIDType"), ORG_ID_TYPE)
            name.set(q(CT_NS, "LanguageCode"), lang)
            _sub(name, "NameElement", row.names[lang], ns=XNL_NS)
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

    _coverage(_sub(h, "ServiceCoverageStatus"), set(row.capabilities), trauma_level)
    if r.note:
        _sub(_sub(h, "HospitalFacilityStatus"), "CommentText", r.note)
    resources = [(k, getattr(r, k)) for k in (*INT_RESOURCES, *BOOL_RESOURCES) if getattr(r, k) is not None]
    if r.oxygen_status != OxygenStatus.UNKNOWN:
        resources.append(("oxygen_status", r.oxygen_status))
    if resources:
        res = _sub(h, "HospitalResourcesStatus")
        if r.oxygen_status in (OxygenStatus.LIMITED, OxygenStatus.CRITICAL):
            # Oxygen is a clinical-operations supply; "adequate" oxygen alone does not make all supplies
            # adequate, so only the shortage is asserted.
            _sub(res, "ClinicalOperations", "Insufficient")
        for key, value in resources:
            _sub(res, "ResourcesInformationText", f"{TAG}{key}={_text(value)}")
    _sub(h, "LastUpdateTime", have_utc(r.reported_at))


def _coverage(sc: etree._Element, caps: set[str], trauma_level: int | None) -> None:
    # Children in the schema's sequence order for ServiceCoverageStatus.
    _sub(sc, "Burn", "burns" in caps)
    _sub(_sub(_sub(sc, "CardiologyIndicator"), "CardiologySubType"), "CardiologyInvasive", "cath_lab" in caps)
    _sub(sc, "Dialysis", "dialysis" in caps)
    _sub(_sub(sc, "OBGYNIndicator"), "OBGYN", "obstetric" in caps)
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
