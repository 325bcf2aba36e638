"""Scenario YAML: the shipped Kazakhstan scenarios validate; every problem is reported with line and path."""

from __future__ import annotations

from datetime import time
from types import MappingProxyType

import pytest

from jedel.core.simulation import (
    DEFAULT_INJURED_PER_DEATH,
    DEFAULT_INJURED_SPLIT,
    AgeMix,
    AirAssetKind,
    CasualtyCounts,
    EarthquakeHazard,
    HazardKind,
    IncidentHazard,
    Point,
    ReleaseWave,
    ScenarioError,
    parse_scenario,
    shipped_scenario,
    shipped_scenario_names,
)

SHIPPED = (
    "almaty_bishkek_bus_crash",
    "almaty_earthquake_night",
    "atyrau_refinery_blast",
    "petropavl_spring_flood",
    "shymkent_market_explosion",
)

# A valid incident scenario; the tests below change one line of it. Line numbers are in the comments.
BASE = """\
name: Test crash
time_of_day: "17:40"
hazard:
  kind: transport_crash
  location: {lat: 43.13, lon: 75.52}
  casualties: {immediate: 6, delayed: 10, minimal: 22, dead: 4}
  age_mix: {child: 0.1, adult: 0.8, older: 0.1}
release:
  - {minutes: 0, share: 0.5}
  - {minutes: 20, share: 0.5}
ambulances:
  - {station: Korday, lat: 43.04, lon: 74.71, count: 2}
hospitals:
  from_registry: true
"""
#   1 name            6 casualties       11 ambulances
#   2 time_of_day     7 age_mix          12 - station Korday
#   3 hazard          8 release          13 hospitals
#   4 kind            9 - wave 0         14 from_registry
#   5 location       10 - wave 1

QUAKE = """\
name: Test quake
time_of_day: 02:30
hazard:
  kind: earthquake
  epicentre: {lat: 43.1, lon: 76.8}
  magnitude: 7.3
  depth_km: 20
release:
  - {minutes: 0, share: 1}
ambulances:
  - {station: Almaty, lat: 43.25, lon: 76.91, count: 10}
hospitals:
  - code: H1
    lat: 43.25
    lon: 76.9
    beds: {MedicalSurgical: 100, AdultICU: 5}
    damage: 0.25
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, source="t.yaml")
    return str(info.value).splitlines()


def _changed(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1
    return text.replace(old, new)


def test_the_five_shipped_scenarios_are_listed_and_validate() -> None:
    assert shipped_scenario_names() == SHIPPED
    kinds = {name: shipped_scenario(name).hazard.kind for name in SHIPPED}
    assert kinds == {
        "almaty_bishkek_bus_crash": HazardKind.TRANSPORT_CRASH,
        "almaty_earthquake_night": HazardKind.EARTHQUAKE,
        "atyrau_refinery_blast": HazardKind.EXPLOSION,
        "petropavl_spring_flood": HazardKind.FLOOD,
        "shymkent_market_explosion": HazardKind.EXPLOSION,
    }


def test_almaty_scenario_values() -> None:
    s = shipped_scenario("almaty_earthquake_night")
    assert s.time_of_day == time(2, 30)
    assert s.hazard == EarthquakeHazard(
        epicentre=Point(43.1, 76.8), magnitude=7.3, depth_km=20.0, injured_per_death=3.0,
        injured_split=DEFAULT_INJURED_SPLIT,
    )
    assert [w.share for w in s.release] == [0.35, 0.25, 0.20, 0.12, 0.08]
    assert sum(a.count for a in s.ambulances) == 64
    assert [(a.kind, a.count) for a in s.air_assets] == [
        (AirAssetKind.HELICOPTER, 2), (AirAssetKind.FIXED_WING, 1)]
    assert s.hospitals.from_registry and s.hospitals.hospitals == ()


def test_shipped_incident_casualties() -> None:
    hazard = shipped_scenario("shymkent_market_explosion").hazard
    assert isinstance(hazard, IncidentHazard)
    assert hazard.casualties == CasualtyCounts(immediate=18, delayed=35, minimal=90, dead=12)
    assert hazard.casualties.total == 155
    flood = shipped_scenario("petropavl_spring_flood")
    assert [(h.code, h.damage) for h in flood.hospitals.hospitals] == [
        ("NKO-REGIONAL", 0.0), ("PETROPAVL-CITY", 0.3), ("NKO-CHILDREN", 0.0)]


def test_unknown_shipped_name() -> None:
    with pytest.raises(KeyError, match="no shipped scenario 'nowhere'"):
        shipped_scenario("nowhere")


def test_base_parses_to_the_expected_dataclasses() -> None:
    s = parse_scenario(BASE)
    assert s.name == "Test crash" and s.description == ""
    assert s.hazard == IncidentHazard(
        kind=HazardKind.TRANSPORT_CRASH, location=Point(43.13, 75.52),
        casualties=CasualtyCounts(6, 10, 22, 4), age_mix=AgeMix(child=0.1, adult=0.8, older=0.1),
    )
    assert s.release == (ReleaseWave(0.0, 0.5), ReleaseWave(20.0, 0.5))
    assert s.air_assets == ()


def test_earthquake_defaults_unquoted_time_and_listed_hospitals() -> None:
    s = parse_scenario(QUAKE)
    assert s.time_of_day == time(2, 30)  # YAML 1.1 reads 02:30 as the number 150; the text is used
    assert isinstance(s.hazard, EarthquakeHazard)
    assert s.hazard.injured_per_death == DEFAULT_INJURED_PER_DEATH
    assert s.hazard.injured_split == DEFAULT_INJURED_SPLIT
    h = s.hospitals.hospitals[0]
    assert not s.hospitals.from_registry
    assert (h.code, h.location, h.damage) == ("H1", Point(43.25, 76.9), 0.25)
    assert h.beds_by_type == MappingProxyType({"MedicalSurgical": 100, "AdultICU": 5})


def test_wrong_type() -> None:
    text = _changed("magnitude: 7.3", 'magnitude: "seven"', QUAKE)
    assert _problems(text) == ["t.yaml:6: hazard.magnitude: must be a number"]


def test_missing_field_is_reported_on_the_line_of_its_mapping() -> None:
    text = _changed("  depth_km: 20\n", "", QUAKE)
    assert _problems(text) == ["t.yaml:3: hazard.depth_km: required"]
    text = _changed(", dead: 4}", "}")
    assert _problems(text) == ["t.yaml:6: hazard.casualties.dead: required"]


def test_release_shares_not_summing_to_one() -> None:
    text = _changed("{minutes: 20, share: 0.5}", "{minutes: 20, share: 0.4}")
    assert _problems(text) == ["t.yaml:8: release: shares must sum to 1, got 0.9"]


def test_release_waves_must_move_forward_in_time() -> None:
    text = _changed("{minutes: 20, share: 0.5}", "{minutes: 0, share: 0.5}")
    assert _problems(text) == ["t.yaml:10: release[1].minutes: must be later than the previous wave (0 min)"]


def test_unknown_hazard() -> None:
    text = _changed("kind: transport_crash", "kind: tsunami")
    assert _problems(text) == [
        "t.yaml:4: hazard.kind: must be one of earthquake, explosion, transport_crash, building_collapse, "
        "flood, not 'tsunami'"
    ]


def test_latitude_out_of_range() -> None:
    text = _changed("{lat: 43.13, lon: 75.52}", "{lat: 143.2, lon: 75.52}")
    assert _problems(text) == ["t.yaml:5: hazard.location.lat: must be in -90..90, got 143.2"]


def test_every_problem_is_collected_in_line_order() -> None:
    text = (BASE.replace('"17:40"', "25:00")
            .replace("adult: 0.8", "adult: 0.9")
            .replace("count: 2}", "count: 0}")
            .replace("from_registry: true", "from_registry: false")
            + "weather: rain\n")
    assert _problems(text) == [
        "t.yaml:2: time_of_day: must be a time \"HH:MM\" (00:00..23:59), got '25:00'",
        "t.yaml:7: hazard.age_mix: shares must sum to 1, got 1.1",
        "t.yaml:12: ambulances[0].count: must be >= 1, got 0",
        "t.yaml:14: hospitals.from_registry: must be true (or give hospitals as a list)",
        "t.yaml:15: weather: unknown field",
    ]


def test_earthquake_fields_are_not_mixed_with_incident_fields() -> None:
    text = _changed("  depth_km: 20\n", "  depth_km: 20\n  casualties: {dead: 1}\n", QUAKE)
    assert _problems(text) == ["t.yaml:8: hazard.casualties: unknown field"]


def test_integers_and_booleans() -> None:
    text = _changed("immediate: 6,", "immediate: 6.5,")
    assert _problems(text) == ["t.yaml:6: hazard.casualties.immediate: must be an integer"]
    text = _changed("lon: 75.52", "lon: true")
    assert _problems(text) == ["t.yaml:5: hazard.location.lon: must be a number"]


def test_no_casualties_at_all() -> None:
    text = _changed("{immediate: 6, delayed: 10, minimal: 22, dead: 4}",
                    "{immediate: 0, delayed: 0, minimal: 0, dead: 0}")
    assert _problems(text) == ["t.yaml:6: hazard.casualties: must count at least one casualty"]


def test_hospital_list_problems() -> None:
    text = (_changed("AdultICU: 5}", "ICU: 5}", QUAKE)
            .replace("damage: 0.25", "damage: 1.5")
            + "  - code: H1\n    lat: 43.2\n    lon: 76.8\n    beds: {Burn: 4}\n")
    assert _problems(text) == [
        "t.yaml:16: hospitals[0].beds.ICU: unknown field",
        "t.yaml:17: hospitals[0].damage: must be in 0..1, got 1.5",
        "t.yaml:18: hospitals[1].code: duplicate code 'H1'",
    ]


def test_unquoted_comma_in_a_flow_mapping_is_caught() -> None:
    # "{station: Almaty EMS, Auezov district, ...}" is two keys in YAML: the stray one is reported.
    text = _changed("station: Korday,", "station: Korday EMS, Zhambyl district,")
    assert _problems(text) == ["t.yaml:12: ambulances[0].Zhambyl district: unknown field"]


def test_duplicate_key() -> None:
    text = BASE + "name: Other\n"
    assert _problems(text) == ["t.yaml:15: name: duplicate key"]


def test_not_yaml_and_not_a_mapping() -> None:
    assert _problems("name: [unclosed\n") == [
        "t.yaml:2: scenario: not valid YAML: expected ',' or ']', but got '<stream end>'"]
    assert _problems("- a\n- b\n") == ["t.yaml:1: scenario: must be a mapping"]
    assert _problems("") == ["t.yaml:1: scenario: must be a mapping"]


def test_error_carries_structured_problems() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(_changed("kind: transport_crash", "kind: tsunami"), source="t.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.path) == (4, "hazard.kind")
    assert info.value.source == "t.yaml"
