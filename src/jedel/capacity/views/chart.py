"""A server-side SVG step chart of available beds per type (no JavaScript chart library, works printed)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from jedel.capacity.selectors.status import BED_TYPE_ORDER, ReportFigures

WIDTH, HEIGHT = 960, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 28, 12, 28
# Colour-blind-safe-ish palette (Okabe–Ito first), one per bed type in BED_TYPE_ORDER.
PALETTE = ("#d55e00", "#e69f00", "#cc79a7", "#0072b2", "#009e73", "#8c510a", "#7b3294", "#56b4e9", "#555555")


@dataclass(frozen=True)
class Series:
    bed_type: str
    colour: str
    points: str
    last: int


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]

    @property
    def empty(self) -> bool:
        return not self.series


def _axis(max_value: int) -> tuple[int, int]:
    """Top of the y axis and the tick step: whole numbers of 1, 2 or 5 × 10^k, about four intervals."""
    if max_value <= 4:
        return 4, 1
    raw = max_value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return step * math.ceil(max_value / step), step


def history_chart(history: list[ReportFigures], *, since: datetime, until: datetime) -> Chart:
    """Step lines of available beds per type between `since` and `until` (a value holds until the next report)."""
    span = (until - since).total_seconds() or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    types = [bt for bt in BED_TYPE_ORDER if any(bt in r.beds for r in history)]
    top_value, y_step = _axis(max((r.beds[bt].available for r in history for bt in types if bt in r.beds),
                                  default=0))

    def x(t: datetime) -> float:
        return round(LEFT + plot_w * min(max((t - since).total_seconds() / span, 0.0), 1.0), 1)

    def y(v: int) -> float:
        return round(TOP + plot_h * (1 - v / top_value), 1)

    series = []
    for bt in types:
        points: list[str] = []
        last: int | None = None
        for r in history:
            if bt not in r.beds:
                continue
            value = r.beds[bt].available
            if last is not None:
                points.append(f"{x(r.reported_at)},{y(last)}")
            points.append(f"{x(r.reported_at)},{y(value)}")
            last = value
        if last is not None:
            points.append(f"{x(until)},{y(last)}")
            series.append(Series(bt, PALETTE[BED_TYPE_ORDER.index(bt) % len(PALETTE)], " ".join(points), last))
    y_ticks = tuple(Tick(y(v), str(v)) for v in range(0, top_value + 1, y_step))
    x_ticks = []
    first = timezone.localtime(since).replace(minute=0, second=0, microsecond=0)
    step = timedelta(hours=6 if span > 12 * 3600 else 1)
    t = first + timedelta(hours=(6 - first.hour % 6) % 6) if step.total_seconds() == 6 * 3600 else first
    while t <= until:
        if t >= since:
            local = timezone.localtime(t)
            x_ticks.append(Tick(x(t), local.strftime("%d.%m %H:%M" if local.hour == 0 else "%H:%M")))
        t += step
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM, tuple(series), tuple(x_ticks), y_ticks)
