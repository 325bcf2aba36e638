"""Every example in docs/*.md runs and prints what the page says it prints."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

DOCS = sorted((Path(__file__).resolve().parents[2] / "docs").glob("*.md"))


@pytest.mark.parametrize("page", DOCS, ids=[p.name for p in DOCS])
def test_doc_examples(page: Path) -> None:
    result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"no examples ran in {page.name}"
    assert result.failed == 0, f"{result.failed} example(s) in {page.name} failed"


def test_every_page_has_examples() -> None:
    for page in DOCS:
        if page.name.startswith("api") or page.name.startswith("deploy"):
            continue
        assert ">>> " in page.read_text(encoding="utf-8"), f"{page.name} has no executed example"
