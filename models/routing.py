"""Which agency is responsible for a new item (DESIGN §5). Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from models.directory import LOCALITY_ROUTE, Directory

ANY_LOCALITY = ""


class RouteReason(StrEnum):
    """Why an item went where it went; recorded in its history."""

    SAVED_RULE = "saved_rule"  # a supervisor's dispute decision saved as a rule
    CATEGORY = "category"  # the category names an agency
    LOCALITY = "locality"  # the category goes to the locality's own agency
    TRIAGE = "triage"  # unknown category or locality: the triage agency routes by hand


@dataclass(frozen=True)
class Route:
    """The responsible agency and the reason it was chosen."""

    agency_code: str
    reason: RouteReason


SavedRules = Mapping[tuple[str, str], str]
"""(category_code, locality_code or ANY_LOCALITY) -> agency_code."""


def route_item(
    directory: Directory,
    *,
    category_code: str | None,
    locality_code: str | None,
    saved_rules: SavedRules | None = None,
) -> Route:
    """Choose the one responsible agency for an item."""
    category = directory.categories_by_code.get(category_code or "")
    if category is None:
        return Route(directory.triage_agency, RouteReason.TRIAGE)
    locality = directory.localities_by_code.get(locality_code or "")
    rules = saved_rules or {}
    for key in ((category.code, locality.code if locality else ANY_LOCALITY), (category.code, ANY_LOCALITY)):
        agency_code = rules.get(key)
        if agency_code in directory.agencies_by_code:
            return Route(agency_code, RouteReason.SAVED_RULE)
    if category.route != LOCALITY_ROUTE:
        return Route(category.route, RouteReason.CATEGORY)
    if locality is None:
        return Route(directory.triage_agency, RouteReason.TRIAGE)
    return Route(locality.agency, RouteReason.LOCALITY)
