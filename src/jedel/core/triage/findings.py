"""Triage inputs and outputs: :class:`Findings`, :class:`Category` and :class:`Assessment`.

Every finding is optional; ``None`` means *not assessed*. An algorithm that needs a finding it did not get
returns an :class:`Assessment` whose ``category`` is ``None`` and whose ``missing`` names the findings it
needed, never a guess. Physiologically impossible values are rejected when :class:`Findings` is built.
"""

from __future__ import annotations

import dataclasses
import math
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from jedel.core.errors import FieldError
from jedel.core.vocabulary import TriageCategory

AVPU_LEVELS: tuple[str, ...] = ("A", "V", "P", "U")
"""Levels of the AVPU scale: Alert, responds to Voice, responds to Pain, Unresponsive."""

_BOOL_FIELDS: tuple[str, ...] = (
    "can_walk",
    "breathing",
    "breathing_after_airway_opening",
    "breathing_after_rescue_breaths",
    "peripheral_pulse_palpable",
    "obeys_commands",
    "pain_response_appropriate",
    "purposeful_movement",
    "respiratory_distress",
    "major_hemorrhage_controlled",
    "minor_injuries_only",
    "likely_to_survive_given_resources",
    "unable_to_walk_developmentally",
)

# field -> (lowest allowed, highest allowed, unit shown in messages). The bounds reject only values that
# cannot be real measurements (or typing slips), not values that are merely alarming.
_NUMBER_RANGES: dict[str, tuple[float, float, str]] = {
    "age_years": (0, 130, "years"),
    "respiratory_rate_per_min": (0, 120, "breaths/min"),
    "pulse_rate_per_min": (0, 300, "beats/min"),
    "capillary_refill_s": (0, 30, "s"),
}


class InvalidFinding(FieldError):
    """A finding that cannot be a real observation (wrong type, impossible value, unknown name).

    A :class:`jedel.core.errors.FieldError` (so a ``ValueError``) whose path is the finding's name.

    Attributes:
        field: The name of the offending finding; the message starts with it (``"field: reason"``).
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field = field


Category = TriageCategory
"""Triage category shared by START, JumpSTART and SALT: :class:`jedel.core.vocabulary.TriageCategory`.

Tag colours by convention: minimal = green, delayed = yellow, immediate = red, expectant = grey (SALT)
and dead = black. Original START and JumpSTART have a single black "deceased/expectant" tag for patients
who stay apnoeic after airway positioning; Jedel records it as :attr:`~TriageCategory.DEAD` (see
:func:`jedel.core.triage.start`).
"""


MethodName = Literal["start", "jumpstart", "salt"]
"""Name of an algorithm that yields a :class:`Category`."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """Result of one triage algorithm applied to one patient.

    Attributes:
        category: The triage category, or ``None`` when a needed finding was not assessed.
        method: The algorithm that produced it: ``"start"``, ``"jumpstart"`` or ``"salt"``.
        rule: Human-readable path through the algorithm, e.g.
            ``"START: not walking → breathing → RR 34/min > 30 → IMMEDIATE"``; when ``category`` is
            ``None`` it says where the algorithm stopped.
        missing: Names of the :class:`Findings` fields the algorithm needed on the path taken but did not
            get; empty exactly when ``category`` is not ``None``.
    """

    category: Category | None
    method: MethodName
    rule: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Findings:
    """What a triage officer observed about one casualty; every field is optional (``None`` = not assessed).

    Attributes:
        age_years: Age in years (may be fractional; 0-130). Chooses JumpSTART (< 8) in automatic mode.
        can_walk: Walks when directed to (ambulatory).
        breathing: Breathing spontaneously on first look. When ``None`` but a respiratory rate is given,
            the algorithms take breathing to be ``respiratory_rate_per_min > 0``.
        breathing_after_airway_opening: Breathes after the airway is opened / head positioned (asked only
            when ``breathing`` is ``False``).
        breathing_after_rescue_breaths: Breathes after rescue breaths (JumpSTART: 5 breaths; SALT: "consider
            2 rescue breaths" for children).
        respiratory_rate_per_min: Respiratory rate in breaths per minute (0-120).
        peripheral_pulse_palpable: A peripheral pulse can be felt (radial in adults; START's "radial
            pulse").
        capillary_refill_s: Capillary refill time in seconds (0-30).
        pulse_rate_per_min: Pulse rate in beats per minute (0-300); used by RPM.
        obeys_commands: Follows simple commands.
        avpu: AVPU level, one of ``"A"``, ``"V"``, ``"P"``, ``"U"``.
        pain_response_appropriate: At AVPU ``"P"``: localises or withdraws from pain (``True``) rather than
            posturing or responding inappropriately (``False``).
        gcs_motor: Glasgow Coma Scale best motor response, integer 1-6; used by RPM.
        purposeful_movement: Makes purposeful movements (SALT).
        respiratory_distress: In respiratory distress (SALT).
        major_hemorrhage_controlled: Major haemorrhage is controlled (SALT). Set ``True`` when there is no
            major haemorrhage: SALT asks "major hemorrhage is controlled?", and ``None`` means not assessed.
        minor_injuries_only: Injuries are minor only / no significant external injury (SALT; the JumpSTART
            non-ambulatory infant variant).
        likely_to_survive_given_resources: Likely to survive given the resources available now (SALT).
        unable_to_walk_developmentally: Cannot walk because of developmental age or a developmental
            disability, not because of the injury (JumpSTART, Romig 2002: infants and older children who
            have not learnt, or cannot, walk). Selects the JumpSTART non-ambulatory infant variant; when
            ``None`` Jedel falls back to ``age_years`` < 1.

    Raises:
        InvalidFinding: (a ``ValueError``) when a value has the wrong type or is physiologically impossible:
            negative rates, respiratory rate > 120/min, pulse > 300/min, capillary refill outside 0-30 s,
            GCS motor outside 1-6, age outside 0-130 years, AVPU other than A/V/P/U, a non-bool flag,
            ``breathing=True`` together with a respiratory rate of 0/min, or ``breathing=False`` together
            with a rate above 0/min (``respiratory_rate_per_min`` is the rate on first look, the same
            observation as ``breathing``). The message starts with the field name,
            ``respiratory_rate_per_min`` for both contradictions.
    """

    age_years: float | None = None
    can_walk: bool | None = None
    breathing: bool | None = None
    breathing_after_airway_opening: bool | None = None
    breathing_after_rescue_breaths: bool | None = None
    respiratory_rate_per_min: float | None = None
    peripheral_pulse_palpable: bool | None = None
    capillary_refill_s: float | None = None
    pulse_rate_per_min: float | None = None
    obeys_commands: bool | None = None
    avpu: str | None = None
    pain_response_appropriate: bool | None = None
    gcs_motor: int | None = None
    purposeful_movement: bool | None = None
    respiratory_distress: bool | None = None
    major_hemorrhage_controlled: bool | None = None
    minor_injuries_only: bool | None = None
    likely_to_survive_given_resources: bool | None = None
    unable_to_walk_developmentally: bool | None = None

    def __post_init__(self) -> None:
        for name in CHECK_ORDER:
            check_finding(name, getattr(self, name))
        if self.breathing is True and self.respiratory_rate_per_min == 0:
            raise InvalidFinding("respiratory_rate_per_min", "0/min contradicts breathing=true")
        # A rate counted on first look means the casualty breathes: the engines would otherwise follow
        # `breathing` and silently drop the rate (START/JumpSTART/SALT all branch on breathing first).
        rr = self.respiratory_rate_per_min
        if self.breathing is False and rr is not None and rr > 0:
            raise InvalidFinding("respiratory_rate_per_min", f"{fmt(rr)}/min contradicts breathing=false")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Findings:
        """Build findings from a mapping such as parsed JSON, rejecting unknown names.

        Args:
            data: Finding name → value; absent names and ``None`` values mean not assessed.

        Returns:
            The validated findings.

        Raises:
            InvalidFinding: For an unknown name (message ``"<name>: unknown finding"``) or any value that
                the constructor rejects.
        """
        known = {f.name for f in dataclasses.fields(cls)}
        for key in data:
            if key not in known:
                raise InvalidFinding(str(key), "unknown finding")
        return cls(**data)  # type: ignore[arg-type]  # each value is type-checked in __post_init__


CHECK_ORDER: tuple[str, ...] = (*_BOOL_FIELDS, *_NUMBER_RANGES, "gcs_motor", "avpu")
"""Every finding's name, in the order :class:`Findings` checks them (so the first error is stable)."""

NUMBER_RANGES: Mapping[str, tuple[float, float, str]] = types.MappingProxyType(_NUMBER_RANGES)
"""Numeric finding -> (lowest, highest, unit): the physiologically possible range, shown in messages."""


def check_finding(name: str, value: object) -> None:
    """Check one finding on its own (type and possible range); ``None`` (not assessed) always passes.

    Args:
        name: A :class:`Findings` field name.
        value: Its value.

    Raises:
        InvalidFinding: ``"<name>: <reason>"`` with the reasons listed in :class:`Findings`.
    """
    if value is None:
        return
    if name in _BOOL_FIELDS:
        if not isinstance(value, bool):
            raise InvalidFinding(name, f"must be true, false or null, not {value!r}")
    elif name in _NUMBER_RANGES:
        _check_number(name, value, *_NUMBER_RANGES[name])
    elif name == "gcs_motor":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidFinding("gcs_motor", f"must be an integer from 1 to 6, not {value!r}")
        if not 1 <= value <= 6:
            raise InvalidFinding("gcs_motor", f"must be between 1 and 6, got {value}")
    elif name == "avpu":
        if value not in AVPU_LEVELS:
            raise InvalidFinding("avpu", f"must be one of A, V, P, U, not {value!r}")
    else:
        raise InvalidFinding(name, "unknown finding")


def _check_number(name: str, value: object, low: float, high: float, unit: str) -> None:
    """Raise :class:`InvalidFinding` unless ``value`` is a finite number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidFinding(name, f"must be a number, not {value!r}")
    if not math.isfinite(value):
        raise InvalidFinding(name, f"must be a finite number, not {value!r}")
    if not low <= value <= high:
        raise InvalidFinding(name, f"must be between {low:g} and {high:g} {unit}, got {value:g}")


def fmt(value: float) -> str:
    """Format a measured number for a rule text: ``34`` not ``34.0``, ``2.1`` stays ``2.1``."""
    return f"{value:g}"


def breathing_status(f: Findings) -> bool | None:
    """Spontaneous breathing: the ``breathing`` finding, else inferred from a given respiratory rate."""
    if f.breathing is not None:
        return f.breathing
    if f.respiratory_rate_per_min is not None:
        return f.respiratory_rate_per_min > 0
    return None
