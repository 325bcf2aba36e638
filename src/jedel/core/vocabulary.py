"""Jedel's one vocabulary: triage categories and hospital capabilities, defined once for every layer.

The engines (:mod:`jedel.core.triage`, :mod:`jedel.core.distribution`), the JSON formats
(:mod:`jedel.core.distribution.schema`, :mod:`jedel.core.triage.io`) and the Django registry all use these
values. Every enum here is a ``StrEnum`` whose values are the plain strings stored in the database and sent
over the API, so ``models.CharField(choices=[(c.value, label) for c in Capability])`` keeps one spelling.

Old spellings are accepted only where a published format had them, through the explicit alias tables
below (:data:`CAPABILITY_ALIASES`): an alias is *mapped* to its canonical member, never silently dropped,
and an unknown word is an error.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from enum import StrEnum


class TriageCategory(StrEnum):
    """Triage category of one casualty, as assigned by START, JumpSTART and SALT (tag colours).

    Members, in order of decreasing chance of walking away (the START/SALT tag order):

    * ``minimal`` (green): walking wounded; minor injuries, can wait hours (START: walks when directed).
    * ``delayed`` (yellow): serious but stable; needs care, not within the hour (START: breathing, RR
      ≤ 30/min, radial pulse or capillary refill ≤ 2 s, obeys commands).
    * ``immediate`` (red): life-threatening but salvageable with prompt care (START: RR > 30/min, no radial
      pulse / refill > 2 s, or does not obey commands; breathes only after airway opening).
    * ``expectant`` (grey): SALT only; alive but unlikely to survive given the resources available now
      (Lerner et al. Disaster Med Public Health Prep 2008;2 Suppl 1:S25-34). Re-triaged when resources
      allow. Never called «неотложные» in Russian (see the shared glossary).
    * ``dead`` (black): not breathing after airway opening (and, in JumpSTART, after 5 rescue breaths).
      Original START and JumpSTART use one black "deceased/expectant" tag; Jedel records it as ``dead``.

    Sources: Benson, Koenig, Schultz. Prehosp Disaster Med 1996;11(2):117-124 (START); Romig. JEMS
    2002;27(7):52-63 (JumpSTART); Lerner et al. 2008 (SALT).
    """

    MINIMAL = "minimal"
    DELAYED = "delayed"
    IMMEDIATE = "immediate"
    EXPECTANT = "expectant"
    DEAD = "dead"


class CareCategory(StrEnum):
    """Triage categories that receive care: the four that hospitals declare receiving capacity for.

    Values equal :class:`TriageCategory`'s; ``dead`` is not a member because the dead are never
    distributed. The member order (immediate, delayed, minimal, expectant: priority of treatment) is the
    column order of capacity arrays and of every per-category JSON object (``capacity``, ``loads``).
    """

    IMMEDIATE = TriageCategory.IMMEDIATE.value
    DELAYED = TriageCategory.DELAYED.value
    MINIMAL = TriageCategory.MINIMAL.value
    EXPECTANT = TriageCategory.EXPECTANT.value


class Capability(StrEnum):
    """What a hospital can do that a casualty may need; the registry's capability names.

    A casualty's *needs* are capabilities its receiving hospital must have (a hard constraint of
    :func:`jedel.core.distribution.solve`). The Django registry stores each as a boolean ``has_<value>``
    on the facility.

    * ``burns``: burns unit (ожоговое отделение) that admits major burns.
    * ``paediatric_surgery``: paediatric surgical care (children's hospital or paediatric surgical
      department); the need of an injured child. Formerly ``paediatric`` in the distribution JSON.
    * ``neurosurgery``: neurosurgery on site (head and spinal injury).
    * ``cath_lab``: cardiac catheterisation laboratory (PCI for acute coronary syndrome).
    * ``obstetric``: obstetric unit (maternity / perinatal centre).
    * ``dialysis``: haemodialysis (crush syndrome, acute kidney injury).
    * ``helipad``: helicopter landing site at the hospital (air-ambulance delivery without a road leg).
    * ``ct``: computed tomography available for emergencies.
    * ``mri``: magnetic resonance imaging.
    * ``laboratory``: clinical laboratory for emergency tests.
    """

    BURNS = "burns"
    PAEDIATRIC_SURGERY = "paediatric_surgery"
    NEUROSURGERY = "neurosurgery"
    CATH_LAB = "cath_lab"
    OBSTETRIC = "obstetric"
    DIALYSIS = "dialysis"
    HELIPAD = "helipad"
    CT = "ct"
    MRI = "mri"
    LABORATORY = "laboratory"


Need = Capability
"""A casualty's need is the capability its hospital must have: the same enum, the same values."""

CAPABILITY_ALIASES: Mapping[str, Capability] = types.MappingProxyType(
    {
        # The first distribution JSON format (jedel distribute, 2026) named the need "paediatric".
        "paediatric": Capability.PAEDIATRIC_SURGERY,
    }
)
"""Old capability / need names still accepted in JSON input, and the member each one means."""


def parse_capability(value: object, *, what: str = "capability", aliases: bool = True) -> Capability:
    """The :class:`Capability` named by ``value`` (a member or its string value).

    Args:
        value: a member, or a string: a canonical value or (with ``aliases``) a key of
            :data:`CAPABILITY_ALIASES`.
        what: the word used in the error message (``"need"`` or ``"capability"``).
        aliases: accept the old names of :data:`CAPABILITY_ALIASES`.

    Raises:
        ValueError: ``"unknown <what> 'x' (expected one of burns, ...)"``; for an alias when aliases are
            off, the message names the canonical value.
    """
    text = str(value.value) if isinstance(value, StrEnum) else value
    if isinstance(text, str):
        if text in Capability._value2member_map_:
            return Capability(text)
        if text in CAPABILITY_ALIASES:
            if aliases:
                return CAPABILITY_ALIASES[text]
            raise ValueError(f"unknown {what} {text!r}: the name is now {CAPABILITY_ALIASES[text].value!r}")
    known = ", ".join(c.value for c in Capability)
    raise ValueError(f"unknown {what} {value!r} (expected one of {known})")
