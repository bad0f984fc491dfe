"""Paging a long list of buttons (the agency choosers). No I/O here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

AGENCIES_PER_PAGE = 8
Entry = TypeVar("Entry")


def page_of(entries: Sequence[Entry], page: int, per_page: int | None = None) -> tuple[list[Entry], int, int]:
    """Return the entries shown on one page, the page (kept in range) and the number of pages."""
    per_page = per_page or AGENCIES_PER_PAGE
    pages = max(1, math.ceil(len(entries) / per_page))
    page = min(max(page, 0), pages - 1)
    return list(entries[page * per_page : (page + 1) * per_page]), page, pages
