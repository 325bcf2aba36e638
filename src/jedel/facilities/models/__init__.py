"""Facility registry and capacity reports."""

from jedel.facilities.models.capacity import (
    BedCapacity,
    BedType,
    CapacityReport,
    EdStatus,
    FacilityStatus,
    OxygenStatus,
    ReportSource,
)
from jedel.facilities.models.registry import Capability, Facility, FacilityKind, Ownership, ReferralLink, Specialty

__all__ = [
    "BedCapacity", "BedType", "CapacityReport", "Capability", "EdStatus", "Facility", "FacilityKind",
    "FacilityStatus", "Ownership", "OxygenStatus", "ReferralLink", "ReportSource", "Specialty",
]
