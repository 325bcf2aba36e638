"""Tag sheets: pre-numbered triage-tag labels with QR codes, as a printable PDF (A4, 3 × 8 labels of 70 × 37 mm,
the common self-adhesive label sheet), for sticking on paper triage tags before or during an incident.

Each label holds its tag as a QR code (segno; error correction M, which survives a crease or a smear; the QR
holds the tag and nothing else, so any scanner reads it and the scan page or the register form takes it as
typed), the tag in large type, the incident's number and title, and EXERCISE on an exercise's tags. QR codes
are drawn as vector squares (fpdf2), sharp at any printer resolution.

Text needs a font with Cyrillic and Kazakh letters (common.pdf_fonts). Without one the sheet is printed with the PDF core font in
English and the title's letters outside Latin-1 become "?" — tags and QR codes are ASCII and always print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from jedel.common.pdf_fonts import unicode_fonts

PAGE_W, PAGE_H = 210.0, 297.0
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70.0, PAGE_H / ROWS  # 37.125 mm
PER_PAGE = COLUMNS * ROWS
QR_MM = 31.0
MAX_TAGS = 480  # 20 pages
PREFIX = re.compile(r"^[A-Z0-9]{0,8}$")


def tag_numbers(prefix: str, start: int, count: int) -> list[str]:
    """The tags `PREFIX-0001`… (four digits at least; no prefix: the bare number), `count` from `start`."""
    return [f"{prefix}-{n:04d}" if prefix else f"{n:04d}" for n in range(start, start + count)]


@dataclass(frozen=True)
class SheetHeading:
    incident_id: int
    title: str
    exercise: bool


def _qr(pdf: FPDF, tag: str, x: float, y: float, size: float) -> None:
    rows = [list(row) for row in segno.make(tag, error="m", micro=False).matrix_iter(scale=1, border=2)]
    module = size / len(rows)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules: a small file, no hairline gaps
            if row[c]:
                run = c
                while run < len(row) and row[run]:
                    run += 1
                pdf.rect(x + c * module, y + r * module, (run - c) * module, module, style="F")
                c = run
            else:
                c += 1


def tag_sheet_pdf(tags: list[str], heading: SheetHeading) -> bytes:
    """The PDF: one label per tag, 24 to a page, in the order given."""
    fonts = unicode_fonts()
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("Jedel")
    if fonts is not None:
        pdf.add_font("tag", "", fonts[0])
        pdf.add_font("tag", "B", fonts[1])
        family, title = "tag", heading.title
        language = translation.get_language() or "en"
    else:
        family, title, language = "helvetica", heading.title.encode("latin-1", "replace").decode("latin-1"), "en"
    with translation.override(language):
        incident_line = _("Incident #%(id)s") % {"id": heading.incident_id}
        exercise_line = _("EXERCISE") if heading.exercise else ""
        pdf.set_title(_("Triage tags") + f" · {incident_line}")
    for i, tag in enumerate(tags):
        if i % PER_PAGE == 0:
            pdf.add_page()
        col, row = (i % PER_PAGE) % COLUMNS, (i % PER_PAGE) // COLUMNS
        x, y = col * LABEL_W, row * LABEL_H
        pdf.set_draw_color(190, 190, 190)
        pdf.set_line_width(0.1)
        pdf.rect(x + 1, y + 1, LABEL_W - 2, LABEL_H - 2)
        pdf.set_fill_color(0, 0, 0)
        _qr(pdf, tag, x + 2.5, y + (LABEL_H - QR_MM) / 2, QR_MM)
        text_x, text_w = x + QR_MM + 4, LABEL_W - QR_MM - 6
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(family, "B", 15 if len(tag) <= 9 else 11)
        pdf.set_xy(text_x, y + 5)
        pdf.cell(text_w, 7, tag)
        pdf.set_font(family, "", 7)
        pdf.set_xy(text_x, y + 14)
        pdf.cell(text_w, 4, incident_line)
        pdf.set_xy(text_x, y + 18)
        pdf.multi_cell(text_w, 3.2, title[:60], align="L")
        if exercise_line:
            pdf.set_font(family, "B", 8)
            pdf.set_text_color(180, 0, 0)
            pdf.set_xy(text_x, y + LABEL_H - 8)
            pdf.cell(text_w, 4, exercise_line)
    return bytes(pdf.output())
