"""Import of OASIS EDXL-HAVE 1.0 status messages from other systems (mapping: see `edxl_have`).

A message is a `HospitalStatus`, bare or embedded in an EDXL-DE 1.0 `EDXLDistribution`
(contentObject/xmlContent/embeddedXMLContent). It is checked against the shipped OASIS schema set, each
Hospital is matched to a facility by its organization ID, converted to a ReportInput and stored through
the capacity service with source "edxl". All or nothing: one transaction for the whole message.

Foreign messages: Advisory/Closed without EMSTrafficReason get the reason "No reason given in the EDXL-HAVE
message." (Jedel requires one for dispatch; HAVE does not); no EMSTraffic status means open (the ReportInput
default); a LastUpdateTime without a UTC offset is refused. Reported back in `ImportResult.ignored`, not
stored: ServiceCoverageStatus (registry data), bed types Jedel does not track, sub-category bed types,
Black triage counts. Names and OrganizationGeoLocation are registry data and are not compared.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.errors import DomainError, PermissionDenied, ValidationFailed
from jedel.capacity.errors import CapacityError
from jedel.facilities.errors import FacilityError
from jedel.capacity.interop.edxl_have import (
    BOOL_RESOURCES,
    DE_NS,
    EMS_TO_ED,
    HAVE_NS,
    INT_RESOURCES,
    NOT_AVAILABLE,
    NSMAP,
    TAG,
    TRIAGE_FIELDS,
    XNL_NS,
    de_schema,
    have_schema,
    q,
)
from jedel.capacity.models import BedType, CapacityReport, ReportSource
from jedel.facilities.models import Facility
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.reports import report_submit
from jedel.capacity.permissions import REPORT_CAPACITY


@dataclass(frozen=True)
class ImportResult:
    """What an import stored (one report per Hospital, in message order) and what it could not use."""

    reports: tuple[CapacityReport, ...]
    ignored: tuple[str, ...]


class _Errors(list[dict[str, Any]]):
    def add(self, loc: list[str], msg: str, code: FacilityError = CapacityError.EDXL_INVALID, **extra: Any) -> None:
        self.append({"code": code.value, "loc": loc, "msg": msg, **extra})


def edxl_have_import(*, actor: Principal | None, data: bytes, now: datetime | None = None) -> ImportResult:
    """Store one report per Hospital of a HospitalStatus (EDXL-HAVE 1.0, bare or in EDXL-DE 1.0).

    All or nothing. Errors carry `loc` = ["Hospital[n]" (1-based, message order), element, …]; an unknown
    organization ID is UNKNOWN_FACILITY, every other problem EDXL_INVALID or the capacity rule's own code.
    """
    errors, ignored = _Errors(), list[str]()
    hospitals = [_Hospital(h, f"Hospital[{i}]", errors, ignored) for i, h in enumerate(_hospitals(data, errors), 1)]
    facilities = {f.code: f for f in Facility.objects.select_related("region")
                  .filter(code__in=[h.code for h in hospitals if h.code])}
    first: dict[str, str] = {}
    for h in hospitals:
        if h.code and h.code not in facilities:
            errors.add([h.loc, *ORG_ID_LOC], _("No facility has the code %(code)s.") % {"code": h.code},
                       FacilityError.UNKNOWN_FACILITY)
        elif h.code in first:
            errors.add([h.loc, *ORG_ID_LOC], _("Facility %(code)s is already reported by %(first)s.")
                       % {"code": h.code, "first": first[h.code]})
        elif h.code:
            first[h.code] = h.loc
    if errors:
        raise ValidationFailed(CapacityError.EDXL_INVALID, errors)
    for h in hospitals:
        # Asked before the transaction opens, so the audit record of a denial is kept (see require()).
        f = facilities[h.code]  # type: ignore[index]
        try:
            require(actor, REPORT_CAPACITY, Target(region_id=f.region_id, facility_id=f.pk),
                    object_type="facility", object_id=f.code)
        except PermissionDenied as exc:
            raise PermissionDenied(exc.code, field=h.loc) from None
    assert actor is not None  # require() has rejected anonymous callers
    reports = []
    with transaction.atomic():
        for h in hospitals:
            try:
                with transaction.atomic():  # savepoint: a failed hospital leaves the transaction usable
                    reports.append(report_submit(actor=actor, facility=facilities[h.code],  # type: ignore[index]
                                                 data=h.report, source=ReportSource.EDXL, now=now))  # type: ignore[arg-type]
            except DomainError as exc:
                errors.extend({**e, "loc": [h.loc, *h.xml_loc(e.get("loc", []))]} for e in exc.as_dict()["detail"])
        if errors:
            raise ValidationFailed(CapacityError.EDXL_INVALID, errors)
        audit_record(actor=actor, action="edxl_have_import", object_type="capacity_report",
                     object_id=",".join(str(r.pk) for r in reports), now=now,
                     changes={"facilities": [h.code for h in hospitals], "ignored": len(ignored)})
    return ImportResult(reports=tuple(reports), ignored=tuple(ignored))


ORG_ID_LOC = ["Organization", "OrganizationInformation", "OrganisationName", "@OrganisationID"]
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


def _hospitals(data: bytes, errors: _Errors) -> list[etree._Element]:
    """Parse and schema-check the message; its Hospital elements in document order (or raise)."""
    if not data.strip():
        errors.add([], _("The message is empty."))
        raise ValidationFailed(CapacityError.EDXL_INVALID, errors)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        errors.add([f"line {exc.lineno}"], _("Not well-formed XML: %(error)s") % {"error": exc.msg})
        raise ValidationFailed(CapacityError.EDXL_INVALID, errors) from None
    if root.getroottree().docinfo.doctype:
        # EDXL needs no DTD; refusing one rules out entity tricks (entities are never resolved anyway).
        errors.add(["DOCTYPE"], _("A document type declaration is not allowed in an EDXL message."))
        raise ValidationFailed(CapacityError.EDXL_INVALID, errors)
    if root.tag == q(DE_NS, "EDXLDistribution"):
        _validate(de_schema(), root, errors, 0)
        statuses = root.findall(f"{{{DE_NS}}}contentObject/{{{DE_NS}}}xmlContent/"
                                f"{{{DE_NS}}}embeddedXMLContent/{{{HAVE_NS}}}HospitalStatus")
        if not statuses:
            errors.add(["EDXLDistribution"], _("The EDXL-DE message carries no EDXL-HAVE HospitalStatus."))
    elif root.tag == q(HAVE_NS, "HospitalStatus"):
        statuses = [root]
    else:
        errors.add([etree.QName(root).localname],
                   _("Expected an EDXL-HAVE 1.0 HospitalStatus, bare or inside an EDXL-DE 1.0 EDXLDistribution."))
        statuses = []
    hospitals: list[etree._Element] = []
    for status in statuses:
        _validate(have_schema(), status, errors, len(hospitals))
        hospitals.extend(status.findall(q(HAVE_NS, "Hospital")))
    if statuses and not hospitals and not errors:  # the schema says so too, when it is shipped
        errors.add(["HospitalStatus"], _("The message reports no Hospital."))
    if errors:
        raise ValidationFailed(CapacityError.EDXL_INVALID, errors)
    return hospitals


def _validate(schema: etree.XMLSchema | None, element: etree._Element, errors: _Errors, offset: int) -> None:
    try:
        if schema is None or schema.validate(etree.ElementTree(copy.deepcopy(element))):
            return
    except etree.XMLSchemaValidateError as exc:  # libxml2 gave up on this input: still the sender's problem
        errors.add([], _("Does not match the EDXL schema: %(error)s") % {"error": exc})
        return
    for entry in schema.error_log:  # type: ignore[attr-defined]
        # entry.path is an XPath like /have:HospitalStatus/have:Hospital[2]/have:…: keep local names and number
        # the Hospital across the whole message, as every other error does.
        steps = [s.split(":")[-1] for s in (entry.path or "").split("/")[2:]]
        if steps and steps[0].startswith("Hospital"):
            steps[0] = f"Hospital[{(int(steps[0][9:-1]) if '[' in steps[0] else 1) + offset}]"
        errors.add(steps or [etree.QName(element).localname], _("Does not match the EDXL schema: %(error)s") % {"error": entry.message}, line=entry.line)


# Where each ReportInput field sits in a Hospital element, to name the element in the capacity rules' errors.
_FIELD_LOC = {
    "reported_at": ["LastUpdateTime"],
    "ed_status": ["EmergencyDepartmentStatus", "EMSTraffic", "EMSTrafficStatus"],
    "ed_status_reason": ["EmergencyDepartmentStatus", "EMSTraffic", "EMSTrafficReason"],
    **{name: ["EmergencyDepartmentStatus", "EMSCapacity", color] for color, name in TRIAGE_FIELDS.items()},
    **{name: ["HospitalResourcesStatus", "ResourcesInformationText", name]
       for name in (*INT_RESOURCES, *BOOL_RESOURCES, "oxygen_status")},
    "note": ["HospitalFacilityStatus", "CommentText"],
}
_BED_LOC = {"bed_type": ["BedType"], "available": ["Capacity", "AvailableCount"], "occupied": ["CommentText"],
            "staffed": ["Capacity", "BaselineCount"], "surge_24h": ["Capacity", "AdditionalCapacityCount24Hr"]}


class _Hospital:
    """One Hospital element read into a facility code and a ReportInput; problems go to `errors`."""

    def __init__(self, h: etree._Element, loc: str, errors: _Errors, ignored: list[str]) -> None:
        self.h, self.loc, self.errors, self.ignored = h, loc, errors, ignored
        self.bed_elements: list[int] = []  # BedCapacity position of each imported bed
        before = len(errors)
        names = h.findall("have:Organization/have:OrganizationInformation/xnl:OrganisationName", NSMAP)
        # xnl:OrganisationID is CIQ's organisation identifier; xnl:ID is accepted too (Sahana Eden writes it).
        ids = [n.get(q(XNL_NS, "OrganisationID")) or n.get(q(XNL_NS, "ID")) for n in names]
        self.code = next((i.strip() for i in ids if i and i.strip()), None)
        if not self.code:
            self.bad(ORG_ID_LOC, _("The organization ID is missing: Jedel matches each hospital by its facility "
                                   "code in xnl:OrganisationName/@xnl:OrganisationID."))
        reported_at = self.when()
        fields = {**self.emergency_department(), **self.resources()}
        beds = self.beds()
        fields["note"] = "\n".join(t.strip() for t in h.xpath("have:HospitalFacilityStatus/have:CommentText/text()",
                                                                namespaces=NSMAP) if t.strip())
        if h.find("have:ServiceCoverageStatus", NSMAP) is not None:
            ignored.append(_("%(loc)s: ServiceCoverageStatus is registry data and was not imported.") % {"loc": loc})
        self.report = (ReportInput(reported_at=reported_at, beds=beds, **fields)
                       if reported_at is not None and len(errors) == before else None)

    def bad(self, path: list[str], msg: str) -> None:
        self.errors.add([self.loc, *path], msg)

    def xml_loc(self, loc: list[Any]) -> list[str]:
        """A ReportInput path (["beds", 2, "occupied"]) as the element path in this Hospital."""
        if len(loc) == 3 and loc[0] == "beds":
            position = self.bed_elements[loc[1]]
            return ["HospitalBedCapacityStatus", f"BedCapacity[{position}]", *_BED_LOC.get(loc[2], [loc[2]])]
        if loc == ["beds"]:
            return ["HospitalBedCapacityStatus"]
        return _FIELD_LOC.get(loc[0], [str(x) for x in loc]) if loc else []

    def count(self, el: etree._Element | None, path: list[str]) -> int | None:
        if el is None:
            return None
        try:
            return int((el.text or "").strip())  # range rules (>= 0, <= staffed…) belong to the capacity service
        except ValueError:
            self.bad(path, _("Expected a whole number, not %(text)r.") % {"text": el.text})
            return None

    def when(self) -> datetime | None:
        text = (self.h.findtext("have:LastUpdateTime", "", NSMAP) or "").strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            # A time without offset is ambiguous by hours: freshness would be guessed, so it is refused.
            self.bad(["LastUpdateTime"], _("A date and time with a UTC offset is required, e.g. "
                                           "2026-03-01T08:30:00Z."))
            return None
        return moment

    def emergency_department(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        traffic = "have:EmergencyDepartmentStatus/have:EMSTraffic/have:"
        status = (self.h.findtext(traffic + "EMSTrafficStatus", "", NSMAP) or "").strip()
        reason = (self.h.findtext(traffic + "EMSTrafficReason", "", NSMAP) or "").strip()
        if status in EMS_TO_ED:
            fields["ed_status"] = str(EMS_TO_ED[status])
            if status == "NotApplicable" and not reason:
                reason = _("No emergency department (EDXL-HAVE NotApplicable).")
            elif status in ("Advisory", "Closed") and not reason:
                # HAVE makes the reason optional; Jedel requires one for dispatch, so say that none was given.
                reason = _("No reason given in the EDXL-HAVE message.")
        elif status:
            self.bad(_FIELD_LOC["ed_status"], _("Unknown EMS traffic status %(status)r.") % {"status": status})
        fields["ed_status_reason"] = reason
        for k, tc in enumerate(self.h.findall("have:EmergencyDepartmentStatus/have:EMSCapacity/have:TriageCode",
                                              NSMAP), 1):
            path = ["EmergencyDepartmentStatus", "EMSCapacity", f"TriageCode[{k}]", "TriageCountQuantity"]
            for color, qty in zip(tc.findall("have:TriageCodeValue", NSMAP),
                                  tc.findall("have:TriageCountQuantity", NSMAP), strict=False):
                if (color.text or "").strip() in TRIAGE_FIELDS:
                    fields[TRIAGE_FIELDS[(color.text or "").strip()]] = self.count(qty, path)
                else:
                    self.ignored.append(_("%(loc)s: triage code %(code)s is not tracked.")
                                        % {"loc": self.loc, "code": color.text})
        return fields

    def beds(self) -> tuple[BedInput, ...]:
        beds = []
        for j, bc in enumerate(self.h.findall("have:HospitalBedCapacityStatus/have:BedCapacity", NSMAP), 1):
            path = ["HospitalBedCapacityStatus", f"BedCapacity[{j}]", "Capacity"]
            types = [(t.text or "").strip() for t in bc.findall("have:BedType", NSMAP)]
            if len(types) != 1 or types[0] not in BedType.values:
                self.ignored.append(_("%(loc)s: BedCapacity[%(n)d] (%(types)s) is not a bed type Jedel tracks.")
                                    % {"loc": self.loc, "n": j, "types": ", ".join(types) or "-"})
                continue
            # The first Capacity belongs to the BedType; any later ones to sub-category bed types (not tracked).
            cap = bc.find("have:Capacity", NSMAP)
            status = (cap.findtext("have:CapacityStatus", "", NSMAP) if cap is not None else "") or ""
            available = self.count(bc.find("have:Capacity/have:AvailableCount", NSMAP), [*path, "AvailableCount"])
            if available is None and status.strip() == NOT_AVAILABLE:
                available = 0
            elif available and status.strip() == NOT_AVAILABLE:
                self.bad([*path, "CapacityStatus"], _("NotAvailable contradicts an AvailableCount above 0."))
            occupied = _tagged(bc.findall("have:CommentText", NSMAP)).get("occupied")
            self.bed_elements.append(j)
            beds.append(BedInput(
                bed_type=types[0], available=available,
                staffed=self.count(bc.find("have:Capacity/have:BaselineCount", NSMAP), [*path, "BaselineCount"]),
                occupied=self.tagged_int(occupied, ["HospitalBedCapacityStatus", f"BedCapacity[{j}]", "CommentText"]),
                surge_24h=self.count(bc.find("have:Capacity/have:AdditionalCapacityCount24Hr", NSMAP),
                                     [*path, "AdditionalCapacityCount24Hr"])))
        return tuple(beds)

    def resources(self) -> dict[str, Any]:
        tagged = _tagged(self.h.findall("have:HospitalResourcesStatus/have:ResourcesInformationText", NSMAP))
        fields: dict[str, Any] = {k: self.tagged_int(tagged.get(k), _FIELD_LOC[k]) for k in INT_RESOURCES}
        for key in BOOL_RESOURCES:
            if key in tagged:
                if tagged[key] not in ("true", "false"):
                    self.bad(_FIELD_LOC[key], _("Expected true or false, not %(text)r.") % {"text": tagged[key]})
                fields[key] = tagged[key] == "true"
        if "oxygen_status" in tagged:
            fields["oxygen_status"] = tagged["oxygen_status"]  # checked by the capacity service
        return fields

    def tagged_int(self, text: str | None, path: list[str]) -> int | None:
        if text is None:
            return None
        if not text.isdigit():
            self.bad(path, _("Expected a whole number of at least 0, not %(text)r.") % {"text": text})
            return None
        return int(text)


def _tagged(elements: list[etree._Element]) -> dict[str, str]:
    """The `jedel:<field>=<value>` texts among `elements`; any other free text is for people and left alone."""
    texts = ((el.text or "").strip() for el in elements)
    return dict(t[len(TAG):].split("=", 1) for t in texts if t.startswith(TAG) and "=" in t)
