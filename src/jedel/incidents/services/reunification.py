"""Family reunification: find a casualty across incidents, and show where it is only to those entitled.

Who may search and who sees what (permissions.py): coordinators and hospital managers search every incident
(SEARCH_CASUALTIES, nationwide); a hit shows the incident, tag, name, age band, sex, description and when the
casualty was registered. Its status and whereabouts (destination, vehicle, arrival time, last change) show only
when LOCATE_CASUALTY allows it on `casualty_location_target`: the coordinators over the incident or over the
destination's region, and the managers of the destination hospital. Real incidents and exercises are searched apart (`exercise`), never
together. Every search, allowed or refused, is audited with who asked and the query, never the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jedel.accounts.policy import Principal, allowed
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.incidents.errors_reunification import ReunificationError
from jedel.incidents.models import AgeBand, Casualty, Sex
from jedel.incidents.permissions import LOCATE_CASUALTY, SEARCH_CASUALTIES, casualty_location_target
from jedel.incidents.selectors_reunification import SEARCH_LIMIT, casualty_matches


@dataclass(frozen=True)
class SearchQuery:
    """What a relative told the desk; empty strings are "not given"."""

    name: str = ""
    description: str = ""
    tag: str = ""
    age_band: str = ""
    sex: str = ""
    exercise: bool = False

    def given(self) -> dict[str, str | bool]:
        """The criteria given (as audited)."""
        fields = {"name": self.name.strip(), "description": self.description.strip(), "tag": self.tag.strip(),
                  "age_band": self.age_band, "sex": self.sex}
        return {k: v for k, v in fields.items() if v} | {"exercise": self.exercise}


@dataclass(frozen=True)
class SearchHit:
    casualty: Casualty
    located: bool  # whether this viewer may see the status and whereabouts


def casualty_search(*, viewer: Principal | None, query: SearchQuery, now: datetime | None = None,
                    limit: int = SEARCH_LIMIT) -> list[SearchHit]:
    """Search casualties across incidents (newest first, at most `limit`); audited with the query."""
    require(viewer, SEARCH_CASUALTIES, object_type="casualty_search")
    assert viewer is not None
    given = query.given()
    if len(given) == 1:  # only the exercise flag
        raise DomainError(ReunificationError.NO_CRITERIA, field="name")
    if query.age_band and query.age_band not in AgeBand.values:
        raise DomainError(ReunificationError.NO_CRITERIA, field="age_band")
    if query.sex and query.sex not in Sex.values:
        raise DomainError(ReunificationError.NO_CRITERIA, field="sex")
    audit_record(actor=viewer, action=SEARCH_CASUALTIES.name, object_type="casualty_search",
                 region_id=viewer.region_id, facility_id=viewer.facility_id, changes={"query": given},
                 now=now or utcnow())
    rows = casualty_matches(name=query.name, description=query.description, tag=query.tag,
                            age_band=query.age_band, sex=query.sex, exercise=query.exercise, limit=limit)
    return [SearchHit(casualty=c, located=allowed(viewer, LOCATE_CASUALTY, casualty_location_target(c)))
            for c in rows]
