"""Instrument files: the shipped ones load; bad files are refused with line-numbered errors and nothing written."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from jedel.cli.main import app
from jedel.common.errors import ValidationFailed
from jedel.preparedness.instrument_files import parse_instrument
from jedel.preparedness.models import Instrument, InstrumentItem, InstrumentSection
from jedel.preparedness.services.instruments import instruments_load
from tests.preparedness.conftest import shipped_files


def test_shipped_instruments_load_with_their_modules_items_and_weights(instruments):
    hsi = instruments["hsi"]
    assert (hsi.code, hsi.version) == ("who-hsi-2015", "2015-jedel.2")
    sections = list(InstrumentSection.objects.filter(instrument=hsi).values_list("code", "weight"))
    assert sections == [("2", 0.5), ("3", 0.3), ("4", 0.2)]
    # 14 structural items (1-14), 12 provisional non-structural, 42 recalled management items.
    assert [InstrumentItem.objects.filter(instrument=hsi, section__code=c).count() for c in "234"] == [14, 12, 42]
    item2 = InstrumentItem.objects.get(instrument=hsi, code="2")
    assert (item2.weight, item2.hazard, item2.status, item2.group_code) == (12.5, "A", "confirmed", "2.1")
    assert item2.ratings["low"] == "Current safety standards not applied"
    herc = instruments["herp_checklist"]
    assert (herc.code, herc.version) == ("who-euro-herc-2011", "2011-jedel.2")
    assert InstrumentSection.objects.filter(instrument=herc).count() == 9
    assert InstrumentItem.objects.filter(instrument=herc).count() == 52
    assert InstrumentItem.objects.filter(instrument=herc, evidence_required=False).count() == 0


def test_loading_the_same_files_again_changes_nothing(instruments):
    again = instruments_load(shipped_files())
    assert [r.created for r in again] == [False, False, False, False]
    assert Instrument.objects.count() == 4
    # v1 and v2 of each instrument; the later version stays the current one.
    assert list(Instrument.objects.filter(current=True).order_by("code").values_list("code", "version")) == [
        ("who-euro-herc-2011", "2011-jedel.2"), ("who-hsi-2015", "2015-jedel.2")]


def test_an_installation_with_v1_gets_v2_as_current_and_keeps_v1(db):
    v1 = [(name, text) for name, text in shipped_files() if name.endswith(".v1.json")]
    assert [r.created for r in instruments_load(v1)] == [True, True]
    upgrade = instruments_load(shipped_files())
    assert [(r.instrument.version, r.created) for r in upgrade] == [
        ("2011-jedel.1", False), ("2011-jedel.2", True), ("2015-jedel.1", False), ("2015-jedel.2", True)]
    assert list(Instrument.objects.order_by("code", "version").values_list("version", "current")) == [
        ("2011-jedel.1", False), ("2011-jedel.2", True), ("2015-jedel.1", False), ("2015-jedel.2", True)]


def _bad_hsi() -> str:
    text = dict(shipped_files())["who-hsi-2015.v1.json"]
    doc = json.loads(text)
    doc["version"] = "2015-test.2"
    doc["modules"][0]["submodules"][0]["items"][1]["weight"] = -3
    doc["modules"][1]["weight"] = 0.4   # module weights now sum to 1.1
    return json.dumps(doc, indent=1)


def test_errors_carry_line_and_field_path():
    _, errors = parse_instrument(_bad_hsi())
    assert [(e.path, e.reason) for e in errors] == [
        (".modules[0].submodules[0].items[1].weight", "must be a number > 0 and <= 100"),
        (".modules", "module weights sum to 1.1, not 1"),
    ]
    # The weight of item 2 is on line 40 of the file as written above (counted in the text itself).
    text = _bad_hsi()
    assert errors[0].line == text[:text.index('"weight": -3')].count("\n") + 1 == 40


def test_syntax_error_names_its_line():
    _, errors = parse_instrument('{\n "format": "jedel.instrument/1",\n "kind": hsi\n}')
    assert (errors[0].line, errors[0].path) == (3, "(file)")


def test_one_bad_file_means_nothing_is_loaded(db):
    good = shipped_files()[0]
    with pytest.raises(ValidationFailed) as refused:
        instruments_load([good, ("bad.json", _bad_hsi())])
    assert refused.value.code.value == "bad_instrument"
    assert [e["loc"][0] for e in refused.value.errors] == ["bad.json", "bad.json"]
    assert Instrument.objects.count() == 0 and InstrumentItem.objects.count() == 0


def test_same_version_with_other_content_is_refused(instruments):
    doc = json.loads(dict(shipped_files())["who-hsi-2015.v1.json"])
    doc["title"] = "Changed title"
    with pytest.raises(ValidationFailed) as refused:
        instruments_load([("changed.json", json.dumps(doc))])
    assert refused.value.errors[0]["loc"] == ["changed.json", 1, ".version"]


def test_a_new_version_becomes_current_and_the_old_one_stays(instruments):
    doc = json.loads(dict(shipped_files())["who-hsi-2015.v2.json"])
    doc["version"] = "2015-jedel.3"
    instruments_load([("v3.json", json.dumps(doc))])
    assert list(Instrument.objects.filter(code="who-hsi-2015").order_by("pk").values_list("version", "current")) == [
        ("2015-jedel.1", False), ("2015-jedel.2", False), ("2015-jedel.3", True)]


def test_cli_loads_the_shipped_files_and_reports_bad_lines(db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["preparedness", "load-instruments"])
    assert result.exit_code == 0, result.output
    assert "who-hsi-2015 2015-jedel.1: loaded (68 items)" in result.output
    assert "who-hsi-2015 2015-jedel.2: loaded (68 items)" in result.output
    assert "who-euro-herc-2011 2011-jedel.1: loaded (52 items)" in result.output
    assert "who-euro-herc-2011 2011-jedel.2: loaded (52 items)" in result.output
    assert Instrument.objects.get(code="who-hsi-2015", current=True).version == "2015-jedel.2"
    bad = tmp_path / "bad.json"
    bad.write_text(_bad_hsi(), encoding="utf-8")
    checked = runner.invoke(app, ["preparedness", "load-instruments", "--check", str(bad)])
    assert checked.exit_code == 2
    assert "error: bad.json: line 40: .modules[0].submodules[0].items[1].weight: must be a number > 0" in checked.output
    loaded = runner.invoke(app, ["preparedness", "load-instruments", str(bad)])
    assert loaded.exit_code == 2
    assert "error: nothing was loaded" in loaded.output
    assert Instrument.objects.filter(version="2015-test.2").count() == 0
