"""Box plots as SVG text, drawn by hand (the platform ships no plotting library).

One box per group (e.g. per policy): the box spans the first to the third quartile (numpy's linear
interpolation), a line marks the median, whiskers reach the smallest and largest values, and every value is
a dot (one per replication) spread across the box width in a fixed pattern, so the same data give the same
file. Each box ``<rect class="box">`` carries its figures as ``data-*`` attributes, for readers and tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import numpy as np

_LEFT, _RIGHT, _TOP, _BOTTOM = 70.0, 20.0, 40.0, 70.0
_SLOT, _BOX, _PLOT_HEIGHT = 125.0, 44.0, 300.0


def _nice_step(span: float, ticks: int = 5) -> float:
    """1, 2 or 5 times a power of ten, so that about ``ticks`` steps cover ``span``."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def box_plot_svg(
    groups: Sequence[tuple[str, Sequence[float]]], *, title: str, x_label: str, y_label: str
) -> str:
    """An SVG document (text) with one box per ``(label, values)`` group, left to right in the given order
    (a label may hold line breaks, ``\\n``, drawn as lines under the box).

    NaN values are left out. Raises ValueError when there is no group or a group has no value.
    """
    if not groups:
        raise ValueError("box plot: no group to draw")
    data = []
    for label, values in groups:
        v = np.asarray(values, dtype=np.float64)
        v = v[~np.isnan(v)]
        if v.size == 0:
            raise ValueError(f"box plot: group {label!r} has no value")
        data.append((label, v))
    lo = min(0.0, min(float(v.min()) for _, v in data))
    hi = max(float(v.max()) for _, v in data)
    step = _nice_step(hi - lo if hi > lo else 1.0)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if hi <= lo:
        hi = lo + step
    width = _LEFT + _RIGHT + _SLOT * len(data)
    height = _TOP + _PLOT_HEIGHT + _BOTTOM
    bottom = _TOP + _PLOT_HEIGHT

    def y(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * _PLOT_HEIGHT

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="sans-serif" font-size="12">',
        f'<text class="title" x="{width / 2:g}" y="20" text-anchor="middle" font-size="14">'
        f'{escape(title)}</text>',
        f'<line class="axis" x1="{_LEFT:g}" y1="{_TOP:g}" x2="{_LEFT:g}" y2="{bottom:g}" stroke="black"/>',
        f'<line class="axis" x1="{_LEFT:g}" y1="{bottom:g}" x2="{width - _RIGHT:g}" y2="{bottom:g}" '
        'stroke="black"/>',
    ]
    for i in range(round((hi - lo) / step) + 1):
        tick = lo + i * step
        ty = y(tick)
        out.append(f'<line x1="{_LEFT - 4:g}" y1="{ty:.2f}" x2="{_LEFT:g}" y2="{ty:.2f}" stroke="black"/>')
        out.append(f'<text class="tick" x="{_LEFT - 7:g}" y="{ty + 4:.2f}" text-anchor="end">'
                   f'{_fmt(tick)}</text>')
    for k, (label, v) in enumerate(data):
        cx = _LEFT + _SLOT * (k + 0.5)
        q1, median, q3 = (float(q) for q in np.percentile(v, [25, 50, 75]))
        vmin, vmax = float(v.min()), float(v.max())
        left = cx - _BOX / 2
        out.append(f'<line class="whisker" x1="{cx:g}" y1="{y(vmax):.2f}" x2="{cx:g}" y2="{y(vmin):.2f}" '
                   'stroke="#555"/>')
        out.append(
            f'<rect class="box" x="{left:g}" y="{y(q3):.2f}" width="{_BOX:g}" height="{y(q1) - y(q3):.2f}" '
            f'fill="#9ecae1" stroke="#08519c" data-label={quoteattr(label)} data-n="{v.size}" '
            f'data-min="{_fmt(vmin)}" data-q1="{_fmt(q1)}" data-median="{_fmt(median)}" data-q3="{_fmt(q3)}" '
            f'data-max="{_fmt(vmax)}"/>')
        out.append(f'<line class="median" x1="{left:g}" y1="{y(median):.2f}" x2="{left + _BOX:g}" '
                   f'y2="{y(median):.2f}" stroke="#08306b" stroke-width="2"/>')
        for j, value in enumerate(v):
            dx = ((j * 7) % 11 - 5) * _BOX / 12  # a fixed spread, so that equal values do not hide each other
            out.append(f'<circle class="value" cx="{cx + dx:.2f}" cy="{y(float(value)):.2f}" r="1.5" '
                       'fill="#d94801" fill-opacity="0.5"/>')
        lines = "".join(f'<tspan x="{cx:g}" dy="{0 if i == 0 else 14}">{escape(line)}</tspan>'
                        for i, line in enumerate(label.split("\n")))
        out.append(f'<text class="group" x="{cx:g}" y="{bottom + 18:g}" text-anchor="middle">{lines}</text>')
    out.append(f'<text class="axis-label x" x="{_LEFT + (width - _LEFT - _RIGHT) / 2:g}" y="{height - 15:g}" '
               f'text-anchor="middle">{escape(x_label)}</text>')
    mid = _TOP + _PLOT_HEIGHT / 2
    out.append(f'<text class="axis-label y" x="18" y="{mid:g}" text-anchor="middle" '
               f'transform="rotate(-90 18 {mid:g})">{escape(y_label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
