"""route_item: one responsible agency per item (DESIGN §5), on small directories stating their own facts."""

from __future__ import annotations

from typing import Any

from models.directory import Directory, parse_directory
from models.routing import ANY_LOCALITY, Route, RouteReason, route_item


def make_directory(
    *,
    agencies: list[str] | None = None,
    localities: dict[str, str] | None = None,
    categories: dict[str, str] | None = None,
    triage: str = "TRIAGE",
) -> Directory:
    """Build a directory from short facts: agency codes, locality -> agency, category -> route."""
    agency_codes = agencies if agencies is not None else ["TRIAGE", "LAND", "UBND-A", "UBND-B"]
    locality_agencies = localities if localities is not None else {"ward-a": "UBND-A", "ward-b": "UBND-B"}
    category_routes = categories if categories is not None else {"land": "LAND", "urban-order": "locality"}
    raw: dict[str, Any] = {
        "province": {"code": "test", "name": "Tỉnh Thử"},
        "triage_agency": triage,
        "agencies": [{"code": code, "name": f"Cơ quan {code}"} for code in agency_codes],
        "localities": [
            {"code": code, "name": f"Phường {code}", "kind": "phường", "agency": agency}
            for code, agency in locality_agencies.items()
        ],
        "categories": [
            {"code": code, "name": f"Lĩnh vực {code}", "route": route}
            for code, route in category_routes.items()
        ],
    }
    return parse_directory(raw, source="test")


def route(
    directory: Directory,
    category_code: str | None,
    locality_code: str | None,
    rules: dict[tuple[str, str], str] | None = None,
) -> Route:
    """Call route_item with positional shorthand, so each test reads as one fact."""
    return route_item(directory, category_code=category_code, locality_code=locality_code, saved_rules=rules)


def test_category_routes_to_its_named_agency() -> None:
    directory = make_directory()
    assert route(directory, "land", "ward-a") == Route("LAND", RouteReason.CATEGORY)


def test_named_agency_route_does_not_depend_on_the_locality() -> None:
    directory = make_directory()
    for locality_code in ("ward-a", "ward-b", "nowhere", None):
        chosen = route(directory, "land", locality_code)
        assert chosen == Route("LAND", RouteReason.CATEGORY), locality_code


def test_locality_route_goes_to_the_localitys_own_agency() -> None:
    directory = make_directory()
    assert route(directory, "urban-order", "ward-a") == Route("UBND-A", RouteReason.LOCALITY)
    assert route(directory, "urban-order", "ward-b") == Route("UBND-B", RouteReason.LOCALITY)


def test_locality_route_with_unknown_locality_goes_to_triage() -> None:
    directory = make_directory()
    assert route(directory, "urban-order", "ward-z") == Route("TRIAGE", RouteReason.TRIAGE)


def test_locality_route_with_missing_locality_goes_to_triage() -> None:
    directory = make_directory()
    for locality_code in (None, ""):
        chosen = route(directory, "urban-order", locality_code)
        assert chosen == Route("TRIAGE", RouteReason.TRIAGE), repr(locality_code)


def test_triage_is_whatever_agency_the_directory_names() -> None:
    directory = make_directory(triage="UBND-B")
    assert route(directory, "urban-order", None) == Route("UBND-B", RouteReason.TRIAGE)
    assert route(directory, "weather", "ward-a") == Route("UBND-B", RouteReason.TRIAGE)


def test_two_localities_may_share_one_agency() -> None:
    directory = make_directory(localities={"ward-a": "UBND-A", "hamlet-c": "UBND-A", "ward-b": "UBND-B"})
    assert route(directory, "urban-order", "hamlet-c") == Route("UBND-A", RouteReason.LOCALITY)


def test_category_routed_to_the_triage_agency_is_a_category_route() -> None:
    directory = make_directory(categories={"other": "TRIAGE", "urban-order": "locality"})
    assert route(directory, "other", "ward-a") == Route("TRIAGE", RouteReason.CATEGORY)


def test_unknown_category_goes_to_triage() -> None:
    directory = make_directory()
    assert route(directory, "weather", "ward-a") == Route("TRIAGE", RouteReason.TRIAGE)


def test_missing_category_goes_to_triage() -> None:
    directory = make_directory()
    assert route(directory, None, "ward-a") == Route("TRIAGE", RouteReason.TRIAGE)


def test_saved_rule_for_category_and_locality_wins() -> None:
    directory = make_directory()
    rules = {("land", "ward-a"): "UBND-A"}
    assert route(directory, "land", "ward-a", rules) == Route("UBND-A", RouteReason.SAVED_RULE)
    # The rule is for ward-a only; ward-b still follows the category.
    assert route(directory, "land", "ward-b", rules) == Route("LAND", RouteReason.CATEGORY)


def test_saved_rule_for_a_locality_route_overrides_the_locality_agency() -> None:
    directory = make_directory()
    rules = {("urban-order", "ward-b"): "LAND"}
    assert route(directory, "urban-order", "ward-b", rules) == Route("LAND", RouteReason.SAVED_RULE)
    assert route(directory, "urban-order", "ward-a", rules) == Route("UBND-A", RouteReason.LOCALITY)


def test_saved_rule_for_any_locality_applies_everywhere() -> None:
    directory = make_directory()
    rules = {("urban-order", ANY_LOCALITY): "LAND"}
    for locality_code in ("ward-a", "ward-b", "ward-z", None):
        chosen = route(directory, "urban-order", locality_code, rules)
        assert chosen == Route("LAND", RouteReason.SAVED_RULE), locality_code


def test_saved_rule_for_a_locality_beats_the_rule_for_any_locality() -> None:
    directory = make_directory()
    rules = {("urban-order", ANY_LOCALITY): "LAND", ("urban-order", "ward-b"): "UBND-A"}
    assert route(directory, "urban-order", "ward-b", rules) == Route("UBND-A", RouteReason.SAVED_RULE)
    assert route(directory, "urban-order", "ward-a", rules) == Route("LAND", RouteReason.SAVED_RULE)


def test_saved_rule_for_another_category_does_not_apply() -> None:
    directory = make_directory()
    rules = {("land", ANY_LOCALITY): "UBND-B"}
    assert route(directory, "urban-order", "ward-a", rules) == Route("UBND-A", RouteReason.LOCALITY)


def test_saved_rule_naming_a_removed_agency_is_ignored() -> None:
    # Before the 2025 reform a district committee existed and supervisors saved rules naming it.
    agencies_before = ["TRIAGE", "LAND", "UBND-A", "UBND-B", "UBND-DISTRICT"]
    before = make_directory(agencies=agencies_before)
    rules = {("land", "ward-a"): "UBND-DISTRICT", ("urban-order", ANY_LOCALITY): "UBND-DISTRICT"}
    assert route(before, "land", "ward-a", rules) == Route("UBND-DISTRICT", RouteReason.SAVED_RULE)
    # After it, the directory no longer lists that agency: the rules are skipped, not followed.
    after = make_directory(agencies=[code for code in agencies_before if code != "UBND-DISTRICT"])
    assert route(after, "land", "ward-a", rules) == Route("LAND", RouteReason.CATEGORY)
    assert route(after, "urban-order", "ward-b", rules) == Route("UBND-B", RouteReason.LOCALITY)


def test_a_removed_agency_in_the_specific_rule_falls_back_to_the_any_locality_rule() -> None:
    directory = make_directory()
    rules = {("land", "ward-a"): "UBND-OLD-DISTRICT", ("land", ANY_LOCALITY): "UBND-B"}
    assert route(directory, "land", "ward-a", rules) == Route("UBND-B", RouteReason.SAVED_RULE)


def test_saved_rules_do_not_rescue_an_unknown_category() -> None:
    directory = make_directory()
    rules = {("weather", ANY_LOCALITY): "LAND"}
    assert route(directory, "weather", "ward-a", rules) == Route("TRIAGE", RouteReason.TRIAGE)


def test_empty_saved_rules_behave_like_none() -> None:
    directory = make_directory()
    assert route(directory, "land", "ward-a", {}) == Route("LAND", RouteReason.CATEGORY)
    assert route_item(directory, category_code="land", locality_code="ward-a") == Route(
        "LAND", RouteReason.CATEGORY
    )
