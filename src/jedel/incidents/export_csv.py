"""Casualty tracking as CSV: one row per entry of a casualty's location history (UTF-8, comma-separated,
RFC 4180 quoting, "\\n" line ends), ordered by incident, tag and time. Line 1 is exactly

    incident,exercise,tag,name,age_band,sex,description,category,at,status,destination,vehicle,eta,lat,lon,note,recorded_by

- incident: the incident's id; exercise: true or false (exports never mix the two; the column says which)
- tag, name, age_band, sex, description, category: the casualty as it is now (category "" = not triaged)
- at: when the entry was recorded, UTC, ISO 8601 with Z; status: the status from then on (the state machine's
  values); destination: the facility code; vehicle; eta (UTC, or empty); lat, lon (or empty); note
- recorded_by: who recorded the entry

Cells a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading apostrophe, as the
facility CSV does (facilities/io/csv_format.py, OWASP "CSV Injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from jedel.facilities.io.csv_format import escape_cell
from jedel.incidents.models import Casualty
from jedel.incidents.selectors_reunification import location_rows

COLUMNS = ("incident", "exercise", "tag", "name", "age_band", "sex", "description", "category", "at", "status",
           "destination", "vehicle", "eta", "lat", "lon", "note", "recorded_by")


def _instant(at: datetime | None) -> str:
    return "" if at is None else at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def casualty_rows(casualties: Iterable[Casualty]) -> Iterable[list[str]]:
    for c in casualties:
        fixed = [str(c.incident_id), "true" if c.incident.is_exercise else "false", c.tag, c.name, c.age_band,
                 c.sex, c.description, c.category]
        for row in location_rows(c):
            yield fixed + [_instant(row.at), row.status, row.destination.code if row.destination else "",
                           row.vehicle, _instant(row.eta), _number(row.lat), _number(row.lon), row.note,
                           row.actor_label]


def casualties_csv(casualties: Iterable[Casualty]) -> str:
    """The casualties (incident, destination and locations loaded) as tracking CSV, in the order given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([escape_cell(cell) for cell in row] for row in casualty_rows(casualties))
    return out.getvalue()
