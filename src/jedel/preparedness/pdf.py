"""PDF exports (A4, fpdf2): an HSI assessment (index, category and its meaning, module scores, ratings, remediation
tasks) and a hospital emergency response plan (completeness, activation levels, call-down list, action cards,
surge figures, the checklist with statuses and evidence).

Text needs a font with Cyrillic and Kazakh letters (common.pdf_fonts, as for the tag sheets). Without one the PDF
is printed with the core font and letters outside Latin-1 become "?".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF

from jedel.common.pdf_fonts import unicode_fonts

# Category colours, the same as the pages' badges (preparedness.css), so a printout reads like the screen.
CATEGORY_RGB = {"A": (46, 125, 50), "B": (138, 109, 0), "C": (198, 40, 40)}
STATUS_RGB = {"done": (27, 94, 32), "in_progress": (109, 82, 0), "missing": (155, 28, 28)}


class _Doc:
    """An A4 document with the first usable Unicode font, and the few drawing steps both exports need."""

    def __init__(self, title: str) -> None:
        self.pdf = FPDF(unit="mm", format="A4")
        self.pdf.set_margins(15, 15, 15)
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.set_creator("Jedel")
        self.pdf.set_title(title)
        fonts = unicode_fonts()
        if fonts is not None:
            self.pdf.add_font("body", "", fonts[0])
            self.pdf.add_font("body", "B", fonts[1])
            self.family, self.unicode = "body", True
        else:
            self.family, self.unicode = "helvetica", False
        self.pdf.add_page()

    def text(self, value: Any) -> str:
        s = str(value)
        return s if self.unicode else s.encode("latin-1", "replace").decode("latin-1")

    def heading(self, value: str, size: float = 14) -> None:
        self.pdf.set_font(self.family, "B", size)
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

    def para(self, value: str, size: float = 9, rgb: tuple[int, int, int] = (0, 0, 0), bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_text_color(*rgb)
        self.pdf.multi_cell(0, size * 0.45, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0, 0, 0)

    def rows(self, header: list[str], rows: Iterable[list[Any]], widths: list[float]) -> None:
        """A simple table: bold header, one line per row (long cells are cut to fit)."""
        self.pdf.set_font(self.family, "B", 8.5)
        for text, w in zip(header, widths, strict=True):
            self.pdf.cell(w, 6, self.text(text), border="B")
        self.pdf.ln()
        self.pdf.set_font(self.family, "", 8.5)
        for row in rows:
            for value, w in zip(row, widths, strict=True):
                text = self.text(value)
                while text and self.pdf.get_string_width(text) > w - 1:
                    text = text[:-2] + "…" if self.unicode else text[:-1]
                self.pdf.cell(w, 5.5, text)
            self.pdf.ln()
        self.pdf.ln(2)

    def badge(self, label: str, rgb: tuple[int, int, int], w: float = 24, h: float = 16, size: int = 24) -> None:
        x, y = self.pdf.get_x(), self.pdf.get_y()
        self.pdf.set_fill_color(*rgb)
        self.pdf.rect(x, y, w, h, style="F")
        self.pdf.set_text_color(255, 255, 255)
        self.pdf.set_font(self.family, "B", size)
        self.pdf.set_xy(x, y)
        self.pdf.cell(w, h, self.text(label), align="C")
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.set_xy(x + w + 4, y)

    def output(self) -> bytes:
        return bytes(self.pdf.output())




def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f} %"


def assessment_pdf(*, assessment: Any, result: Any, sections: list[dict[str, Any]], tasks: list[Any],
                   meaning: str, levels: dict[str, str]) -> bytes:
    """The assessment as the page shows it; `sections` as views._sections builds them."""
    a = assessment
    doc = _Doc(f"{_('Hospital Safety Index')} · {a.facility.name}")
    doc.heading(f"{_('Hospital Safety Index')}: {a.facility.name}", 15)
    doc.para(f"{a.assessed_on:%Y-%m-%d} · {_('Evaluators')}: {', '.join(a.evaluators)} · "
             f"{a.instrument.local_title} ({a.instrument.code} {a.instrument.version})", 9, (90, 90, 90))
    doc.pdf.ln(3)
    category = result.category.value if result.category else ""
    if category:
        doc.badge(category, CATEGORY_RGB[category])
        doc.pdf.set_font(doc.family, "B", 20)
        doc.pdf.cell(60, 16, doc.text(f"{_('Safety index')} {result.safety_index:.2f}"))
        doc.pdf.ln(19)
        doc.para(meaning, 10)
    else:
        doc.para(_("The index appears once every module has at least one rated item."), 10)
    doc.para(f"{_('Rated items')}: {a.rated_count} / {a.item_count}", 9)
    doc.pdf.ln(2)
    doc.rows([_("Module"), f"{_('Low')} %", f"{_('Average')} %", f"{_('High')} %", _("Module index")],
             [[f"{s['section'].code}. {s['section'].local_title}",
               *([f"{s['result'].tabulation.low_pct:.1f}", f"{s['result'].tabulation.average_pct:.1f}",
                  f"{s['result'].tabulation.high_pct:.1f}", f"{s['result'].safety_index:.2f}"]
                 if s["result"] and s["result"].tabulation else ["—", "—", "—", "—"])] for s in sections],
             [90, 20, 22, 20, 28])
    if tasks:
        doc.heading(_("Remediation tasks"), 12)
        doc.rows([_("Item"), _("Responsible"), _("Due"), _("Status")],
                 [[f"{t.item.code} · {t.local_title}", t.owner, f"{t.due_on:%Y-%m-%d}", t.get_status_display()]
                  for t in tasks], [100, 35, 22, 23])
    doc.heading(_("Ratings"), 12)
    for s in sections:
        doc.para(f"{_('Module')} {s['section'].code}. {s['section'].local_title}", 9.5, bold=True)
        for row in s["rows"]:
            rating = row["rating"]
            label = levels.get(rating.level, "") if rating else "—"
            doc.para(f"{row['item'].code}  {row['item'].local_title} — {label}", 8.5)
            # The checklist's own wording of the chosen level (or of when the item may be left out).
            meaning = (row["item"].local_not_applicable_when if rating.level == "not_applicable"
                       else row["item"].local_ratings.get(rating.level, "")) if rating else ""
            if meaning:
                doc.para(f"    {meaning}", 8, (90, 90, 90))
            if rating and (rating.justification or rating.evidence):
                doc.para(f"    {rating.justification} {rating.evidence}".rstrip(), 8, (90, 90, 90))
            for photo in row.get("photos", []):
                doc.para(f"    {_('Photo')}: {photo.caption or photo.original_name} · SHA-256 {photo.sha256}", 7.5,
                         (90, 90, 90))
    return doc.output()


def plan_pdf(*, plan: Any, facility: Any, components: list[dict[str, Any]], overall: float,
             statuses: dict[str, str]) -> bytes:
    """The plan: completeness, activation, call-down list, action cards, surge, the checklist."""
    doc = _Doc(f"{_('Emergency response plan')} · {facility.name}")
    doc.heading(f"{_('Emergency response plan')}: {facility.name}", 15)
    doc.para(f"{_('Version')} {plan.version} · {plan.updated_by} · {_('Next review')} {plan.review_due_on:%Y-%m-%d}",
             9, (90, 90, 90))
    doc.pdf.ln(3)
    doc.badge(_pct(overall), (21, 101, 192), w=34, size=18)
    doc.pdf.set_font(doc.family, "B", 14)
    doc.pdf.cell(80, 16, doc.text(_("Completeness")))
    doc.pdf.ln(19)
    doc.rows([_("Component"), _("Completeness")],
             [[f"{c['section'].code}. {c['section'].local_title}", _pct(c["completeness"])] for c in components], [150, 30])
    doc.heading(_("Activation levels and triggers"), 12)
    doc.rows([_("Level"), _("Name"), _("Trigger")],
             [[lv.get("level", ""), lv.get("name", ""), lv.get("trigger", "")] for lv in plan.activation_levels],
             [22, 45, 113])
    doc.heading(_("Call-down list"), 12)
    for n, r in enumerate(plan.command_roles, 1):
        doc.para(f"{n}. {r.get('role', '')}: {r.get('name', '')} {r.get('phone', '')}".rstrip(), 9.5, bold=True)
        if r.get("deputy"):
            doc.para(f"    {_('Deputy')}: {r['deputy']} {r.get('deputy_phone', '')}".rstrip(), 9)
    cards = [r for r in plan.command_roles if r.get("action_card")]
    if cards:
        doc.heading(_("Action cards"), 12)
        for r in cards:
            doc.para(r["role"], 9.5, bold=True)
            doc.para(r["action_card"], 9)
            doc.pdf.ln(1)
    doc.heading(_("Surge capacity"), 12)
    surge = plan.surge or {}
    doc.para(f"{_('Beds that can be freed within 2 h')}: {surge.get('beds_2h') if surge.get('beds_2h') is not None else '—'}"
             f" · {_('within 24 h')}: {surge.get('beds_24h') if surge.get('beds_24h') is not None else '—'}", 9.5)
    doc.heading(_("Checklist"), 12)
    for c in components:
        doc.para(f"{c['section'].code}. {c['section'].local_title} · {_pct(c['completeness'])}", 9.5, bold=True)
        for row in c["rows"]:
            doc.para(f"{row['item'].code}  {row['item'].local_title}", 8.5)
            doc.para(f"    {statuses.get(row['status'], row['status'])}"
                     + (f" · {row['evidence']}" if row["evidence"] else ""), 8, STATUS_RGB.get(row["status"], (0, 0, 0)))
    return doc.output()
