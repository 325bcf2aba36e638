"""The font a PDF export prints its text in: one with Cyrillic and Kazakh letters (қ, ғ, ү, ұ, ә, ө, һ, і, ң).

The first of JEDEL_PDF_FONT (a .ttf path, setting) and the DejaVu / Liberation / Noto fonts Debian installs.
None when there is none: the caller then prints with a PDF core font, where letters outside Latin-1
become "?".
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

_TTF = "/usr/share/fonts/truetype"
FONT_CANDIDATES = (
    (f"{_TTF}/dejavu/DejaVuSans.ttf", f"{_TTF}/dejavu/DejaVuSans-Bold.ttf"),
    (f"{_TTF}/liberation/LiberationSans-Regular.ttf", f"{_TTF}/liberation/LiberationSans-Bold.ttf"),
    (f"{_TTF}/noto/NotoSans-Regular.ttf", f"{_TTF}/noto/NotoSans-Bold.ttf"),
)


def unicode_fonts() -> tuple[str, str] | None:
    """(regular, bold) .ttf paths; bold falls back to the regular file when the family has no bold."""
    configured = getattr(settings, "JEDEL_PDF_FONT", "") or ""
    candidates = ((configured, configured),) + FONT_CANDIDATES if configured else FONT_CANDIDATES
    for regular, bold in candidates:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    return None
