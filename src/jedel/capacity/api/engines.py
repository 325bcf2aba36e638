"""The engines over HTTP: casualty distribution plans (explicit or live hospitals) and triage.

Bodies are read as plain JSON and validated by the engines (`capacity/engines.py`), so every bad input answers
422 with a capacity error code and the field's path in `loc`; the OpenAPI document still shows the formats
(`ProblemIn`, `TriageRequest`). Contract and examples: docs/engines-api.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from pydantic import GetJsonSchemaHandler, RootModel, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema as cs

from jedel.capacity.engines import distribution_plan_compute, triage_compute
from jedel.common import clock
from jedel.core.distribution import PlanOut, Policy, ProblemIn
from jedel.core.triage import TRIAGE_METHODS, TriageOut, TriageRequest

router = Router(tags=["engines"])


class ProblemBody(RootModel[Any]):
    """A distribution problem (documented as ProblemIn; validated by the engine for coded 422 answers)."""

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: cs.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return handler(ProblemIn.__pydantic_core_schema__)


class TriageBody(RootModel[Any]):
    """A triage request (documented as TriageRequest; validated by the engine for coded 422 answers)."""

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: cs.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return handler(TriageRequest.__pydantic_core_schema__)


Method = Annotated[str, WithJsonSchema({"type": "string", "enum": list(TRIAGE_METHODS),
                                        "description": "the algorithm; auto = JumpSTART under 8 years, else START"})]


@router.post("/distribution/plan", response=PlanOut)
def plan_distribution(request: HttpRequest, body: ProblemBody, live: bool = False, region: str | None = None,
                      policy: Policy = Policy.OPTIMAL) -> Any:
    """Casualty -> hospital plan. `live=true`: hospitals from the live capacity board (the body lists none),
    `region` (ISO 3166-2) limits them to one region; `policy`: optimal or a baseline."""
    return distribution_plan_compute(actor=request.auth, problem_data=body.root, live=live,  # type: ignore[attr-defined]
                                     region=region, now=clock.utcnow(), policy=policy)


@router.post("/triage/{method}", response=TriageOut)
def assess_triage(request: HttpRequest, method: Method, body: TriageBody) -> Any:
    """Triage category (or RPM) of one casualty from its findings."""
    return triage_compute(actor=request.auth, method=method, data=body.root)  # type: ignore[attr-defined]
