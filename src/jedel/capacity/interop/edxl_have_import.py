"""Import of OASIS EDXL-HAVE 1.0 status messages from other systems (mapping: see `edxl_have`; reading of one
Hospital: `edxl_have_read`).

A message is a `HospitalStatus`, bare or embedded in an EDXL-DE 1.0 `EDXLDistribution`
(contentObject/xmlContent/embeddedXMLContent). Each Hospital is matched to a facility by its organization ID
(xnl:OrganisationID or xnl:ID), converted to a report and stored through the capacity service with source
"edxl". All or nothing: one transaction for the whole message.

Standard reading (the default) checks the message against the shipped OASIS schema set and refuses the whole
message for one unknown hospital. Sahana Eden's reading (`dialect="sahana"`) accepts what Sahana's exporter
writes (see `edxl_have_read`) without the schema check (Sahana's output is not schema-valid), and reports and
skips hospitals Jedel does not know (or that carry no ID) instead of refusing the message, unless `strict`.

A message updates only what it reports: figures, bed types and operational values a hospital does not
mention are carried forward from the facility's previous report (services/carry_forward.py).

Idempotent: each stored report keeps a key over what its hospital stated (time, figures, operational status),
so importing the same message again stores nothing new and reports the hospitals as already imported. Not the
EDXL-DE distributionID: bare HospitalStatus messages (Sahana's) have none, and a sender may wrap the same
status in a new envelope.

Foreign messages: Advisory/Closed without EMSTrafficReason get the reason "No reason given in the EDXL-HAVE
message." (Jedel requires one for dispatch; HAVE does not); a LastUpdateTime without a UTC offset is refused
(taken as UTC in Sahana's reading). Reported back in `ImportResult.ignored`, not stored: ServiceCoverageStatus
(registry data), bed types Jedel does not track, sub-category bed types, Black triage counts, status elements
Jedel does not track. Names and OrganizationGeoLocation are registry data and are not compared.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.errors import DomainError, PermissionDenied, ValidationFailed
from jedel.capacity.errors import CapacityError
from jedel.facilities.errors import FacilityError
from jedel.capacity.interop.edxl_have import DE_NS, DIALECTS, HAVE_NS, de_schema, have_schema, q
from jedel.capacity.interop.edxl_have_read import ORG_ID_LOC, Errors, HospitalReading
from jedel.capacity.models import CapacityReport, ReportSource
from jedel.facilities.models import Facility
from jedel.capacity.services.carry_forward import report_base, report_carry_forward
from jedel.capacity.services.reports import report_submit
from jedel.capacity.permissions import REPORT_CAPACITY


@dataclass(frozen=True)
class ImportResult:
    """What an import stored (one report per Hospital, in message order), what it had stored before
    (`duplicates`: the same hospital statement imported again), the hospitals it `skipped` (Sahana's reading,
    unknown facilities) and what it could not use (`ignored`)."""

    reports: tuple[CapacityReport, ...]
    ignored: tuple[str, ...]
    duplicates: tuple[CapacityReport, ...] = ()
    skipped: tuple[str, ...] = ()


def edxl_have_import(*, actor: Principal | None, data: bytes, now: datetime | None = None,
                     dialect: str = "standard", strict: bool = False) -> ImportResult:
    """Store one report per Hospital of an EDXL-HAVE message, all or nothing; ValidationFailed lists every problem."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown EDXL-HAVE dialect {dialect!r}")  # the API and CLI offer only DIALECTS
    lenient = dialect == "sahana" and not strict
    errors = Errors()
    ignored: list[str] = []
    elements = _hospitals(data, errors, validate=dialect == "standard")
    hospitals = [HospitalReading(h, f"Hospital[{i}]", errors, ignored, dialect) for i, h in enumerate(elements, 1)]
    known = {f.code: f for f in Facility.objects.filter(code__in=[h.code for h in hospitals if h.code])}
    skipped, matched, first = [], [], {}
    for h in hospitals:
        if h.code and h.code in first:
            errors.add([h.loc, *ORG_ID_LOC], _("Facility %(code)s is already reported by %(first)s.")
                       % {"code": h.code, "first": first[h.code]})
            continue
        if h.code in known:
            first[h.code] = h.loc
            matched.append(h)
            continue
        msg = (_("No facility has the code %(code)s.") % {"code": h.code} if h.code else
               _("The organization ID is missing: Jedel matches each hospital by its facility code in "
                 "xnl:OrganisationName/@xnl:OrganisationID."))
        if lenient:
            skipped.append(_("%(loc)s: %(problem)s Skipped.") % {"loc": h.loc, "problem": msg})
            errors[:] = [e for e in errors if e["loc"][:1] != [h.loc]]  # what it says is not stored anyway
        else:
            errors.add([h.loc, *ORG_ID_LOC], msg, FacilityError.UNKNOWN_FACILITY if h.code else None)
    if errors:
        raise ValidationFailed(CapacityError.EDXL_INVALID, errors)
    for h in matched:
        # Asked before the transaction opens, so the audit record of a denial is kept (see require()).
        f = known[h.code]  # type: ignore[index]
        try:
            require(actor, REPORT_CAPACITY, Target(region_id=f.region_id, facility_id=f.pk),
                    object_type="facility", object_id=f.code)
        except PermissionDenied as exc:
            raise PermissionDenied(exc.code, field=h.loc) from None
    assert actor is not None  # require() has rejected anonymous callers
    reports, duplicates = [], []
    with transaction.atomic():
        for h in matched:
            f = known[h.code]  # type: ignore[index]
            assert h.report is not None
            if not (h.mentioned or h.report.beds) and report_base(f, h.report) is None:
                # Nothing stated and nothing to confirm: a sign of life from a facility that never reported.
                ignored.append(_("%(loc)s: states no figures and %(code)s has no earlier report: nothing stored.")
                               % {"loc": h.loc, "code": f.code})
                continue
            try:
                with transaction.atomic():  # savepoint: a failed hospital leaves the transaction usable
                    report = report_carry_forward(facility=f, data=h.report, mentioned=h.mentions)
                    stored = report_submit(actor=actor, facility=f, data=report, now=now,
                                           source=ReportSource.EDXL, idempotency_key=h.key)
                    (duplicates if stored.duplicate else reports).append(stored)  # type: ignore[attr-defined]
            except DomainError as exc:
                errors.extend({**e, "loc": [h.loc, *h.xml_loc(e.get("loc", []))]} for e in exc.as_dict()["detail"])
        if errors:
            raise ValidationFailed(CapacityError.EDXL_INVALID, errors)
        changes = {"facilities": [r.facility.code for r in reports], "ignored": len(ignored)}
        if duplicates:
            changes["already_imported"] = [r.facility.code for r in duplicates]
        if skipped:
            changes["skipped"] = len(skipped)
        audit_record(actor=actor, action="edxl_have_import", object_type="capacity_report",
                     object_id=",".join(str(r.pk) for r in reports), now=now, changes=changes)
    return ImportResult(reports=tuple(reports), ignored=tuple(ignored), duplicates=tuple(duplicates),
                        skipped=tuple(skipped))


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


def _hospitals(data: bytes, errors: Errors, *, validate: bool = True) -> list[etree._Element]:
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
        if validate:
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
        if validate:
            _validate(have_schema(), status, errors, len(hospitals))
        hospitals.extend(status.findall(q(HAVE_NS, "Hospital")))
    if statuses and not hospitals and not errors:  # the schema says so too, when it is shipped
        errors.add(["HospitalStatus"], _("The message reports no Hospital."))
    if errors:
        raise ValidationFailed(CapacityError.EDXL_INVALID, errors)
    return hospitals


def _validate(schema: etree.XMLSchema | None, element: etree._Element, errors: Errors, offset: int) -> None:
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
        errors.add(steps or [etree.QName(element).localname],
                   _("Does not match the EDXL schema: %(error)s") % {"error": entry.message}, line=entry.line)
