"""The monthly violence report for the Ministry as an A4 PDF (fpdf2): the month's figures within the viewer's
scope, a bar chart per grouping (type, victim role, region, facility kind, department) drawn with rectangles,
incidents per 100 staff and security compliance. Counts only: no names of anyone.

The figures come built (views_analytics._report), the same dict the page renders, so the two never differ.
Text is in the active language; the font is common.pdf_fonts' pick (Cyrillic and Kazakh letters).
"""

from __future__ import annotations

from typing import Any

from django.utils import dateformat
from django.utils.translation import gettext as _
from fpdf import FPDF

from jedel.common.pdf_fonts import unicode_fonts

BAR_RGB = (179, 38, 30)     # the page's bar colours (report.css), so the printout reads like the screen
MUTED_RGB = (90, 90, 90)
LABEL_W, BAR_W, COUNT_W, ROW_H = 78.0, 86.0, 16.0, 6.0


class _Report(FPDF):
    """A4 with a page-numbered footer; `safe` keeps letters a core font lacks from breaking the output."""

    def __init__(self) -> None:
        super().__init__(unit="mm", format="A4")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        fonts = unicode_fonts()
        if fonts is not None:
            self.add_font("body", "", fonts[0])
            self.add_font("body", "B", fonts[1])
            self.face, self.unicode = "body", True
        else:
            self.face, self.unicode = "helvetica", False
        self.page_line = _("Page %(n)s of %(total)s")

    def safe(self, value: Any) -> str:
        s = str(value)
        return s if self.unicode else s.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.face, "", 7.5)
        self.set_text_color(*MUTED_RGB)
        self.cell(0, 5, self.safe(self.page_line % {"n": self.page_no(), "total": "{nb}"}), align="R")

    def fit(self, value: Any, width: float) -> str:
        """The text cut (with an ellipsis) to fit a cell of `width` mm."""
        text = self.safe(value)
        while text and self.get_string_width(text) > width - 1:
            text = text[:-2] + "…" if self.unicode else text[:-1]
        return text

    def room(self, height: float) -> None:
        """A new page unless `height` mm still fit: a chart row's bar is drawn, not flowed."""
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()

    def heading(self, value: str, size: float = 12) -> None:
        self.room(size * 0.5 + 2 * ROW_H)
        self.set_font(self.face, "B", size)
        self.set_text_color(0, 0, 0)
        self.multi_cell(0, size * 0.5, self.safe(value), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def para(self, value: str, size: float = 9, rgb: tuple[int, int, int] = (0, 0, 0),
             bold: bool = False) -> None:
        self.set_font(self.face, "B" if bold else "", size)
        self.set_text_color(*rgb)
        self.multi_cell(0, size * 0.45, self.safe(value), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def bars(self, rows: list[tuple[str, int, int]]) -> None:
        """One row per group: label, a bar as long as its share of the largest count, the count."""
        self.set_font(self.face, "", 9)
        top = max((n for _l, n, _w in rows), default=0)
        for label, n, _width in rows:
            self.room(ROW_H)
            x, y = self.l_margin, self.get_y()
            self.set_xy(x, y)
            self.cell(LABEL_W, ROW_H, self.fit(label, LABEL_W))
            self.set_fill_color(238, 242, 245)
            self.rect(x + LABEL_W, y + 1, BAR_W, ROW_H - 2, style="F")
            if n and top:
                self.set_fill_color(*BAR_RGB)
                self.rect(x + LABEL_W, y + 1, max(BAR_W * n / top, 0.6), ROW_H - 2, style="F")
            self.set_xy(x + LABEL_W + BAR_W, y)
            self.cell(COUNT_W, ROW_H, str(n), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def grid(self, header: list[str], rows: list[list[Any]], widths: list[float],
             bold_last: bool = False) -> None:
        self.set_font(self.face, "B", 8.5)
        self.room(2 * ROW_H)
        for text, w in zip(header, widths, strict=True):
            self.cell(w, ROW_H, self.fit(text, w), border="B")
        self.ln()
        for i, row in enumerate(rows):
            self.room(ROW_H)
            self.set_font(self.face, "B" if bold_last and i == len(rows) - 1 else "", 8.5)
            for value, w in zip(row, widths, strict=True):
                self.cell(w, ROW_H - 0.5, self.fit(value, w))
            self.ln()
        self.ln(3)


def report_pdf(report: dict[str, Any]) -> bytes:
    """The PDF of one month's report; `report` as views_analytics._report builds it."""
    pdf = _Report()
    title = _("Monthly report on violence against health workers")
    month = dateformat.format(report["since"], "F Y")
    pdf.set_creator("Jedel")
    pdf.set_title(pdf.safe(f"{title} · {month}"))
    pdf.add_page()
    pdf.heading(title, 15)
    pdf.para(f"{month} · {report['scope']}", 10, bold=True)
    pdf.para(_("Anonymised aggregates for the Ministry of Health: counts only, no names."), 8.5, MUTED_RGB)
    pdf.ln(3)
    pdf.para(f"{_('Incidents')}: {report['incidents']}    {_('Victims')}: {report['victims']}", 11, bold=True)
    pdf.ln(3)
    for section in report["sections"]:
        pdf.heading(section["label"])
        if section["rows"]:
            pdf.bars(section["rows"])
        else:
            pdf.para(_("No incidents recorded."), 9, MUTED_RGB)
            pdf.ln(3)
    pdf.heading(_("Incidents per 100 staff"))
    pdf.para(_("Only facilities whose staff count is recorded."), 8.5, MUTED_RGB)
    pdf.ln(1)
    pdf.grid([_("Region"), _("Incidents"), _("Staff"), _("Per 100 staff")],
              [list(r) for r in report["rates"]] or [["—", "", "", ""]], [80, 30, 30, 40])
    pdf.heading(_("Security compliance"))
    total = report["total"]
    pdf.grid([_("Region"), _("Mandated facilities"), _("Compliant")],
              [[r.name, r.mandated, r.compliant] for r in report["regions"]]
              + [[_("Total"), total.mandated, total.compliant]], [70, 65, 45], bold_last=True)
    return bytes(pdf.output())
