"""Tag sheets (a PDF of pre-numbered tags whose QR codes decode to the tags: rendered with pdfium, decoded with
zxing-cpp) and the scan page (a scanned or typed tag opens its casualty, or registers it once)."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.test import Client

from jedel.accounts.models import AuditEvent
from jedel.common.errors import DomainError, PermissionDenied
from jedel.incidents.models import Casualty
from jedel.incidents.services.exports import tag_sheet_print
from jedel.incidents.tags import SheetHeading, tag_numbers, tag_sheet_pdf
from tests.incidents.conftest import declare


def decoded_pages(pdf: bytes) -> list[list[str]]:
    """The QR codes of each page, read left to right, top to bottom."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            found = zxingcpp.read_barcodes(page.render(scale=2).to_pil(), formats=zxingcpp.BarcodeFormat.QRCode)
            found = sorted(found, key=lambda b: (round(b.position.top_left.y / 100), b.position.top_left.x))
            pages.append([b.text for b in found])
        return pages
    finally:
        document.close()


def test_tag_numbers():
    assert tag_numbers("T", 9, 3) == ["T-0009", "T-0010", "T-0011"]
    assert tag_numbers("", 99998, 2) == ["99998", "99999"]


def test_a_sheet_of_30_tags_is_two_pages_whose_qr_codes_are_the_tags():
    pdf = tag_sheet_pdf(tag_numbers("AB", 1, 30), SheetHeading(7, "Землетрясение в Алматы", exercise=True))
    assert pdf.startswith(b"%PDF-")
    assert decoded_pages(pdf) == [[f"AB-{n:04d}" for n in range(1, 25)], [f"AB-{n:04d}" for n in range(25, 31)]]


def test_printing_is_for_those_who_register_and_is_audited(world):
    incident = declare(world)
    sheet = tag_sheet_print(actor=world["p"]["rc75"], incident_id=incident.pk, prefix="x1", start=41, count=3)
    assert (sheet.filename, sheet.content_type) == (f"incident-{incident.pk}-tags-X1-0041-X1-0043.pdf",
                                                    "application/pdf")
    assert decoded_pages(sheet.content) == [["X1-0041", "X1-0042", "X1-0043"]]
    assert AuditEvent.objects.get(action="print_tags").changes == {"first": "X1-0041", "last": "X1-0043", "count": 3,
                                                                   "reprint": False}
    for who in ("rc71", "viewer"):
        with pytest.raises(PermissionDenied):
            tag_sheet_print(actor=world["p"][who], incident_id=incident.pk)
    for bad in ({"prefix": "TOO-LONG-PREFIX"}, {"count": 0}, {"count": 481}, {"start": 99_999, "count": 2}):
        with pytest.raises(DomainError) as refused:
            tag_sheet_print(actor=world["p"]["nc"], incident_id=incident.pk, **bad)
        assert refused.value.code.value == "tag_range_invalid", bad


def test_the_api_and_page_serve_the_sheet(world):
    incident = declare(world, exercise=True, title="Drill")
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(world["users"]["nc"])
    page = client.get(f"/incidents/{incident.pk}/tags/").content.decode()
    assert f'action="/incidents/{incident.pk}/tags/"' in page
    pdf = client.get(f"/api/incidents/{incident.pk}/tags.pdf", {"prefix": "D", "start": "1", "count": "25"})
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert [len(codes) for codes in decoded_pages(pdf.content)] == [24, 1]
    assert client.get(f"/api/incidents/{incident.pk}/tags.pdf", {"count": "0"}).status_code == 422
    from_page = client.get(f"/incidents/{incident.pk}/tags/", {"prefix": "T", "start": "1", "count": "2"})
    assert (from_page.status_code, from_page["Content-Type"]) == (200, "application/pdf")
    assert decoded_pages(from_page.content) == [["T-0001", "T-0002"]]


def test_a_range_is_printed_once_unless_marked_as_a_reprint(world):
    """Two sheets with one number would give two casualties one tag: an overlapping range is refused with the next
    free number (API 409, the page re-offers the form); a reprint of damaged sheets says so and is audited."""
    incident = declare(world)
    nc = world["p"]["nc"]
    tag_sheet_print(actor=nc, incident_id=incident.pk, prefix="T", start=1, count=48)
    with pytest.raises(DomainError) as refused:
        tag_sheet_print(actor=nc, incident_id=incident.pk, prefix="T", start=40, count=20)
    assert (refused.value.status, refused.value.code.value, refused.value.field) == (409, "tag_range_printed", "start")
    assert "T-0001" in refused.value.detail and "T-0048" in refused.value.detail and "49" in refused.value.detail
    tag_sheet_print(actor=nc, incident_id=incident.pk, prefix="T", start=49, count=2)  # the next free numbers
    tag_sheet_print(actor=nc, incident_id=incident.pk, prefix="B", start=1, count=5)  # another prefix is free
    again = tag_sheet_print(actor=nc, incident_id=incident.pk, prefix="T", start=2, count=1, reprint=True)
    assert decoded_pages(again.content) == [["T-0002"]]
    printed = [(p.prefix, p.first, p.last, p.reprint) for p in incident.tag_prints.order_by("pk")]
    assert printed == [("T", 1, 48, False), ("T", 49, 50, False), ("B", 1, 5, False), ("T", 2, 2, True)]
    assert [e.changes["reprint"] for e in AuditEvent.objects.filter(action="print_tags").order_by("pk")] == [
        False, False, False, True]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world["users"]["nc"])
    page = client.get(f"/incidents/{incident.pk}/tags/")
    assert 'name="start" value="51"' in page.content.decode()
    overlap = client.get(f"/incidents/{incident.pk}/tags/", {"prefix": "T", "start": "50", "count": "3"})
    assert overlap.status_code == 409
    assert "the next free number is 51" in overlap.content.decode()
    api = client.get(f"/api/incidents/{incident.pk}/tags.pdf", {"prefix": "T", "start": "50", "count": "3"})
    assert (api.status_code, api.json()["detail"][0]["code"]) == (409, "tag_range_printed")


def client_of(world, who):
    client = Client()
    client.force_login(world["users"][who])
    return client


def test_scanning_registers_a_new_tag_once_then_opens_it(world):
    incident = declare(world)
    client = client_of(world, "medic_h1")  # a scene clinician of INC-H1: not in the incident yet
    assert client.post(f"/incidents/{incident.pk}/scan/", {"tag": "s-1"}).status_code == 403
    client = client_of(world, "rc75")
    page = client.get(f"/incidents/{incident.pk}/scan/").content.decode()
    assert 'src="/static/incidents/scan.js"' in page and "<script>" not in page
    first = client.post(f"/incidents/{incident.pk}/scan/", {"tag": " s-1 "})
    again = client.post(f"/incidents/{incident.pk}/scan/", {"tag": "S-1"})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/incidents/{incident.pk}/casualties/S-1/"
    assert list(Casualty.objects.filter(incident=incident).values_list("tag", "registered_by_label")) == [
        ("S-1", "inc-rc75")]
    bad = client.post(f"/incidents/{incident.pk}/scan/", {"tag": "no spaces allowed"})
    assert bad.status_code == 422 and Casualty.objects.count() == 1
