"""The statistics plot: its axis ceiling, the bars' geometry (worked out by hand below) and the page showing it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from jedel.transfers.services.requests import transfer_accept
from jedel.transfers.stats import StatsRow
from jedel.transfers.stats_chart import nice_ceiling, stage_chart
from tests.capacity.capacity_helpers import make_user
from tests.transfers.helpers import NOW, request, staff


@pytest.mark.parametrize(("value", "ceiling"), [(7, 10), (10, 10), (11, 20), (42, 50), (0.3, 0.5), (130, 200)])
def test_the_axis_ends_at_the_next_1_2_or_5(value, ceiling):
    assert nice_ceiling(value) == pytest.approx(ceiling)


def _row(month, acceptance, departure, arrival):
    return StatsRow(region="", month=month, requests=1, accepted=1, arrived=1, declines=0, by_air=0,
                    air_share_pct=None, median_to_acceptance_min=acceptance, median_to_departure_min=departure,
                    median_to_arrival_min=arrival)


def test_bars_by_hand():
    # Largest median 90 → axis 0..100 over 216 px (228 − 12): 2.16 px a minute. Two months share 664 px
    # (712 − 48): 332 px each, 10 % margin each side, three bars of 332 × 0.8 / 3 = 88.53 px.
    chart = stage_chart([_row("2026-02", 30, 60, 90), _row("2026-03", None, 45, None)])
    assert [(b.stage, b.x, b.y, b.width, b.height) for b in chart.bars] == [
        (0, 81.2, 163.2, 88.5, 64.8),      # 48 + 33.2; 30 × 2.16
        (1, 169.7, 98.4, 88.5, 129.6),     # 81.2 + 88.53; 60 × 2.16
        (2, 258.3, 33.6, 88.5, 194.4),     # 81.2 + 177.07; 90 × 2.16
        (1, 501.7, 130.8, 88.5, 97.2),     # 48 + 332 + 33.2 + 88.53; 45 × 2.16 (no acceptance or arrival median)
    ]
    assert [(t.pos, t.label) for t in chart.y_ticks] == [(228, "0"), (174, "25"), (120, "50"), (66, "75"),
                                                        (12, "100")]
    assert [(t.pos, t.label) for t in chart.x_ticks] == [(214.0, "2026-02"), (546.0, "2026-03")]


def test_no_medians_no_plot():
    assert stage_chart([_row("2026-02", None, None, None)]).empty
    assert stage_chart([]).empty


@pytest.mark.django_db
def test_the_statistics_page_plots_the_country_by_month(net):
    t = request(net["D"], net["H1"])
    transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk, now=NOW + timedelta(minutes=12))
    client = Client()
    client.force_login(make_user("nc-chart", "national_coordinator"))
    page = client.get("/transfers/stats/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    svg = page.split('id="stage-chart"')[1].split("</svg>")[0]
    # One month, accepted after 12 minutes: axis 0..20, the bar 12 × 216 / 20 = 129.6 px high; nothing departed.
    assert svg.count("<rect") == 1
    assert 'class="stage-bar stage-0"' in svg and 'height="129.6"' in svg and "<title>12.0</title>" in svg
    assert "2026-03" in svg and ">20<" in svg
