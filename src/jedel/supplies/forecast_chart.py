"""The forecast page's plot: stock left (units) against the days of a census forecast, as a small SVG.

Drawn on the server: no chart library, works offline and prints; text is escaped by the template engine
(the SVG is built from numbers and translated labels passed through `escape`).
"""

from __future__ import annotations

from itertools import accumulate

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

W, H, LEFT, BOTTOM, TOP, RIGHT = 640, 260, 64, 36, 16, 16


def forecast_svg(units_on_hand: float, census: list[float], units_per_patient_day: float) -> SafeString:
    """Stock remaining at the end of each day (never below 0) with the day it runs out marked."""
    need = list(accumulate(c * units_per_patient_day for c in census))
    left = [max(0.0, units_on_hand - n) for n in need]
    days = len(census)
    top = max(units_on_hand, 1.0)
    x = lambda d: LEFT + (W - LEFT - RIGHT) * d / max(days, 1)  # noqa: E731
    y = lambda v: TOP + (H - TOP - BOTTOM) * (1 - v / top)  # noqa: E731
    points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in enumerate([units_on_hand] + left))
    parts = [f'<svg class="forecast-chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(_("Stock left by day"))}">',
             f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{W - RIGHT}" y2="{y(0):.1f}" class="axis"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{y(0):.1f}" class="axis"/>',
             f'<text x="{LEFT - 6}" y="{y(top) + 4:.1f}" text-anchor="end">{int(top)}</text>',
             f'<text x="{LEFT - 6}" y="{y(0):.1f}" text-anchor="end">0</text>',
             f'<text x="{x(days):.1f}" y="{H - 8}" text-anchor="end">{escape(_("day %(n)d") % {"n": days})}</text>',
             f'<text x="{LEFT}" y="{H - 8}">{escape(_("today"))}</text>',
             f'<polyline points="{points}" class="stock-line"/>']
    out = next((d for d, n in enumerate(need) if n > units_on_hand), None)
    if out is not None:
        parts.append(f'<line x1="{x(out + 1):.1f}" y1="{TOP}" x2="{x(out + 1):.1f}" y2="{y(0):.1f}" class="run-out"/>')
        parts.append(f'<text x="{x(out + 1) + 4:.1f}" y="{TOP + 12}" class="run-out-label">'
                     f'{escape(_("runs out on day %(n)d") % {"n": out + 1})}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped labels only
