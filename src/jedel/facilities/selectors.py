"""Reads of the facility registry: one facility, filtered lists, referral links and the referral network.

`viewer`: API handlers and pages pass the principal and the policy is asked (VIEW_FACILITY); internal
callers (CLI, imports, other services) that already decided pass none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.common.errors import DomainError, NotFound
from jedel.facilities.errors import FacilityError
from jedel.facilities.models import Capability, Facility, FacilityKind, ReferralLink
from jedel.geo.models import Region
from jedel.facilities.permissions import EXPORT, VIEW_FACILITY


def facility_get(code: str, *, viewer: Principal | None = None) -> Facility:
    """The facility with this code (region and town selected); NotFound (unknown_facility) otherwise."""
    # NUL cannot be sent to PostgreSQL; no code contains one, so it simply is not found.
    qs = Facility.objects.select_related("region", "town").defer("region__boundary")
    facility = None if "\x00" in code else qs.filter(code=code).first()
    if facility is None:
        raise NotFound(FacilityError.UNKNOWN_FACILITY, field="code")
    if viewer is not None:
        require(viewer, VIEW_FACILITY, facility)
    return facility


def facility_export_list(*, viewer: Principal | None, region_iso: str | None = None) -> list[Facility]:
    """Active facilities (optionally one region) for a registry export; needs EXPORT."""
    require(viewer, EXPORT)
    return list(facility_list(viewer=viewer, region_iso=region_iso))


def _region_id(region_iso: str) -> int:
    region = None if "\x00" in region_iso else (
        Region.objects.filter(iso_code=region_iso).values_list("pk", flat=True).first())
    if region is None:
        raise DomainError(FacilityError.UNKNOWN_REGION, field="region",
                          detail=_("unknown region %(v)r (ISO 3166-2, e.g. KZ-75)") % {"v": region_iso})
    return region


def facility_list(*, viewer: Principal | None = None, region_iso: str | None = None, kind: str | None = None,
                  capability: str | None = None, active: bool | None = True,
                  search: str | None = None) -> QuerySet[Facility]:
    """Facilities by region then code, filtered; unknown filter values are a 422, not an empty list."""
    region_id = _region_id(region_iso) if region_iso else None
    if viewer is not None:
        require(viewer, VIEW_FACILITY, Target(region_id=region_id))
    # The region's boundary (a GeoJSON of ~100 kB) is never needed per facility: parsing it cost ~4 ms a row.
    qs = (Facility.objects.select_related("region", "town").defer("region__boundary")
          .order_by("region__iso_code", "code"))
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    if kind:
        if kind not in FacilityKind.values:
            raise DomainError(FacilityError.UNKNOWN_KIND, field="kind")
        qs = qs.filter(kind=kind)
    if capability:
        if capability not in Capability.values:
            raise DomainError(FacilityError.UNKNOWN_CAPABILITY, field="capability")
        qs = qs.filter(**{f"has_{capability}": True})
    if active is not None:
        qs = qs.filter(active=active)
    if search:
        term = search.replace("\x00", "").strip()
        qs = qs.filter(Q(code__icontains=term) | Q(name_en__icontains=term) | Q(name_kk__icontains=term)
                       | Q(name_ru__icontains=term))
    return qs


def facility_referrals(code: str, *, viewer: Principal | None = None) -> tuple[Facility, list[ReferralLink]]:
    """A facility and every referral link from or to it (outgoing first, then by code and specialty)."""
    facility = facility_get(code, viewer=viewer)
    links = (ReferralLink.objects.select_related("source", "target")
             .filter(Q(source=facility) | Q(target=facility)))
    ordered = sorted(links, key=lambda link: (link.source_id != facility.pk, link.source.code,
                                              link.target.code, link.specialty))
    return facility, ordered


def referral_link_list(*, region_iso: str | None = None) -> QuerySet[ReferralLink]:
    """Referral links whose source is in the region (all when None), by source, target, specialty."""
    qs = ReferralLink.objects.select_related("source", "target").order_by("source__code", "target__code",
                                                                           "specialty")
    return qs.filter(source__region_id=_region_id(region_iso)) if region_iso else qs


@dataclass(frozen=True)
class NetworkNode:
    code: str
    name: str
    kind: str
    region_iso: str
    lat: float
    lon: float
    trauma_level: int | None


@dataclass(frozen=True)
class NetworkEdge:
    source: str
    target: str
    specialty: str


@dataclass(frozen=True)
class ReferralNetwork:
    """Facilities (nodes) joined by referral links (edges): the graph the board and transfers draw."""

    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


# What a node needs: the region boundary (~100 kB of GeoJSON per row, parsed per link end) stays unread.
_NODE_FIELDS = ("code", "name_en", "name_kk", "name_ru", "kind", "lat", "lon", "trauma_level", "region__iso_code")


def referral_network(region_iso: str | None = None, *, viewer: Principal | None = None) -> ReferralNetwork:
    """Links touching the region (either end), all when None, with every facility they join."""
    region_id = _region_id(region_iso) if region_iso else None
    if viewer is not None:
        require(viewer, VIEW_FACILITY, Target(region_id=region_id))
    links = (ReferralLink.objects.select_related("source__region", "target__region")
             .only(*(f"{end}__{name}" for end in ("source", "target") for name in _NODE_FIELDS), "specialty"))
    if region_id is not None:
        links = links.filter(Q(source__region_id=region_id) | Q(target__region_id=region_id))
    edges: list[NetworkEdge] = []
    nodes: dict[str, NetworkNode] = {}
    for link in links.order_by("source__code", "target__code", "specialty"):
        edges.append(NetworkEdge(source=link.source.code, target=link.target.code, specialty=link.specialty))
        for f in (link.source, link.target):
            nodes.setdefault(f.code, NetworkNode(code=f.code, name=f.name, kind=f.kind,
                                                 region_iso=f.region.iso_code, lat=f.lat, lon=f.lon,
                                                 trauma_level=f.trauma_level))
    return ReferralNetwork(nodes=[nodes[c] for c in sorted(nodes)], edges=edges)
