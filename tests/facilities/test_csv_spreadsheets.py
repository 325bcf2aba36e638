"""The facility CSV as spreadsheets meet it (issue 7): formula-looking cells escaped on export (OWASP CSV
injection), Excel's Russian defaults (semicolon, decimal comma, Windows-1251) read, a file that is neither
UTF-8 nor Windows-1251 refused with how to save it, and error lists capped with the count of all."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.facilities.io import ImportFailed
from jedel.facilities.io.csv_format import COLUMNS, facilities_export_csv, facilities_import_csv
from jedel.facilities.models import Facility
from jedel.facilities.selectors import facility_list
from tests.capacity.capacity_helpers import make_user

NATIONAL = Principal(label="ncc", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)
HEADER = ",".join(COLUMNS)


def test_formula_cells_are_escaped_on_export_and_restored_on_import(kz):
    # Names as an attacker would register them; the CSV quotes them as needed.
    rows = [
        'ALA-1,"=HYPERLINK(""http://evil.example"",""x"")",+7 727,-1,city_hospital,,KZ-75,,43.25,76.95,,,240,false',
        "ALA-2,@SUM(A1),'=escaped in the file,x,city_hospital,,KZ-75,,43.2,76.9,,,240,false",
        "ALA-3,Normal Hospital,Аурухана,Больница,city_hospital,,KZ-75,,43.3,76.8,,,240,false",
    ]
    facilities_import_csv(HEADER + "\n" + "\n".join(rows) + "\n", actor=NATIONAL)
    stored = Facility.objects.get(code="ALA-1")
    assert (stored.name_en, stored.name_kk, stored.name_ru) == ('=HYPERLINK("http://evil.example","x")', "+7 727",
                                                                "-1")
    assert Facility.objects.get(code="ALA-2").name_kk == "=escaped in the file"
    # Values no CSV import can give (leading tab; an apostrophe that is part of the name), set directly.
    Facility.objects.filter(code="ALA-2").update(name_kk="'=apostrophe in the name", name_ru="\tTab")
    exported = facilities_export_csv(facility_list())
    assert exported.splitlines()[1:] == [
        'ALA-1,"\'=HYPERLINK(""http://evil.example"",""x"")",\'+7 727,\'-1,city_hospital,public,KZ-75,,43.25,'
        "76.95,,,240,false",
        "ALA-2,'@SUM(A1),''=apostrophe in the name,'\tTab,city_hospital,public,KZ-75,,43.2,76.9,,,240,false",
        "ALA-3,Normal Hospital,Аурухана,Больница,city_hospital,public,KZ-75,,43.3,76.8,,,240,false",
    ]
    Facility.objects.all().delete()
    facilities_import_csv(exported, actor=NATIONAL)
    assert Facility.objects.get(code="ALA-1").name_en == '=HYPERLINK("http://evil.example","x")'
    assert Facility.objects.get(code="ALA-2").name_kk == "'=apostrophe in the name"
    assert Facility.objects.get(code="ALA-2").name_ru == "\tTab"
    assert facilities_export_csv(facility_list()) == exported


def test_excel_russian_defaults_semicolon_decimal_comma_windows_1251_are_read(kz):
    text = (";".join(COLUMNS) + "\r\n"
            "ALA-1;Городская больница;;Городская больница № 1;city_hospital;;KZ-75;;43,25;76,95;;ct;240;false\r\n"
            '"ALA-2";"Burns; Centre";;Ожоговый центр;burns;private;KZ-75;;43,2;76,9;2;burns;240;false\r\n')
    result = facilities_import_csv(text.encode("cp1251"), actor=NATIONAL)
    assert (result.created, result.updated) == (2, 0)
    one, two = Facility.objects.order_by("code")
    assert (one.name_en, one.name_ru, one.lat, one.lon, one.capabilities) == (
        "Городская больница", "Городская больница № 1", 43.25, 76.95, ["ct"])
    assert (two.name_en, two.name_ru, two.ownership, two.trauma_level) == ("Burns; Centre", "Ожоговый центр",
                                                                            "private", 2)


def test_a_file_in_neither_utf8_nor_windows_1251_says_how_to_save_it(kz):
    with pytest.raises(ImportFailed) as exc:
        facilities_import_csv((HEADER + "\nX,Caf\xe9").encode("latin-1"), actor=NATIONAL)
    [issue] = exc.value.issues
    assert (issue.code.value, issue.message) == (
        "bad_encoding", f"neither UTF-8 nor Windows-1251 text (byte {len(HEADER) + 6}); in Excel use File → "
                        'Save As → "CSV UTF-8 (Comma delimited)"')


def _bad_file(n: int) -> str:
    return HEADER + "\n" + "".join(f"B-{i},X,,,city_hospital,,KZ-75,,60.1,76.9,,,240,false\n" for i in range(n))


def test_error_lists_are_capped_at_100_with_the_count_of_all(kz):
    with pytest.raises(ImportFailed) as exc:
        facilities_import_csv(_bad_file(150), actor=NATIONAL)
    body = exc.value.as_dict()
    assert len(exc.value.issues) == 150
    assert (len(body["detail"]), body["error_count"]) == (100, 150)
    assert body["detail"][-1]["loc"] == ["line", 101, "lat"]
    assert body["more"] == "… and 50 more problems (150 in all)."
    with pytest.raises(ImportFailed) as few:
        facilities_import_csv(_bad_file(2), actor=NATIONAL)
    assert few.value.as_dict() == {"detail": few.value.as_dict()["detail"], "error_count": 2}


def test_the_api_and_cli_cap_the_list_too(kz, tmp_path):
    client = Client()
    client.force_login(make_user("ncc", Role.NATIONAL_COORDINATOR))
    response = client.post("/api/facilities/import", data=_bad_file(120), content_type="text/csv")
    body = json.loads(response.content)
    assert (response.status_code, len(body["detail"]), body["error_count"]) == (422, 100, 120)
    from tests.cli.test_facilities_cli import invoke

    path = tmp_path / "bad.csv"
    path.write_text(_bad_file(120), encoding="utf-8")
    out = invoke("import", "facilities", str(path))
    lines = out.stderr.splitlines()
    assert out.exit_code == 2
    assert lines[99] == "line 101: lat: must be between 40 and 56"
    assert lines[100:] == ["… and 20 more problems (120 in all).", "error: 120 problem(s); nothing was imported"]
