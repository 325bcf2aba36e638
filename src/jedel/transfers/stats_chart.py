"""The statistics page's plot: per month, the median minutes from request to acceptance, to departure and to
arrival as three bars side by side, drawn as SVG on the server (no script, no chart library, works offline).

Geometry only: the template writes the SVG. The y axis runs from 0 to the smallest "nice" value (1, 2 or 5 × 10ⁿ)
at or above the largest median, in four equal steps, so the ticks read as round minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from jedel.transfers.stats import StatsRow

STAGES = ("median_to_acceptance_min", "median_to_departure_min", "median_to_arrival_min")
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 712, 12, 228  # plot area inside the view box, room for the axis labels
TICKS = 4


@dataclass(frozen=True)
class Bar:
    stage: int  # index in STAGES: the colour class
    x: float
    y: float
    width: float
    height: float
    minutes: float


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class StageChart:
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM

    @property
    def empty(self) -> bool:
        return not self.bars


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2 or 5 × 10ⁿ at or above `value` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def stage_chart(rows: Sequence[StatsRow]) -> StageChart:
    """Bars for the months of `rows` (one row per month, oldest first); a stage without a median has no bar."""
    medians = [getattr(r, s) for r in rows for s in STAGES if getattr(r, s) is not None]
    if not medians or max(medians) <= 0:
        return StageChart(bars=[], y_ticks=[], x_ticks=[])
    top_value = nice_ceiling(max(medians))
    scale = (BOTTOM - TOP) / top_value
    slot = (RIGHT - LEFT) / len(rows)
    bar_w = slot * 0.8 / len(STAGES)
    bars, x_ticks = [], []
    for i, row in enumerate(rows):
        start = LEFT + i * slot + slot * 0.1
        x_ticks.append(Tick(pos=round(LEFT + (i + 0.5) * slot, 1), label=row.month))
        for k, stage in enumerate(STAGES):
            minutes = getattr(row, stage)
            if minutes is None:
                continue
            h = round(minutes * scale, 1)
            bars.append(Bar(stage=k, x=round(start + k * bar_w, 1), y=round(BOTTOM - h, 1), width=round(bar_w, 1),
                            height=h, minutes=minutes))
    y_ticks = [Tick(pos=round(BOTTOM - j * (BOTTOM - TOP) / TICKS, 1), label=f"{top_value * j / TICKS:g}")
               for j in range(TICKS + 1)]
    return StageChart(bars=bars, y_ticks=y_ticks, x_ticks=x_ticks)
