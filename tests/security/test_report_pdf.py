"""The monthly violence report as an A4 PDF. Expected numbers are counted by hand from the eight incidents
below (November 2026, Almaty time, UTC+5); text is read back with pdfium."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest
from django.test import Client
from django.utils import translation

from jedel.security.services.posture import PostureInput, posture_save
from jedel.security.services.registry import IncidentInput, VictimInput, incident_record
from tests.security.conftest import p

pytestmark = pytest.mark.django_db
A4_PT = (595, 842)  # 210 x 297 mm in points, rounded

# facility, occurred at (UTC), type, department, victims' roles
INCIDENTS = [
    ("A", "2026-11-03T12:00", "physical", "ER", ("nurse", "doctor")),
    ("A", "2026-11-20T12:00", "verbal", "ER", ("nurse",)),
    ("A", "2026-11-28T12:00", "threat", "Paediatrics", ()),
    ("B", "2026-11-02T12:00", "physical", "ER", ("paramedic",)),
    ("C", "2026-11-15T12:00", "verbal", "Maternity", ("nurse",)),
    ("A", "2026-10-31T19:30", "verbal", "ER", ("doctor",)),      # 1 November 00:30 in Almaty: counted
    ("B", "2026-11-30T19:30", "physical", "ER", ("nurse",)),     # 1 December 00:30 in Almaty: not counted
    ("C", "2026-10-31T18:30", "threat", "Maternity", ("nurse",)),  # 31 October 23:30 in Almaty: not counted
]


@pytest.fixture
def world(site):
    national = p(site["people"]["national"])
    for code, at, kind, dept, roles in INCIDENTS:
        incident_record(actor=national, facility_id=site[code].pk, now=datetime(2026, 12, 2, tzinfo=UTC),
                        data=IncidentInput(occurred_at=datetime.fromisoformat(at).replace(tzinfo=UTC),
                                           department=dept, kind=kind, severity="moderate",
                                           victims=tuple(VictimInput(f"Aigerim Testova {i}", r)
                                                         for i, r in enumerate(roles))))
    for code, staff in (("A", 400), ("C", 250)):  # B's staff count is unknown
        posture_save(actor=national, facility_id=site[code].pk, version=0,
                     data=PostureInput(post_24_7=True, cctv_cameras=1, er_cctv_covered=True, body_cameras=0,
                                       staff_count=staff))
    return site


def _get(user, path: str, language: str = "en"):
    client = Client()
    client.force_login(user)
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language)


def _pages(content: bytes) -> list[str]:
    doc = pdfium.PdfDocument(content)
    try:
        sizes = [tuple(round(v) for v in doc[i].get_size()) for i in range(len(doc))]
        assert set(sizes) == {A4_PT}
        return [re.sub(r"[ \t]+", " ", doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def _lines(content: bytes) -> list[str]:
    lines = (line.strip() for page in _pages(content) for line in page.replace("\r", "").split("\n"))
    return [line for line in lines if line]


def test_the_national_report_holds_the_months_counts(world):
    response = _get(world["people"]["national"], "/security/report/2026/11.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="violence-report-2026-11.pdf"'
    assert response.content.startswith(b"%PDF-")
    lines = _lines(response.content)
    assert "November 2026 · Whole country" in lines
    assert "Incidents: 6 Victims: 6" in lines
    # bar rows (label, count) per grouping, largest first
    for row in ("Verbal abuse 3", "Physical assault 2", "Threat 1",
                "Nurse 3", "Doctor 2", "Paramedic 1",
                "Almaty 5", "Astana 1",
                "Children's hospital 4", "City hospital 1", "Perinatal centre 1",
                "ER 4", "Maternity 1", "Paediatrics 1"):
        assert row in lines, row
    # per 100 staff: Almaty 4 incidents at A (B's staff unknown) / 400 = 1.0; Astana 1 / 250 = 0.4
    assert "Almaty 4 400 1.0" in lines and "Astana 1 250 0.4" in lines
    # compliance: A, B, C are mandated kinds; none has a panic button, so none complies
    assert "Almaty 2 0" in lines and "Astana 1 0" in lines and "Total 3 0" in lines
    text = "\n".join(lines)
    assert "Aigerim" not in text and "Testova" not in text
    assert re.search(r"Page 1 of \d", text)


def test_the_page_links_the_pdf_and_shows_the_same_totals(world):
    page = _get(world["people"]["national"], "/security/report/2026/11/").content.decode()
    assert 'href="/security/report/2026/11.pdf"' in page
    assert 'data-figure="incidents">6<' in page and 'data-figure="victims">6<' in page
    assert 'data-by="department"' in page and "Aigerim" not in page


def test_the_regional_lead_gets_the_own_region_only(world):
    lines = _lines(_get(world["people"]["lead"], "/security/report/2026/11.pdf").content)
    assert "November 2026 · Almaty" in lines
    # Almaty: incidents 1, 2, 3, 4 and the one at 00:30 on 1 November; victims nurse 2, doctor 2, paramedic 1
    assert "Incidents: 5 Victims: 5" in lines
    assert "Nurse 2" in lines and "Doctor 2" in lines and "Almaty 5" in lines
    assert "Almaty 4 400 1.0" in lines and "Total 2 0" in lines
    assert not any("Astana" in line or "Maternity" in line or "Perinatal" in line for line in lines)


def test_kazakh_text_renders(world):
    response = _get(world["people"]["national"], "/security/report/2026/11.pdf", language="kk")
    text = "\n".join(_lines(response.content))
    # the catalogue's Kazakh for "Incidents per 100 staff" and "Victims"; Kazakh-only letters қ, ә, і
    assert "100 қызметкерге шаққандағы оқиғалар" in text
    assert "Жәбірленушілер: 6" in text
    assert "Алматы 5" in text
    assert "?" not in text
    with translation.override("en"):  # the request's language does not leak into the next one
        assert "Incidents: 6" in "\n".join(_lines(_get(world["people"]["national"],
                                                       "/security/report/2026/11.pdf").content))


@pytest.mark.parametrize("who", ["nurse_a", "officer_a"])
def test_the_pdf_answers_as_the_page_does(world, who):
    user = world["people"][who]
    page = _get(user, "/security/report/2026/11/")
    pdf = _get(user, "/security/report/2026/11.pdf")
    assert pdf.status_code == page.status_code == {"nurse_a": 403, "officer_a": 200}[who]
    if who == "nurse_a":  # a clinician may not read security analytics at all
        assert pdf["Content-Type"].startswith("text/html")
    else:  # a facility's security officer: facility A only (incidents 1, 2, 3 and 1 November 00:30)
        assert "Incidents: 4 Victims: 4" in _lines(pdf.content)


def test_anonymous_is_sent_to_sign_in():
    response = Client().get("/security/report/2026/11.pdf")
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("path", ["/security/report/2026/13.pdf", "/security/report/2026/0.pdf",
                                  "/security/report/1999/11.pdf", "/security/report/2026/xx.pdf"])
def test_a_bad_month_is_a_clear_404(world, path):
    response = _get(world["people"]["national"], path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    if "xx" not in path:  # a month that is a number but no month says so
        assert "No such month." in response.content.decode()


def test_a_long_month_flows_onto_more_pages(site):
    national = p(site["people"]["national"])
    for i in range(45):  # 45 departments with one incident each: more bar rows than one A4 page holds
        incident_record(actor=national, facility_id=site["B"].pk, now=datetime(2026, 12, 2, tzinfo=UTC),
                        data=IncidentInput(occurred_at=datetime(2026, 11, 10, 6, tzinfo=UTC),
                                           department=f"Ward {i:02d}", kind="verbal", severity="minor",
                                           victims=()))
    response = _get(site["people"]["national"], "/security/report/2026/11.pdf")
    pages = _pages(response.content)
    assert len(pages) == 2 and "Page 2 of 2" in pages[1]
    lines = _lines(response.content)
    assert "Incidents: 45 Victims: 0" in lines and "Verbal abuse 45" in lines
    assert [line for line in lines if line.startswith("Ward ")] == [f"Ward {i:02d} 1" for i in range(45)]


def test_without_a_unicode_font_the_core_font_prints_latin(world, monkeypatch):
    from jedel.security import report_pdf

    monkeypatch.setattr(report_pdf, "unicode_fonts", lambda: None)
    lines = _lines(_get(world["people"]["national"], "/security/report/2026/11.pdf").content)
    assert "Incidents: 6 Victims: 6" in lines and "Verbal abuse 3" in lines and "Almaty 4 400 1.0" in lines
