"""The board, its htmx partials and JSON, the facility page and the report form, for each role and language."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from tests.capacity.capacity_helpers import NATIONAL, make_facility, make_user, report

from jedel.accounts.models import AuditEvent
from jedel.common.clock import utcnow
from jedel.capacity.models import CapacityReport
from jedel.capacity.selectors.status import ReportFigures, StatusRow
from jedel.capacity.services.reports import report_submit
from jedel.capacity.views.board import sort_rows
from jedel.capacity.views.chart import history_chart

ROLES = ["national_coordinator", "regional_coordinator", "facility_manager", "clinician", "security_officer", "viewer"]


@pytest.fixture
def network(kz):
    """Almaty city: A (diversion, 4 ICU free), B (overdue); Astana: C (ambulance station, open)."""
    now = utcnow()
    a = make_facility(kz["KZ-75"], "ALA-A", has_burns=True)
    b = make_facility(kz["KZ-75"], "ALA-B", interval=60)
    c = make_facility(kz["KZ-71"], "AST-C", kind="ambulance_station", synthetic=True)
    report_submit(actor=NATIONAL, facility=a, source="web", data=report(
        now, minutes_ago=3, bed_rows=(("AdultICU", 10, 6), ("MedicalSurgical", 100, 70)), ed_status="diversion",
        ed_status_reason="mass casualty"))
    report_submit(actor=NATIONAL, facility=b, source="web",
                  data=report(now, minutes_ago=95, bed_rows=(("MedicalSurgical", 50, 10),)))
    report_submit(actor=NATIONAL, facility=c, source="api",
                  data=report(now, minutes_ago=1, bed_rows=(), oxygen_status="adequate"))
    return {"A": a, "B": b, "C": c, "kz": kz}


def _login(client, network, role):
    kz = network["kz"]
    user = make_user(f"u-{role}", role, region=kz["KZ-75"] if role == "regional_coordinator" else None,
                     facility=network["A"] if role in {"facility_manager", "clinician", "security_officer"} else None)
    client.force_login(user)
    return user


def _codes(html: str) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', html)


@pytest.mark.parametrize("role", ROLES)
def test_board_renders_for_every_role(client, network, role, settings):
    _login(client, network, role)
    response = client.get(reverse("board:board"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Almaty" in html and "Astana" in html and "Turkistan Region" in html
    # Polled only when the live socket is down or a pushed change is pending.
    assert f'hx-trigger="every {settings.JEDEL_BOARD_POLL_SECONDS}s [!window.JedelBoard || JedelBoard.due(this)]"' in html
    assert 'id="board-config"' in html and "leaflet/leaflet.js" in html and "capacity/board.js" in html
    assert "common/realtime.js" in html
    assert _codes(html) == ["ALA-A", "ALA-B", "AST-C"]  # default sort: region name, then name
    assert ("Overdue in your region" in html) == (role == "regional_coordinator")


def test_anonymous_is_sent_to_sign_in(client, network):
    for name in ("board:board", "board:table", "board:totals", "board:map_data"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_table_rows_show_freshness_and_highlight_overdue(client, network):
    _login(client, network, "viewer")
    html = client.get(reverse("board:table")).content.decode()
    row_b = re.search(r'<tr class="overdue" data-code="ALA-B">.*?</tr>', html, re.DOTALL)
    assert row_b and "95 min ago" in row_b.group(0)
    row_a = re.search(r'<tr class="" data-code="ALA-A">.*?</tr>', html, re.DOTALL)
    assert row_a and "3 min ago" in row_a.group(0) and "On diversion" in row_a.group(0)
    assert "1 min ago" in html


@pytest.mark.parametrize("query, codes", [
    ("region=KZ-75", ["ALA-A", "ALA-B"]),
    ("kind=ambulance_station", ["AST-C"]),
    ("capability=burns", ["ALA-A"]),
    ("bed_type=MedicalSurgical&min_available=31", ["ALA-B"]),
    ("bed_type=AdultICU", ["ALA-A"]),
    ("overdue=on", ["ALA-B"]),
    ("sort=-available", ["ALA-B", "ALA-A", "AST-C"]),
    ("sort=available", ["ALA-A", "ALA-B", "AST-C"]),
    ("sort=updated", ["AST-C", "ALA-A", "ALA-B"]),
    ("sort=-updated", ["ALA-B", "ALA-A", "AST-C"]),
    ("sort=ed", ["ALA-A", "ALA-B", "AST-C"]),
    ("sort=icu", ["ALA-A", "AST-C", "ALA-B"]),
    ("min_available=-5&sort=name", ["ALA-A", "ALA-B", "AST-C"]),
])
def test_table_filters_and_server_side_sort(client, network, query, codes):
    _login(client, network, "viewer")
    response = client.get(f"{reverse('board:table')}?{query}")
    assert response.status_code == 200
    assert _codes(response.content.decode()) == codes


def test_table_partial_pushes_the_board_url_except_when_polling(client, network):
    _login(client, network, "viewer")
    url = f"{reverse('board:table')}?region=KZ-75&sort=-available"
    changed = client.get(url, headers={"HX-Request": "true", "HX-Trigger": "board-filters"})
    assert changed["HX-Push-Url"] == "/?region=KZ-75&sort=-available"
    assert 'id="filter-sort" value="-available" hx-swap-oob="true"' in changed.content.decode()
    polled = client.get(url, headers={"HX-Request": "true", "HX-Trigger": "board-table"})
    assert "HX-Push-Url" not in polled
    assert f'hx-get="{url.replace("&", "&amp;")}"' in polled.content.decode()


def test_totals_and_regions_partials(client, network):
    _login(client, network, "clinician")
    totals = client.get(reverse("board:totals")).content.decode()
    assert 'data-kpi="available">74<' in totals  # 4 ICU + 30 + 40 (B's report is overdue but still counted)
    assert 'data-kpi="icu">4<' in totals and 'data-kpi="overdue">1<' in totals
    regions = client.get(reverse("board:regions")).content.decode()
    assert 'data-total="available">74<' in regions and "Medical/surgical" in regions
    assert regions.count("<tr><td><a href=\"?region=") == 20


def test_region_partial_lists_its_facilities(client, network):
    _login(client, network, "viewer")
    html = client.get(reverse("board:region", args=["KZ-75"])).content.decode()
    assert "ALA-A" in html and "ALA-B" in html and "AST-C" not in html
    assert "<h2>Almaty</h2>" in html and "34 available" in html and "40 available" in html


def test_regional_coordinator_overdue_partial(client, network):
    _login(client, network, "regional_coordinator")
    html = client.get(reverse("board:overdue")).content.decode()
    assert "Hospital ALA-B" in html and "Hospital ALA-A" not in html and "due every 60 min" in html


def test_map_json(client, network):
    _login(client, network, "viewer")
    data = client.get(reverse("board:map_data")).json()
    markers = {f["code"]: f for f in data["facilities"]}
    assert {k: (v["marker_status"], v["synthetic"], v["available_total"]) for k, v in markers.items()} == {
        "ALA-A": ("diversion", False, 34), "ALA-B": ("overdue", False, 40), "AST-C": ("open", True, None)}
    # The map gets a subset of the status model's own dump, nothing else.
    assert set(markers["ALA-A"]) == {"code", "name", "lat", "lon", "kind_label", "is_inpatient", "synthetic",
                                     "minutes_ago", "marker_status", "available_total", "icu_available",
                                     "occupancy_pct"}
    assert len(data["regions"]) == 20 and data["regions"]["KZ-75"]["available"] == 74
    assert data["regions"]["KZ-75"]["occupancy_pct"] == round(100 * 86 / 160, 1)


def test_the_board_subscribes_from_the_stream_head_read_before_the_state(client, network):
    from jedel.common.realtime.models import Event

    _login(client, network, "viewer")
    head = Event.objects.filter(stream="capacity").order_by("-seq").values_list("seq", flat=True).first()
    config = json.loads(re.search(r'id="board-config" type="application/json">(.*?)</script>',
                                  client.get(reverse("board:board")).content.decode()).group(1))
    assert (config["stream"], config["after"]) == ("capacity", head) and head == 3  # A, B and C became current


def test_a_report_that_becomes_current_is_pushed_with_its_marker_and_a_backfill_is_not(network):
    from jedel.common.realtime.models import Event

    before = Event.objects.filter(stream="capacity").count()
    report_submit(actor=NATIONAL, facility=network["A"], data=report(utcnow(), bed_rows=(("AdultICU", 50, 1),)),
                  source="api")
    report_submit(actor=NATIONAL, facility=network["A"], data=report(utcnow() - timedelta(hours=3)), source="api")
    events = list(Event.objects.filter(stream="capacity").order_by("seq"))[before:]
    assert [(e.kind, e.read_action, e.region_id, e.facility_id) for e in events] == [
        ("status.changed", "view_board", network["A"].region_id, network["A"].pk)]
    marker = events[0].data["marker"]
    assert (marker["code"], marker["icu_available"], marker["marker_status"], marker["minutes_ago"]) == (
        "ALA-A", 49, "open", 0)
    assert events[0].data["region"] == "KZ-75"


def test_an_unchanged_map_poll_is_answered_304_and_a_new_report_changes_it(client, network):
    _login(client, network, "viewer")
    first = client.get(reverse("board:map_data"), headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first["Content-Encoding"] == "gzip" and first["ETag"]
    again = client.get(reverse("board:map_data"), headers={"If-None-Match": first["ETag"], "Accept-Encoding": "gzip"})
    assert (again.status_code, again.content) == (304, b"")
    report_submit(actor=NATIONAL, facility=network["A"], data=report(utcnow(), bed_rows=(("AdultICU", 50, 1),)),
                  source="api")
    changed = client.get(reverse("board:map_data"), headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert {f["code"]: f["icu_available"] for f in changed.json()["facilities"]}["ALA-A"] == 49


def test_regions_geojson_is_cached_with_an_etag(client, network):
    _login(client, network, "viewer")
    response = client.get(reverse("board:regions_geojson"))
    assert response.status_code == 200 and len(response.json()["features"]) == 20
    again = client.get(reverse("board:regions_geojson"), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("language, region_name, lang_attr", [("ru", "Алматы", 'lang="ru"'),
                                                              ("kk", "Астана", 'lang="kk"')])
def test_language_switch(client, network, language, region_name, lang_attr):
    _login(client, network, "viewer")
    switched = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert switched.status_code == 302
    html = client.get(reverse("board:board")).content.decode()
    assert lang_attr in html and region_name in html
    assert f'"lang": "{language}"' in html
    facility = client.get(reverse("facilities:detail", args=["ALA-A"])).content.decode()
    assert {"ru": "Больница ALA-A", "kk": "Аурухана ALA-A"}[language] in facility


def test_facility_page_has_status_and_svg_chart(client, network):
    _login(client, network, "viewer")
    html = client.get(reverse("facilities:detail", args=["ALA-A"])).content.decode()
    assert "mass casualty" in html and "<svg" in html and "<polyline" in html and "Adult ICU (4)" in html
    assert "Report capacity" not in html
    assert client.get(reverse("facilities:detail", args=["NOPE"])).status_code == 404


def test_about_page_lists_attributions_and_is_public(client):
    html = client.get(reverse("board:about")).content.decode()
    assert "© OpenStreetMap contributors" in html and "ODbL" in html and "GeoNames" in html
    assert "CC BY 4.0" in html and "Bureau of National Statistics" in html and "synthetic" in html


def _form_post(**overrides):
    data = {"reported_at": utcnow().astimezone().strftime("%Y-%m-%dT%H:%M"), "ed_status": "open",
            "ed_status_reason": "", "oxygen_status": "adequate", "ct_operational": "true", "xray_operational": "",
            "beds-TOTAL_FORMS": "3", "beds-INITIAL_FORMS": "3", "beds-MIN_NUM_FORMS": "0", "beds-MAX_NUM_FORMS": "18",
            "beds-0-bed_type": "AdultICU", "beds-0-staffed": "10", "beds-0-occupied": "9",
            "beds-1-bed_type": "PediatricICU",
            "beds-2-bed_type": "MedicalSurgical", "beds-2-staffed": "100", "beds-2-occupied": "20",
            "beds-2-available": "", "beds-2-surge_24h": "15"}
    data.update(overrides)
    return data


def test_report_form_get_and_successful_post(client, network):
    user = _login(client, network, "facility_manager")
    url = reverse("facilities:report", args=["ALA-A"])
    page = client.get(url)
    assert page.status_code == 200 and 'name="beds-0-staffed"' in page.content.decode()
    response = client.post(url, _form_post())
    assert response.status_code == 302 and response["Location"] == "/facilities/ALA-A/"
    stored = CapacityReport.objects.filter(facility=network["A"]).latest("id")
    assert (stored.source, stored.reporter, stored.ct_operational, stored.xray_operational) == (
        "web", user.username, True, None)
    assert {b.bed_type: b.available for b in stored.beds.all()} == {"AdultICU": 1, "MedicalSurgical": 80}
    board = client.get(reverse("board:totals")).content.decode()
    assert 'data-kpi="available">121<' in board  # A: 1 + 80, B: 40


def test_report_form_shows_service_errors_next_to_fields_and_writes_nothing(client, network):
    _login(client, network, "facility_manager")
    before = CapacityReport.objects.count()
    response = client.post(reverse("facilities:report", args=["ALA-A"]),
                           _form_post(**{"beds-2-occupied": "101", "ed_status": "closed"}))
    html = response.content.decode()
    assert response.status_code == 422 and CapacityReport.objects.count() == before
    row = re.search(r'<tr class="row-error">.*?</tr>', html, re.DOTALL).group(0)
    assert 'name="beds-2-occupied"' in row and "Occupied beds exceed staffed beds." in row
    reason = re.search(r'<div class="field has-error">\s*<label for="id_ed_status_reason">.*?</div>', html, re.DOTALL)
    assert reason and "This value is required." in reason.group(0)


def test_report_form_is_refused_outside_the_scope_and_audited(client, network):
    _login(client, network, "clinician")
    assert client.get(reverse("facilities:report", args=["ALA-A"])).status_code == 403
    client.force_login(make_user("other-mgr", "facility_manager", facility=network["B"]))
    response = client.post(reverse("facilities:report", args=["ALA-A"]), _form_post())
    assert response.status_code == 403 and "Not allowed" in response.content.decode()
    denied = list(AuditEvent.objects.filter(outcome="denied").values_list("actor_label", "object_id"))
    assert denied == [("other-mgr", "ALA-A"), ("u-clinician", "ALA-A")]


def test_facility_page_offers_the_report_button_to_the_manager(client, network):
    _login(client, network, "facility_manager")
    assert "Report capacity" in client.get(reverse("facilities:detail", args=["ALA-A"])).content.decode()
    other = client.get(reverse("facilities:detail", args=["ALA-B"])).content.decode()
    assert "/facilities/ALA-B/report/" not in other and 'class="button primary"' not in other


def test_board_page_reads_in_a_bounded_number_of_queries(client, network, django_assert_max_num_queries):
    _login(client, network, "viewer")
    for i in range(15):
        make_facility(network["kz"]["KZ-10"], f"EXTRA-{i}")
    with django_assert_max_num_queries(16):
        assert client.get(reverse("board:board")).status_code == 200


def _figures(minutes_ago: int, available: int, now) -> ReportFigures:
    from jedel.capacity.selectors.status import BedFigures

    return ReportFigures(report_id=minutes_ago, reported_at=now - timedelta(minutes=minutes_ago), received_at=now,
                         source="web", reporter="x", ed_status="open", ed_status_reason="", oxygen_status="unknown",
                         ventilators_total=None, ventilators_in_use=None, ct_operational=None, xray_operational=None,
                         lab_tests_capacity_per_day=None, lab_tests_performed_per_day=None,
                         mci_immediate_per_hour=None, mci_delayed_per_hour=None, mci_minimal_per_hour=None, note="",
                         beds={"AdultICU": BedFigures(staffed=10, occupied=10 - available, available=available)})


def test_history_chart_draws_steps_to_now():
    now = utcnow()
    since = now - timedelta(hours=48)
    chart = history_chart([_figures(24 * 60, 2, now), _figures(12 * 60, 8, now)], since=since, until=now)
    (series,) = chart.series
    points = [tuple(map(float, p.split(","))) for p in series.points.split()]
    plot_w = chart.right - chart.left
    assert [x for x, _ in points] == [chart.left + plot_w / 2] + [chart.left + plot_w * 0.75] * 2 + [chart.right]
    ys = [y for _, y in points]
    assert ys[0] == ys[1] > ys[2] == ys[3]  # 2 → 8 beds: the line steps up at the second report
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8"]
    assert history_chart([], since=since, until=now).empty


def test_sort_puts_missing_figures_last_in_both_directions():
    def row(code, minutes):
        return StatusRow(facility_id=1, code=code, name=code, names={}, kind="x", kind_label="x", region_id=1,
                         region="KZ-75", region_name="r", lat=0, lon=0, capabilities=[], synthetic=False,
                         is_inpatient=True, reporting_interval_min=60, reported_at=None, current=None,
                         minutes_ago=minutes, overdue=False)

    rows = [row("never", None), row("old", 90), row("new", 5)]
    assert [r.code for r in sort_rows(rows, "updated", None)] == ["new", "old", "never"]
    assert [r.code for r in sort_rows(rows, "-updated", None)] == ["old", "new", "never"]


def test_navigation_leads_a_facility_manager_to_the_report_form(client, network):
    _login(client, network, "facility_manager")
    html = client.get(reverse("board:board")).content.decode()
    assert 'href="/facilities/ALA-A/report/"' in html and 'href="/facilities/ALA-A/"' in html
    client.force_login(make_user("nat", "national_coordinator"))
    assert "/report/" not in client.get(reverse("board:board")).content.decode()
