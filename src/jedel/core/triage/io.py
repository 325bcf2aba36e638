"""JSON in and out of the triage engines: the request and response of ``POST /api/triage/{method}`` and of
``jedel triage``.

Request body (:class:`TriageRequest`)::

    {"findings": {"can_walk": false, "breathing": true, "respiratory_rate_per_min": 34},   FindingsIn
     "options": {"rr_low_threshold": 10, "perfusion_check": "either",                       optional
                 "nonambulatory_infant_secondary": false}}

The findings object alone (:class:`FindingsIn`, what ``jedel triage`` reads) has one member per
:class:`~jedel.core.triage.Findings` field; absent or ``null`` = not assessed; unknown names are errors.
Response: :class:`AssessmentOut` for start, jumpstart, salt and auto, :class:`RpmOut` for rpm.

Errors: :class:`jedel.core.errors.FieldError` (``InvalidFinding`` for a finding) whose message starts with
the field path, e.g. ``respiratory_rate_per_min: must be between 0 and 120 breaths/min, got 150``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from jedel.core.errors import FieldError
from jedel.core.triage.auto import AssessMethod, assess
from jedel.core.triage.findings import NUMBER_RANGES, Assessment, Findings, InvalidFinding, check_finding
from jedel.core.triage.rpm import RPM_CODING_STATUS, RPM_MAX, RpmAssessment, rpm_assess
from jedel.core.triage.start_triage import PerfusionCheck, check_start_options
from jedel.core.validation import JSON_SCHEMA_DIALECT, StrictModel, first_field_error
from jedel.core.vocabulary import TriageCategory

TriageMethod = Literal["auto", "start", "jumpstart", "salt", "rpm"]
"""The ``{method}`` of ``POST /api/triage/{method}`` and ``jedel triage --method``."""

TRIAGE_METHODS: tuple[str, ...] = get_args(TriageMethod)
"""Every :data:`TriageMethod`, in the order shown to users."""


def _bounds(name: str) -> Any:
    low, high, unit = NUMBER_RANGES[name]
    return Field(default=None, json_schema_extra={"minimum": low, "maximum": high}, description=unit)


class FindingsIn(StrictModel):
    """What was observed about one casualty (see :class:`~jedel.core.triage.Findings` for each field)."""

    model_config = ConfigDict(title="Jedel triage findings")

    age_years: float | None = _bounds("age_years")
    can_walk: bool | None = None
    breathing: bool | None = None
    breathing_after_airway_opening: bool | None = None
    breathing_after_rescue_breaths: bool | None = None
    respiratory_rate_per_min: float | None = _bounds("respiratory_rate_per_min")
    peripheral_pulse_palpable: bool | None = None
    capillary_refill_s: float | None = _bounds("capillary_refill_s")
    pulse_rate_per_min: float | None = _bounds("pulse_rate_per_min")
    obeys_commands: bool | None = None
    avpu: Literal["A", "V", "P", "U"] | None = Field(default=None, description="AVPU level")
    pain_response_appropriate: bool | None = None
    gcs_motor: int | None = Field(default=None, ge=1, le=6, description="GCS best motor response")
    purposeful_movement: bool | None = None
    respiratory_distress: bool | None = None
    major_hemorrhage_controlled: bool | None = None
    minor_injuries_only: bool | None = None
    likely_to_survive_given_resources: bool | None = None
    unable_to_walk_developmentally: bool | None = Field(
        default=None, description="JumpSTART infant variant: cannot walk because of development, not injury"
    )

    @field_validator("*", mode="before")
    @classmethod
    def _engine_checks(cls, value: object, info: Any) -> object:
        """Every value passes the engine's own check first, so messages are the engine's."""
        try:
            check_finding(str(info.field_name), value)
        except FieldError as exc:
            raise ValueError(exc.reason) from None
        return value

    def to_findings(self) -> Findings:
        """The engine's :class:`~jedel.core.triage.Findings` (raises ``InvalidFinding`` on contradictions)."""
        return Findings(**self.model_dump(exclude_none=True))


class TriageOptionsIn(StrictModel):
    """Variant options of the algorithms (see :func:`jedel.core.triage.assess`)."""

    rr_low_threshold: float | None = Field(
        default=None,
        strict=True,
        allow_inf_nan=False,
        gt=0,
        le=30,
        description="modified START: also immediate below this RR/min",
    )
    perfusion_check: PerfusionCheck = Field(default="either", description="START perfusion step")
    nonambulatory_infant_secondary: bool = Field(
        default=False,
        strict=True,
        description="JumpSTART: non-ambulatory infant, normal findings, minor injuries → minimal",
    )


class TriageRequest(StrictModel):
    """Body of ``POST /api/triage/{method}``."""

    model_config = ConfigDict(title="Jedel triage request")

    findings: FindingsIn = Field(default_factory=FindingsIn)
    options: TriageOptionsIn = Field(default_factory=TriageOptionsIn)


class AssessmentOut(BaseModel):
    """Result of START, JumpSTART, SALT or the automatic choice (:class:`~jedel.core.triage.Assessment`)."""

    model_config = ConfigDict(frozen=True, title="Jedel triage assessment")

    category: TriageCategory | None = Field(description="null when a needed finding was not assessed")
    method: Literal["start", "jumpstart", "salt"] = Field(description="the algorithm actually applied")
    rule: str = Field(description="the path through the algorithm, or where it stopped")
    missing: list[str] = Field(description="findings needed but not assessed")


class RpmOut(BaseModel):
    """Sacco RPM of one casualty (:class:`~jedel.core.triage.RpmAssessment`)."""

    model_config = ConfigDict(frozen=True, title="Jedel RPM assessment")

    method: Literal["rpm"] = "rpm"
    rpm: int | None = Field(ge=0, le=RPM_MAX, description="0-12; null when a finding is missing")
    rule: str
    missing: list[str]
    coding_status: str = Field(description="provenance of the RPM coding table")


TriageOut = AssessmentOut | RpmOut
"""Response of ``POST /api/triage/{method}``."""


def check_method(method: str) -> TriageMethod:
    """``method`` if it is one of :data:`TRIAGE_METHODS`.

    Raises:
        FieldError: ``"method: must be one of auto, start, jumpstart, salt, rpm, not 'x'"``.
    """
    if method not in TRIAGE_METHODS:
        raise FieldError("method", f"must be one of {', '.join(TRIAGE_METHODS)}, not {method!r}")
    return cast(TriageMethod, method)


def findings_from_json(method: str, data: object) -> Findings:
    """Validate a parsed findings object (:class:`FindingsIn`) for ``method`` and build the findings.

    Args:
        method: one of :data:`TRIAGE_METHODS` (checked first, so a bad method is reported as such).
        data: the parsed JSON object.

    Raises:
        FieldError: ``method: ...`` or ``findings: must be a JSON object ...``; for a finding its subclass
            :class:`~jedel.core.triage.InvalidFinding`: ``<name>: unknown finding``, ``<name>: <reason>``.
    """
    check_method(method)
    if not isinstance(data, dict):
        raise FieldError("findings", "must be a JSON object, e.g. '{\"can_walk\": false}'")
    try:
        model = FindingsIn.model_validate(data)
    except ValidationError as exc:
        error = first_field_error(exc, root="findings", unknown="unknown finding")
        raise InvalidFinding(error.path, error.reason) from None
    return model.to_findings()


def request_from_json(method: str, data: object) -> tuple[Findings, TriageOptionsIn]:
    """Validate a parsed :class:`TriageRequest` body: the findings and the options.

    Raises:
        FieldError: as :func:`findings_from_json`, with paths under ``findings.`` / ``options.``.
    """
    check_method(method)
    try:
        request = TriageRequest.model_validate(data)
    except ValidationError as exc:
        raise first_field_error(exc, root="request", unknown="unknown field") from None
    try:
        return request.findings.to_findings(), request.options
    except FieldError as exc:
        raise FieldError(f"findings.{exc.path}", exc.reason) from None


def run_triage(
    method: str, findings: Findings, options: TriageOptionsIn | None = None
) -> Assessment | RpmAssessment:
    """Run ``method`` on the findings: :func:`~jedel.core.triage.rpm_assess` for ``"rpm"``, else
    :func:`~jedel.core.triage.assess` with the options.

    Raises:
        FieldError: unknown method, or (``options.<name>``) an option the engine rejects.
    """
    if check_method(method) == "rpm":
        return rpm_assess(findings)
    opts = options or TriageOptionsIn()
    try:
        check_start_options(opts.rr_low_threshold, opts.perfusion_check)
    except ValueError as exc:
        name, _, reason = str(exc).partition(": ")
        raise FieldError(f"options.{name}", reason) from None
    return assess(
        findings,
        cast(AssessMethod, method),
        rr_low_threshold=opts.rr_low_threshold,
        perfusion_check=opts.perfusion_check,
        nonambulatory_infant_secondary=opts.nonambulatory_infant_secondary,
    )


def result_out(result: Assessment | RpmAssessment) -> TriageOut:
    """The response model of an engine result."""
    if isinstance(result, RpmAssessment):
        return RpmOut(
            rpm=result.score, rule=result.rule, missing=list(result.missing), coding_status=RPM_CODING_STATUS
        )
    return AssessmentOut(
        category=result.category, method=result.method, rule=result.rule, missing=list(result.missing)
    )


def result_to_json(result: Assessment | RpmAssessment) -> dict[str, Any]:
    """JSON-ready dict of an engine result (:class:`AssessmentOut` or :class:`RpmOut`)."""
    return result_out(result).model_dump(mode="json")


def request_json_schema() -> dict[str, Any]:
    """JSON Schema of the request body :class:`TriageRequest`; published in ``docs/schemas/``."""
    return {"$schema": JSON_SCHEMA_DIALECT, **TriageRequest.model_json_schema(mode="validation")}


def result_json_schema() -> dict[str, Any]:
    """JSON Schema of the response :data:`TriageOut`; published in ``docs/schemas/``."""
    schema = TypeAdapter(cast(Any, TriageOut)).json_schema(mode="serialization")  # a union, not a class
    return {"$schema": JSON_SCHEMA_DIALECT, "title": "Jedel triage result", **schema}


def findings_to_json(findings: Findings) -> dict[str, Any]:
    """The assessed findings as a JSON object (not-assessed ones left out), e.g. to store with a tag."""
    return {k: v for k, v in dataclasses.asdict(findings).items() if v is not None}
