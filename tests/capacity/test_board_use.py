"""The board as people use it (issue 7): numbers inside SVG in Russian, facts of a facility that never
reported, bookmarkable table state, KPI links, unknown regions, the map's classes and the form's error summary."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from tests.capacity.capacity_helpers import NATIONAL, make_facility, make_user, report

from jedel.common.clock import utcnow
from jedel.capacity.services.reports import report_submit

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def almaty(kz):
    """Almaty: A reported twice in the last day (so the chart has steps); N never reported."""
    now = utcnow()
    a = make_facility(kz["KZ-75"], "ALA-A")
    report_submit(actor=NATIONAL, facility=a, source="web",
                  data=report(now, minutes_ago=13 * 60 + 7, bed_rows=(("AdultICU", 10, 7), ("MedicalSurgical", 97, 60))))
    report_submit(actor=NATIONAL, facility=a, source="web",
                  data=report(now, minutes_ago=95, bed_rows=(("AdultICU", 10, 3), ("MedicalSurgical", 97, 71))))
    never = make_facility(kz["KZ-75"], "ALA-N")
    return {"A": a, "N": never, "kz": kz}


def _viewer(client, kz, language="en"):
    client.force_login(make_user("viewer", "viewer"))
    client.cookies["django_language"] = language


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_facility_chart_coordinates_are_plain_numbers_in_every_language(client, almaty, language):
    _viewer(client, almaty["kz"], language)
    html = client.get(reverse("facilities:detail", args=["ALA-A"])).content.decode()
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", html, re.DOTALL).group(0))
    numbers: list[str] = svg.get("viewBox").split()
    for el in svg.iter():
        for attr in ("x", "y", "x1", "x2", "y1", "y2"):
            if el.get(attr) is not None:
                numbers.append(el.get(attr))
        if el.tag == f"{SVG}polyline":
            numbers += [n for point in el.get("points").split() for n in point.split(",")]
    assert len(numbers) > 40 and not [n for n in numbers if not re.fullmatch(r"-?\d+(\.\d+)?", n)]
    # Some of them are fractional: the test would pass vacuously on whole numbers only.
    assert any("." in n for n in numbers)


@pytest.mark.parametrize("language, expected", [("en", "Not reported"), ("ru", "Не указано")])
def test_a_facility_that_never_reported_shows_not_reported_for_its_equipment(client, almaty, language, expected):
    _viewer(client, almaty["kz"], language)
    html = client.get(reverse("facilities:detail", args=["ALA-N"])).content.decode()
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", html))
    ct, xray = {"en": ("CT scanner", "X-ray"), "ru": ("Компьютерный томограф", "Рентген")}[language]
    assert (facts[ct], facts[xray]) == (expected, expected)


def test_an_unknown_region_is_404_and_a_known_empty_one_is_not(client, almaty):
    _viewer(client, almaty["kz"])
    assert client.get(reverse("board:region", args=["KZ-99"])).status_code == 404
    assert client.get(reverse("board:region", args=["<script>"])).status_code == 404
    empty = client.get(reverse("board:region", args=["KZ-10"]))
    assert empty.status_code == 200 and "No active facility in this region." in empty.content.decode()


def test_kpi_cards_link_to_their_lists(client, almaty):
    _viewer(client, almaty["kz"])
    html = client.get(reverse("board:totals")).content.decode()
    links = dict((k, v.replace("&amp;", "&")) for v, k in re.findall(r'<a class="kpi[^"]*" href="([^"]+)"[^>]*>\s*'
                                                                      r'<span class="kpi-value" data-kpi="(\w+)"', html))
    assert links == {"available": "/?sort=-available#facilities", "occupancy": "/#board-regions",
                     "icu": "/?sort=-icu#facilities", "reporting": "/?sort=updated#facilities",
                     "overdue": "/?overdue=on#facilities", "diversion": "/?sort=ed#facilities"}
    board = client.get("/?overdue=on").content.decode()
    assert 'id="facilities"' in board and 'id="board-regions"' in board
    assert re.findall(r'data-code="([^"]+)"', board) == ["ALA-N"]


def test_the_first_click_on_a_figure_column_shows_the_most_first(client, almaty):
    _viewer(client, almaty["kz"])
    html = client.get(f"{reverse('board:table')}?sort=kind").content.decode().replace("&amp;", "&")
    first_click = dict(re.findall(r'<a href="/\?[^"]*?sort=(-?)(\w+)"', html)[i][::-1] for i in range(9))
    # "kind" is the current sort: its header reverses it.
    assert first_click == {"name": "", "region": "", "kind": "-", "ed": "", "available": "-", "icu": "-",
                           "occupancy": "-", "ventilators": "-", "updated": ""}
    # Clicking again reverses it.
    again = client.get(f"{reverse('board:table')}?sort=-available").content.decode().replace("&amp;", "&")
    assert 'href="/?sort=available"' in again


def test_the_table_page_is_in_the_address(client, kz):
    client.force_login(make_user("viewer", "viewer"))
    for i in range(105):
        make_facility(kz["KZ-10"], f"ABA-{i:03}")
    first = client.get(reverse("board:table"), {"region": "KZ-10"}).content.decode().replace("&amp;", "&")
    assert 'href="/?region=KZ-10&sort=region&page=2"' in first
    second = client.get(f"{reverse('board:table')}?region=KZ-10&sort=region&page=2",
                        headers={"HX-Request": "true"})
    assert second["HX-Push-Url"] == "/?region=KZ-10&sort=region&page=2"
    assert re.findall(r'data-code="([^"]+)"', second.content.decode()) == [f"ABA-{i:03}" for i in range(100, 105)]
    # The bookmarked address renders the same page without htmx.
    page = client.get("/?region=KZ-10&sort=region&page=2").content.decode()
    assert re.findall(r'data-code="([^"]+)"', page) == [f"ABA-{i:03}" for i in range(100, 105)]


def test_occupancy_classes_separate_the_regions_into_fifths():
    from jedel.capacity.views.board_data import occupancy_classes

    values = [76.5, 77.0, 77.5, 78.1, 78.6, 79.0, 79.2, 79.8, 80.1, 80.3, 81.0, 81.2, 81.5, 82.0, 82.4, 83.0, 84.1,
              85.2, 86.0, 87.0]
    # Class boundaries at the 4th, 8th, 12th and 16th of the 20 sorted values (four regions per class).
    assert occupancy_classes(values) == [76.5, 78.6, 80.1, 81.5, 84.1, 87.0]
    assert occupancy_classes([80.0] * 20) == [80.0, 80.0]
    assert occupancy_classes([]) == []
    assert occupancy_classes([40.0, 90.0]) == [40.0, 90.0, 90.0]


def test_map_json_carries_the_classes(client, almaty):
    _viewer(client, almaty["kz"])
    data = client.get(reverse("board:map_data")).json()
    pct = round(100 * (3 + 71) / 107, 1)  # A's current report: the only region with figures
    assert data["occupancy_classes"] == [pct, pct]


def _bad_report(**overrides):
    data = {"reported_at": (utcnow() - timedelta(minutes=1)).astimezone().strftime("%Y-%m-%dT%H:%M"),
            "ed_status": "closed", "ed_status_reason": "", "oxygen_status": "adequate",
            "beds-TOTAL_FORMS": "2", "beds-INITIAL_FORMS": "2", "beds-MIN_NUM_FORMS": "0", "beds-MAX_NUM_FORMS": "18",
            "beds-0-bed_type": "AdultICU", "beds-0-staffed": "10", "beds-0-occupied": "9",
            "beds-1-bed_type": "MedicalSurgical", "beds-1-staffed": "100", "beds-1-occupied": "101"}
    return data | overrides


def _summary_links(html: str) -> list[str]:
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.DOTALL)
    assert summary, "no error summary"
    # The summary comes before the first section of the form, and every link leads to a field on the page.
    assert html.index('class="error-summary"') < html.index("<section")
    targets = re.findall(r'<a href="#([^"]+)">', summary.group(1))
    assert all(f'id="{t}"' in html for t in targets)
    return targets


def test_the_report_form_lists_form_errors_at_the_top_with_links_to_the_fields(client, almaty):
    client.force_login(make_user("mgr", "facility_manager", facility=almaty["A"]))
    response = client.post(reverse("facilities:report", args=["ALA-A"]),
                           _bad_report(ventilators_total="abc", **{"beds-0-staffed": "x"}))
    assert response.status_code == 422
    assert _summary_links(response.content.decode()) == ["id_beds-0-staffed", "id_ventilators_total"]


def test_the_report_form_lists_the_rules_errors_at_the_top_with_links_to_the_fields(client, almaty):
    client.force_login(make_user("mgr", "facility_manager", facility=almaty["A"]))
    response = client.post(reverse("facilities:report", args=["ALA-A"]), _bad_report())
    html = response.content.decode()
    assert response.status_code == 422
    assert _summary_links(html) == ["id_ed_status_reason", "id_beds-1-occupied"]
    assert "Occupied beds exceed staffed beds." in re.search(r'class="error-summary".*?</div>', html, re.DOTALL).group(0)


def test_a_valid_form_has_no_error_summary(client, almaty):
    client.force_login(make_user("mgr", "facility_manager", facility=almaty["A"]))
    assert "error-summary" not in client.get(reverse("facilities:report", args=["ALA-A"])).content.decode()
