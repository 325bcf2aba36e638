"""One EDXL-HAVE Hospital element read into what Jedel stores (mapping: see `edxl_have`).

Standard reading follows the OASIS schema (the message was validated against it first). Sahana Eden's
reading (`dialect="sahana"`) also accepts what its exporter writes: bed counts outside Capacity,
`HospitalResourceStatus` with `ResourceInformationText`, EMSTrafficStatus without its EMSTraffic wrapper,
its "Unknown" values (= not reported), enumeration values in any case, empty counts (= not reported) and a
LastUpdateTime without a UTC offset (taken as UTC: Sahana writes its UTC clock without the offset).

Besides the figures, a reading records which ones the hospital stated (`mentioned`: the rest is carried
forward from the facility's previous report) and a key over what it stated, so the same message imported
twice stores one report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from jedel.capacity.interop.edxl_have import (
    ACTIVITY,
    BOOL_RESOURCES,
    EMS_TO_ED,
    FACILITY_STATUS,
    INT_RESOURCES,
    NOT_AVAILABLE,
    NSMAP,
    SECURITY_STATUS,
    STAFFING,
    TAG,
    TRIAGE_FIELDS,
    XNL_NS,
    q,
)
from jedel.capacity.interop.edxl_have_sahana import SAHANA_SECURITY
from jedel.capacity.models import BedType
from jedel.capacity.operational import OPERATIONAL_FIELDS, OperationalInput
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.carry_forward import Mentioned

ORG_ID_LOC = ["Organization", "OrganizationInformation", "OrganisationName", "@OrganisationID"]
# Where each ReportInput field sits in a Hospital element, to name the element in the capacity rules' errors.
FIELD_LOC = {
    "reported_at": ["LastUpdateTime"],
    "ed_status": ["EmergencyDepartmentStatus", "EMSTraffic", "EMSTrafficStatus"],
    "ed_status_reason": ["EmergencyDepartmentStatus", "EMSTraffic", "EMSTrafficReason"],
    **{name: ["EmergencyDepartmentStatus", "EMSCapacity", color] for color, name in TRIAGE_FIELDS.items()},
    **{name: ["HospitalResourcesStatus", "ResourcesInformationText", name]
       for name in (*INT_RESOURCES, *BOOL_RESOURCES, "oxygen_status")},
    "note": ["HospitalFacilityStatus", "CommentText"],
    "facility_status": ["HospitalFacilityStatus", "FacilityStatus"],
    "security_status": ["HospitalFacilityStatus", "SecurityStatus"],
    "staffing": ["HospitalResourcesStatus", "Staffing"],
    **{name: ["HospitalFacilityStatus", "Activity24Hr", element] for element, name in ACTIVITY.items()},
}
BED_LOC = {"bed_type": ["BedType"], "available": ["Capacity", "AvailableCount"], "occupied": ["CommentText"],
           "staffed": ["Capacity", "BaselineCount"], "surge_24h": ["Capacity", "AdditionalCapacityCount24Hr"]}
# HospitalFacilityStatus / resources children Jedel reads; any other is reported as not tracked.
# ClinicalOperations: Jedel's own export derives it from the oxygen status, which travels as a jedel: text.
_READ = {"FacilityStatus", "SecurityStatus", "Activity24Hr", "CommentText", "Staffing", "ClinicalOperations",
         "ResourcesInformationText", "ResourceInformationText"}
_FREE_TEXT = {"ResourcesInformationText", "ResourceInformationText"}


class Errors(list[dict[str, Any]]):
    def add(self, loc: list[str], msg: str, code: Any = None, **extra: Any) -> None:
        from jedel.capacity.errors import CapacityError

        self.append({"code": (code or CapacityError.EDXL_INVALID).value, "loc": loc, "msg": msg, **extra})


class HospitalReading:
    """One Hospital element: facility `code`, `report`, `operational`, what it `mentioned`, and its `key`;
    problems go to `errors`, notes about what was not imported to `ignored`."""

    def __init__(self, h: etree._Element, loc: str, errors: Errors, ignored: list[str], dialect: str) -> None:
        self.h, self.loc, self.errors, self.ignored = h, loc, errors, ignored
        self.sahana = dialect == "sahana"
        self.bed_elements: list[int] = []  # BedCapacity position of each imported bed
        self.mentioned: set[str] = set()
        before = len(errors)
        names = h.findall("have:Organization/have:OrganizationInformation/xnl:OrganisationName", NSMAP)
        # xnl:OrganisationID is CIQ's organisation identifier; xnl:ID is accepted too (Sahana Eden writes it).
        ids = [n.get(q(XNL_NS, "OrganisationID")) or n.get(q(XNL_NS, "ID")) for n in names]
        self.code = next((i.strip() for i in ids if i and i.strip()), None)
        reported_at = self.when()
        fields = {**self.emergency_department(), **self.resources()}
        beds = self.beds()
        notes = [t.strip() for t in h.xpath("have:HospitalFacilityStatus/have:CommentText/text()", namespaces=NSMAP)
                 if t.strip()]
        if notes:
            fields["note"] = "\n".join(notes)
            self.mentioned.add("note")
        self.operational = self.operation()
        if h.find("have:ServiceCoverageStatus", NSMAP) is not None:
            ignored.append(_("%(loc)s: ServiceCoverageStatus is registry data and was not imported.") % {"loc": loc})
        for el in h.xpath("have:HospitalFacilityStatus/* | have:HospitalResourcesStatus/* | "
                          "have:HospitalResourceStatus/*", namespaces=NSMAP):
            name, text = etree.QName(el).localname, self.text(el)
            if name not in _READ:
                ignored.append(_("%(loc)s: %(element)s is not tracked and was not imported.")
                               % {"loc": loc, "element": name})
            elif text and ((name in _FREE_TEXT and not text.startswith(TAG)) or (  # texts for people
                    name == "CommentText" and etree.QName(el.getparent()).localname != "HospitalFacilityStatus")):
                ignored.append(_("%(loc)s: the free text %(text)r was not imported.") % {"loc": loc, "text": text})
        self.report = (ReportInput(reported_at=reported_at, beds=beds, **fields, **asdict(self.operational))
                       if reported_at is not None and len(errors) == before else None)

    @property
    def mentions(self) -> Mentioned:
        return Mentioned(fields=frozenset(self.mentioned))

    @property
    def key(self) -> str:
        """What this hospital states, as a digest: the same statement imported again is the same report."""
        assert self.report is not None
        # The operational values are digested apart, as before they joined ReportInput: keys stored by earlier
        # imports still match, so re-importing an old message stays a duplicate.
        report = {k: v for k, v in asdict(self.report).items() if k not in OPERATIONAL_FIELDS}
        stated = {"report": report, "operational": asdict(self.operational),
                  "mentioned": sorted(self.mentioned)}
        digest = hashlib.sha256(json.dumps(stated, sort_keys=True, default=str).encode()).hexdigest()
        return f"edxl-have:{digest}"

    def bad(self, path: list[str], msg: str) -> None:
        self.errors.add([self.loc, *path], msg)

    def xml_loc(self, loc: list[Any]) -> list[str]:
        """A ReportInput path (["beds", 2, "occupied"]) as the element path in this Hospital."""
        if len(loc) == 3 and loc[0] == "beds":
            if loc[1] >= len(self.bed_elements):  # a bed type carried forward from the previous report
                return ["HospitalBedCapacityStatus"]
            position = self.bed_elements[loc[1]]
            return ["HospitalBedCapacityStatus", f"BedCapacity[{position}]", *BED_LOC.get(loc[2], [loc[2]])]
        if loc == ["beds"]:
            return ["HospitalBedCapacityStatus"]
        return FIELD_LOC.get(loc[0], [str(x) for x in loc]) if loc else []

    # ---------------------------------------------------------------------------------------- elements

    def first(self, *paths: str, sahana: tuple[str, ...] = (), at: etree._Element | None = None,
              ) -> etree._Element | None:
        """The first element found at `paths` (then, in Sahana's reading, at `sahana`), relative to `at`."""
        for path in (*paths, *(sahana if self.sahana else ())):
            found = (self.h if at is None else at).find(path, NSMAP)
            if found is not None:
                return found
        return None

    def text(self, el: etree._Element | None) -> str:
        return (el.text or "").strip() if el is not None else ""

    def enum(self, el: etree._Element | None, mapping: dict[str, str], path: list[str]) -> str | None:
        """The stored value of an enumerated element; None when absent (or Sahana's "Unknown")."""
        value = self.text(el)
        if el is None or (self.sahana and value.lower() in ("", "unknown", "notapplicable")):
            return None
        match = next((v for k, v in mapping.items() if k == value or (self.sahana and k.lower() == value.lower())),
                     None)
        if match is None:
            self.bad(path, _("Unknown value %(value)r.") % {"value": value})
        return match

    def count(self, el: etree._Element | None, path: list[str]) -> int | None:
        if el is None or (self.sahana and not self.text(el)):
            return None
        try:
            return int(self.text(el))  # range rules (>= 0, <= staffed…) belong to the capacity service
        except ValueError:
            self.bad(path, _("Expected a whole number, not %(text)r.") % {"text": el.text})
            return None

    def when(self) -> datetime | None:
        text = self.text(self.h.find("have:LastUpdateTime", NSMAP))
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None and self.sahana:
            moment = moment.replace(tzinfo=UTC)
        if moment is None or moment.tzinfo is None:
            # A time without offset is ambiguous by hours: freshness would be guessed, so it is refused.
            self.bad(["LastUpdateTime"], _("A date and time with a UTC offset is required, e.g. "
                                           "2026-03-01T08:30:00Z."))
            return None
        return moment

    def emergency_department(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        traffic = "have:EmergencyDepartmentStatus/have:EMSTraffic/have:"
        bare = "have:EmergencyDepartmentStatus/have:"
        status_el = self.first(traffic + "EMSTrafficStatus", sahana=(bare + "EMSTrafficStatus",))
        reason = self.text(self.first(traffic + "EMSTrafficReason", sahana=(bare + "EMSTrafficReason",)))
        status = self.text(status_el)
        if self.sahana:
            status = next((k for k in EMS_TO_ED if k.lower() == status.lower()), status)
        if status in EMS_TO_ED:
            fields["ed_status"] = str(EMS_TO_ED[status])
            if status == "NotApplicable" and not reason:
                reason = _("No emergency department (EDXL-HAVE NotApplicable).")
            elif status in ("Advisory", "Closed") and not reason:
                # HAVE makes the reason optional; Jedel requires one for dispatch, so say that none was given.
                reason = _("No reason given in the EDXL-HAVE message.")
            fields["ed_status_reason"] = reason
            self.mentioned.add("ed_status")
        elif status and not (self.sahana and status.lower() == "unknown"):
            self.bad(FIELD_LOC["ed_status"], _("Unknown EMS traffic status %(status)r.") % {"status": status})
        for k, tc in enumerate(self.h.findall("have:EmergencyDepartmentStatus/have:EMSCapacity/have:TriageCode",
                                              NSMAP), 1):
            path = ["EmergencyDepartmentStatus", "EMSCapacity", f"TriageCode[{k}]", "TriageCountQuantity"]
            for color, qty in zip(tc.findall("have:TriageCodeValue", NSMAP),
                                  tc.findall("have:TriageCountQuantity", NSMAP), strict=False):
                if self.text(color) in TRIAGE_FIELDS:
                    fields[TRIAGE_FIELDS[self.text(color)]] = self.count(qty, path)
                    self.mentioned.add(TRIAGE_FIELDS[self.text(color)])
                else:
                    self.ignored.append(_("%(loc)s: triage code %(code)s is not tracked.")
                                        % {"loc": self.loc, "code": color.text})
        return fields

    def beds(self) -> tuple[BedInput, ...]:
        beds = []
        for j, bc in enumerate(self.h.findall("have:HospitalBedCapacityStatus/have:BedCapacity", NSMAP), 1):
            path = ["HospitalBedCapacityStatus", f"BedCapacity[{j}]", "Capacity"]
            types = [self.text(t) for t in bc.findall("have:BedType", NSMAP)]
            if len(types) != 1 or types[0] not in BedType.values:
                self.ignored.append(_("%(loc)s: BedCapacity[%(n)d] (%(types)s) is not a bed type Jedel tracks.")
                                    % {"loc": self.loc, "n": j, "types": ", ".join(types) or "-"})
                continue
            # The first Capacity belongs to the BedType; any later ones to sub-category bed types (not tracked).
            def figure(name: str) -> int | None:
                return self.count(self.first(f"have:Capacity/have:{name}", sahana=(f"have:{name}",), at=bc),
                                  [*path, name])
            status = self.text(self.first("have:Capacity/have:CapacityStatus", sahana=("have:CapacityStatus",), at=bc))
            available, staffed = figure("AvailableCount"), figure("BaselineCount")
            if available is None and status == NOT_AVAILABLE:
                available = 0
            elif available and status == NOT_AVAILABLE:
                self.bad([*path, "CapacityStatus"], _("NotAvailable contradicts an AvailableCount above 0."))
            if self.sahana and available is None and staffed is None:
                self.ignored.append(_("%(loc)s: BedCapacity[%(n)d] (%(types)s) gives no counts.")
                                    % {"loc": self.loc, "n": j, "types": types[0]})
                continue
            occupied = _tagged(bc.findall("have:CommentText", NSMAP)).get("occupied")
            self.bed_elements.append(j)
            beds.append(BedInput(
                bed_type=types[0], available=available, staffed=staffed,
                occupied=self.tagged_int(occupied, ["HospitalBedCapacityStatus", f"BedCapacity[{j}]", "CommentText"]),
                surge_24h=figure("AdditionalCapacityCount24Hr")))
        return tuple(beds)

    def resources(self) -> dict[str, Any]:
        texts = self.h.findall("have:HospitalResourcesStatus/have:ResourcesInformationText", NSMAP)
        if self.sahana:
            texts += self.h.findall("have:HospitalResourceStatus/have:ResourceInformationText", NSMAP)
            texts += self.h.findall("have:HospitalResourceStatus/have:ResourcesInformationText", NSMAP)
        tagged = _tagged(texts)
        fields: dict[str, Any] = {k: self.tagged_int(tagged[k], FIELD_LOC[k]) for k in INT_RESOURCES if k in tagged}
        for key in BOOL_RESOURCES:
            if key in tagged:
                if tagged[key] not in ("true", "false"):
                    self.bad(FIELD_LOC[key], _("Expected true or false, not %(text)r.") % {"text": tagged[key]})
                fields[key] = tagged[key] == "true"
        if "oxygen_status" in tagged:
            fields["oxygen_status"] = tagged["oxygen_status"]  # checked by the capacity service
        self.mentioned.update(k for k in fields)
        return fields

    def operation(self) -> OperationalInput:
        hfs = "have:HospitalFacilityStatus/have:"
        values: dict[str, Any] = {
            "facility_status": self.enum(self.first(hfs + "FacilityStatus"), FACILITY_STATUS,
                                         FIELD_LOC["facility_status"]),
            "security_status": self.enum(self.first(hfs + "SecurityStatus"),
                                         SAHANA_SECURITY if self.sahana else SECURITY_STATUS,
                                         FIELD_LOC["security_status"]),
            "staffing": self.enum(self.first("have:HospitalResourcesStatus/have:Staffing",
                                             sahana=("have:HospitalResourceStatus/have:Staffing",)),
                                  STAFFING, FIELD_LOC["staffing"]),
        }
        for element, name in ACTIVITY.items():
            values[name] = self.count(self.first(f"{hfs}Activity24Hr/have:{element}"), FIELD_LOC[name])
        stated = {k: v for k, v in values.items() if v is not None}
        self.mentioned.update(stated)
        return OperationalInput(**stated)

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
