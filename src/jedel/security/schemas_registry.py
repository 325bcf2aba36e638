"""API schemas of the violence registry."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from jedel.common.ids import RowId
from jedel.security.models_registry import Evidence
from jedel.security.selectors_registry import IncidentView
from jedel.security.services.registry import IncidentInput, PerpetratorInput, VictimInput

KindName = Literal["physical", "verbal", "threat", "sexual", "property"]
SeverityName = Literal["minor", "moderate", "severe", "critical"]
CaseName = Literal["none", "opened", "refused", "in_court", "convicted", "closed"]
StaffRoleName = Literal["nurse", "doctor", "paramedic", "security", "other"]
PerpetratorName = Literal["patient", "relative", "visitor", "other"]


class ViolenceVictimIn(Schema):
    name: Annotated[str, Field(max_length=200)] = ""
    staff_role: StaffRoleName
    injuries: Annotated[str, Field(max_length=500)] = ""
    sick_leave_days: Annotated[int, Field(ge=0, le=3650)] | None = None


class ViolencePerpetratorIn(Schema):
    kind: PerpetratorName
    name: Annotated[str, Field(max_length=200)] = ""
    detained: bool = False
    mental_health_referral: bool = False


class ViolenceIncidentIn(Schema):
    facility: RowId
    occurred_at: datetime
    department: Annotated[str, Field(min_length=1, max_length=100)]
    location: Annotated[str, Field(max_length=120)] = ""
    kind: KindName
    severity: SeverityName
    summary: Annotated[str, Field(max_length=5000)] = ""
    police_notified: bool = False
    police_case_number: Annotated[str, Field(max_length=64)] = ""
    criminal_case: CaseName = "none"
    measures_taken: Annotated[str, Field(max_length=5000)] = ""
    victims: list[ViolenceVictimIn] = Field(default_factory=list, max_length=50)
    perpetrators: list[ViolencePerpetratorIn] = Field(default_factory=list, max_length=50)
    tasks: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list, max_length=50)

    def as_input(self) -> IncidentInput:
        return IncidentInput(
            occurred_at=self.occurred_at, department=self.department, location=self.location, kind=self.kind,
            severity=self.severity, summary=self.summary, police_notified=self.police_notified,
            police_case_number=self.police_case_number, criminal_case=self.criminal_case,
            measures_taken=self.measures_taken,
            victims=tuple(VictimInput(v.name, v.staff_role, v.injuries, v.sick_leave_days) for v in self.victims),
            perpetrators=tuple(PerpetratorInput(p.kind, p.name, p.detained, p.mental_health_referral)
                               for p in self.perpetrators),
            tasks=tuple(self.tasks))


class ViolenceIncidentPatchIn(Schema):
    version: Annotated[int, Field(ge=1)]
    police_notified: bool | None = None
    police_case_number: Annotated[str, Field(max_length=64)] | None = None
    criminal_case: CaseName | None = None
    measures_taken: Annotated[str, Field(max_length=5000)] | None = None

    def changes(self) -> dict[str, object]:
        return {k: v for k, v in self.dict(exclude={"version"}).items() if v is not None}


class ViolenceVictimOut(Schema):
    name: str | None = Field(description="null unless the caller may see personal data")
    staff_role: str
    injuries: str
    sick_leave_days: int | None


class ViolencePerpetratorOut(Schema):
    name: str | None
    kind: str
    detained: bool
    mental_health_referral: bool


class EvidenceOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    sha256: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime

    @staticmethod
    def of(e: Evidence) -> EvidenceOut:
        return EvidenceOut(id=e.pk, kind=e.kind, original_name=e.original_name, content_type=e.content_type,
                           sha256=e.sha256, size_bytes=e.size_bytes, uploaded_by=e.uploaded_by_label,
                           uploaded_at=e.uploaded_at)


class ViolenceIncidentOut(Schema):
    id: int
    version: int
    facility: int
    facility_code: str
    occurred_at: datetime
    department: str
    location: str
    kind: str
    severity: str
    summary: str
    police_notified: bool
    police_case_number: str
    criminal_case: str
    measures_taken: str
    personal: bool = False
    victims: list[ViolenceVictimOut] = []
    perpetrators: list[ViolencePerpetratorOut] = []
    tasks: list[str] = []
    evidence: list[EvidenceOut] = []

    @staticmethod
    def of(i, view: IncidentView | None = None) -> ViolenceIncidentOut:  # type: ignore[no-untyped-def]
        out = ViolenceIncidentOut(id=i.pk, version=i.version, facility=i.facility_id, facility_code=i.facility.code,
                          occurred_at=i.occurred_at, department=i.department, location=i.location, kind=i.kind,
                          severity=i.severity, summary=i.summary, police_notified=i.police_notified,
                          police_case_number=i.police_case_number, criminal_case=i.criminal_case,
                          measures_taken=i.measures_taken)
        if view is not None:
            out.personal = view.personal
            out.victims = [ViolenceVictimOut(name=v.name if view.personal else None, staff_role=v.staff_role,
                                     injuries=v.injuries, sick_leave_days=v.sick_leave_days) for v in view.victims]
            out.perpetrators = [ViolencePerpetratorOut(name=p.name if view.personal else None, kind=p.kind,
                                               detained=p.detained, mental_health_referral=p.mental_health_referral)
                                for p in view.perpetrators]
            out.tasks = [t.title for t in view.tasks]
            out.evidence = [EvidenceOut.of(e) for e in view.evidence]
        return out


EvidenceKindName = Literal["body_camera", "cctv", "photo", "document"]
__all__ = ["EvidenceKindName", "ViolenceIncidentIn", "ViolenceIncidentOut", "ViolenceIncidentPatchIn", "EvidenceOut", "RowId"]
