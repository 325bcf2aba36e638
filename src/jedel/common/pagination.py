"""Pagination shared by list endpoints."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000


class BoundedPageNumberPagination(PageNumberPagination):
    """Page-number pagination whose page and size are bounded: a huge ?page= is a 422, not a database overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
