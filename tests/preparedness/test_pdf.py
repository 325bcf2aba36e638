"""PDF exports rendered to PNG with pdfium: the text a reader needs is on the page (index, category, call-down
list; Cyrillic in Russian), and the category badge is drawn in its colour."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.test import Client

from tests.capacity.capacity_helpers import make_user
from tests.preparedness.test_assessments import SHORT
from tests.preparedness.test_plans import PLAN

# Where the PNGs are kept for a person to look at (the test's own tmp dir unless JEDEL_TEST_PNG_DIR is set).
PNG_DIR = os.environ.get("JEDEL_TEST_PNG_DIR")


def _render(pdf: bytes, out: Path) -> tuple[list[str], list[set[tuple[int, int, int]]]]:
    """Each page's text and its set of colours; page 1 is saved as PNG at 100 dpi."""
    document = pdfium.PdfDocument(pdf)
    texts, colours = [], []
    for n, page in enumerate(document):
        texts.append(page.get_textpage().get_text_range())
        image = page.render(scale=100 / 72).to_pil().convert("RGB")
        if n == 0:
            image.save(out)
        colours.append({c for _n, c in image.getcolors(maxcolors=1 << 24)})
    return texts, colours


@pytest.fixture
def manager(hospitals):
    client = Client()
    client.force_login(make_user("pdf-mgr", "facility_manager", facility=hospitals["A"]))
    return client


def _out(tmp_path: Path, name: str) -> Path:
    folder = Path(PNG_DIR) if PNG_DIR else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def test_assessment_pdf_shows_the_index_category_and_its_colour(manager, hospitals, tmp_path):
    r = manager.post("/api/preparedness/hsi", json.dumps({"facility": hospitals["A"].pk, "assessed_on": "2026-11-02",
                                                          "evaluators": ["A. Seitkali"]}), content_type="application/json")
    pk = r.json()["id"]
    manager.post(f"/api/preparedness/hsi/{pk}/ratings", json.dumps({"ratings": SHORT}), content_type="application/json")
    manager.post(f"/api/preparedness/hsi/{pk}/remediation", json.dumps({"owner": "Chief engineer",
                                                                        "due_on": "2027-03-01"}),
                 content_type="application/json")
    response = manager.get(f"/preparedness/hsi/{pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="hsi-PR-A-2026-11-02.pdf"'
    texts, colours = _render(response.content, _out(tmp_path, "hsi-assessment.png"))
    first = texts[0]
    # The hand-computed case of test_assessments: 0.498611… → 0.50, category B.
    assert "Safety index 0.50" in first and "Hospital Safety Index: Hospital PR-A" in first
    assert "Patients, staff and functioning are potentially at risk" in first
    assert "Chief engineer" in "".join(texts)     # the remediation tasks
    assert (138, 109, 0) in colours[0]             # category B's badge colour (preparedness.css .hsi-B)
    assert (198, 40, 40) not in colours[0]         # and not C's


def test_plan_pdf_has_the_call_down_list_and_is_cyrillic_in_russian(manager, hospitals, tmp_path, settings):
    manager.put(f"/api/preparedness/plans/{hospitals['A'].pk}", json.dumps(PLAN), content_type="application/json")
    texts, _colours = _render(manager.get(f"/preparedness/plans/{hospitals['A'].pk}/pdf/").content,
                              _out(tmp_path, "plan-en.png"))
    text = "".join(texts)
    assert "1. Incident commander: Chief physician +7 727 000 0001" in text
    assert "Deputy: Deputy chief physician" in text
    assert "2. Safety officer: Head of security" in text
    assert "5 %" in texts[0]   # overall (1.5/7 + 1/5)/9 = 4.6 % → 5 %
    manager.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    texts, _colours = _render(manager.get(f"/preparedness/plans/{hospitals['A'].pk}/pdf/").content,
                              _out(tmp_path, "plan-ru.png"))
    assert "Больница PR-A" in texts[0]


def test_pdf_follows_the_pages_rights(hospitals):
    medic = Client()
    medic.force_login(make_user("pdf-medic", "clinician", facility=hospitals["A"]))
    assert medic.get(f"/preparedness/plans/{hospitals['A'].pk}/pdf/").status_code == 403
