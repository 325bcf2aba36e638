"""A CAP 1.2 alert (OASIS Common Alerting Protocol, 2010) for a declared incident.

One `<info>` block per interface language (en, ru, kk), so a receiving system shows the one it needs. The
message type follows the incident's stage: `Alert` while active, `Update` once stood down, `Cancel` when
closed; an exercise is sent with status `Exercise` (CAP 1.2 §3.2.1), never `Actual`. The area is a circle
around the scene (CAP's "lat,lon radius-km") plus the affected regions' ISO 3166-2 codes as geocodes.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from jedel.incidents.models import Incident, IncidentKind

NS = "urn:oasis:names:tc:emergency:cap:1.2"
SENDER = "nccem.jedel.kz"
LANGUAGES = ("en", "ru", "kk")
ALMATY = timezone(timedelta(hours=5))
# CAP categories per incident kind; Health is always there (the alert is about the medical response).
CATEGORIES = {
    IncidentKind.EARTHQUAKE: ("Geo", "Health"), IncidentKind.FLOOD: ("Met", "Health"),
    IncidentKind.TRANSPORT: ("Transport", "Health"), IncidentKind.EXPLOSION: ("Safety", "Health"),
    IncidentKind.FIRE: ("Fire", "Health"), IncidentKind.CHEMICAL: ("CBRNE", "Health"),
    IncidentKind.EPIDEMIC: ("Health",), IncidentKind.OTHER: ("Health",),
}
SEVERITY = {"local": "Severe", "regional": "Severe", "national": "Extreme"}
SCENE_RADIUS_KM = 10.0
MSG_TYPE = {"active": "Alert", "stood_down": "Update", "closed": "Cancel"}


def cap_time(at: datetime) -> str:
    """CAP's dateTime: seconds, an explicit offset, no "Z" (Almaty time, +05:00)."""
    return at.astimezone(ALMATY).replace(microsecond=0).isoformat()


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def incident_cap(incident: Incident, *, now: datetime) -> bytes:
    """The CAP 1.2 alert XML (UTF-8, with declaration) for `incident` as it stands at `now`."""
    alert = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    _sub(alert, "identifier", f"jedel-incident-{incident.pk}-v{incident.version}")
    _sub(alert, "sender", SENDER)
    _sub(alert, "sent", cap_time(now))
    _sub(alert, "status", "Exercise" if incident.is_exercise else "Actual")
    _sub(alert, "msgType", MSG_TYPE[incident.status])
    _sub(alert, "scope", "Restricted")
    _sub(alert, "restriction", "Health emergency services of the Republic of Kazakhstan")
    if incident.is_exercise:
        _sub(alert, "note", "EXERCISE EXERCISE EXERCISE")
    if incident.version > 1:
        _sub(alert, "references", f"{SENDER},jedel-incident-{incident.pk}-v1,{cap_time(incident.declared_at)}")
    _sub(alert, "incidents", f"jedel-incident-{incident.pk}")
    regions = list(incident.regions.order_by("iso_code"))
    for language in LANGUAGES:
        with translation.override(language):
            _info(alert, incident, language, regions)
    return bytes(etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _info(alert: etree._Element, incident: Incident, language: str, regions: list) -> None:  # type: ignore[type-arg]
    info = _sub(alert, "info")
    _sub(info, "language", language)
    for category in CATEGORIES[IncidentKind(incident.kind)]:
        _sub(info, "category", category)
    _sub(info, "event", str(IncidentKind(incident.kind).label))
    _sub(info, "responseType", "Prepare" if incident.status == "active" else "AllClear")
    _sub(info, "urgency", "Immediate" if incident.status == "active" else "Past")
    _sub(info, "severity", SEVERITY.get(incident.response_level, "Severe"))
    _sub(info, "certainty", "Observed")
    _sub(info, "eventCode")  # filled below: CAP needs valueName before value
    code = info[-1]
    _sub(code, "valueName", "jedel:incident-kind")
    _sub(code, "value", incident.kind)
    _sub(info, "effective", cap_time(incident.declared_at))
    _sub(info, "senderName", _("National Coordination Center for Emergency Medicine"))
    headline = _("Mass-casualty incident: %(title)s") % {"title": incident.title}
    if incident.is_exercise:
        headline = _("EXERCISE — %(title)s") % {"title": headline}
    _sub(info, "headline", headline[:160])
    if incident.description:
        _sub(info, "description", incident.description)
    _sub(info, "instruction", _("Receiving hospitals: prepare to receive casualties and keep your capacity report "
                                "current."))
    if incident.estimated_casualties is not None:
        parameter = _sub(info, "parameter")
        _sub(parameter, "valueName", "jedel:estimated-casualties")
        _sub(parameter, "value", str(incident.estimated_casualties))
    area = _sub(info, "area")
    _sub(area, "areaDesc", ", ".join(r.name for r in regions) or "-")
    _sub(area, "circle", f"{incident.scene_lat:.5f},{incident.scene_lon:.5f} {SCENE_RADIUS_KM:g}")
    for region in regions:
        geocode = _sub(area, "geocode")
        _sub(geocode, "valueName", "ISO 3166-2")
        _sub(geocode, "value", region.iso_code)
