"""The one vocabulary: exact values, shared by triage, distribution and the registry."""

from __future__ import annotations

import pytest

from jedel.core import vocabulary
from jedel.core.distribution import Casualty, Hospital
from jedel.core.survival import CareCategory as SurvivalCareCategory
from jedel.core.triage import Category
from jedel.core.vocabulary import (
    CAPABILITY_ALIASES,
    Capability,
    CareCategory,
    Need,
    TriageCategory,
    parse_capability,
)

REGISTRY_CAPABILITIES = [
    "burns",
    "paediatric_surgery",
    "neurosurgery",
    "cath_lab",
    "obstetric",
    "dialysis",
    "helipad",
    "ct",
    "mri",
    "laboratory",
]


def test_capabilities_are_the_registry_names_in_order() -> None:
    assert [c.value for c in Capability] == REGISTRY_CAPABILITIES
    assert Need is Capability
    assert all(type(c.value) is str for c in Capability)


def test_categories_are_defined_once() -> None:
    assert [c.value for c in TriageCategory] == ["minimal", "delayed", "immediate", "expectant", "dead"]
    assert [c.value for c in CareCategory] == ["immediate", "delayed", "minimal", "expectant"]
    assert Category is TriageCategory  # the triage engines' enum
    assert SurvivalCareCategory is CareCategory  # the distribution engine's enum
    assert {c.value for c in CareCategory} == {c.value for c in TriageCategory} - {"dead"}
    assert CareCategory("immediate") == TriageCategory.IMMEDIATE == "immediate"


def test_alias_table_is_explicit() -> None:
    assert dict(CAPABILITY_ALIASES) == {"paediatric": Capability.PAEDIATRIC_SURGERY}
    with pytest.raises(TypeError):
        vocabulary.CAPABILITY_ALIASES["paed"] = Capability.BURNS  # type: ignore[index]


def test_parse_capability() -> None:
    assert parse_capability("ct") is Capability.CT
    assert parse_capability(Capability.MRI) is Capability.MRI
    assert parse_capability("paediatric") is Capability.PAEDIATRIC_SURGERY
    with pytest.raises(ValueError, match=r"^unknown need 'paediatric': the name is now 'paediatric_surgery'"):
        parse_capability("paediatric", what="need", aliases=False)
    with pytest.raises(ValueError) as info:
        parse_capability("xray")
    assert str(info.value) == (
        "unknown capability 'xray' (expected one of burns, paediatric_surgery, neurosurgery, cath_lab, "
        "obstetric, dialysis, helipad, ct, mri, laboratory)"
    )
    with pytest.raises(ValueError, match=r"^unknown need 3 \(expected one of burns, "):
        parse_capability(3, what="need")


def test_engine_uses_registry_names() -> None:
    kid = Casualty("kid", "S1", "delayed", needs=frozenset({"paediatric_surgery", Capability.CT}))
    assert kid.needs == frozenset({Capability.PAEDIATRIC_SURGERY, Capability.CT})
    assert Hospital("h", capabilities=frozenset(REGISTRY_CAPABILITIES)).capabilities == frozenset(Capability)
    with pytest.raises(ValueError) as info:
        Casualty("kid", "S1", "delayed", needs=frozenset({"paediatric"}))
    assert str(info.value) == "needs: unknown need 'paediatric': the name is now 'paediatric_surgery'"
