"""The directory file: the bundled Thái Nguyên sample, locality search, and errors that name the bad key."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from models.directory import (
    LOCALITY_ROUTE,
    Directory,
    DirectoryError,
    load_directory,
    parse_directory,
)
from models.routing import RouteReason, route_item
from models.working_time import WorkingCalendar

SAMPLE_PATH = Path(__file__).resolve().parent.parent / "bot" / "data" / "thai-nguyen.sample.yaml"


@pytest.fixture(scope="module")
def sample_raw() -> dict[str, Any]:
    """The sample file as plain YAML data, before validation."""
    return yaml.safe_load(SAMPLE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample() -> Directory:
    return load_directory(SAMPLE_PATH)


@pytest.fixture
def raw(sample_raw: dict[str, Any]) -> dict[str, Any]:
    """A private copy of the sample data that a test may break."""
    return copy.deepcopy(sample_raw)


def _index_of(items: list[dict[str, Any]], code: str) -> int:
    return next(index for index, item in enumerate(items) if item["code"] == code)


def _parse_error(raw: dict[str, Any]) -> str:
    with pytest.raises(DirectoryError) as caught:
        parse_directory(raw, source="sample.yaml")
    return str(caught.value)


# --- The bundled sample ---------------------------------------------------------------------------------


def test_sample_loads_and_is_marked_as_sample(sample: Directory) -> None:
    assert sample.is_sample is True
    assert sample.province.name == "tỉnh Thái Nguyên"
    assert sample.triage_agency == "VP-UBND"
    assert sample.agency("VP-UBND").chat_id is None
    assert 25 <= len(sample.localities) <= 40
    assert len(sample.categories) >= 12


def test_sample_sets_no_chat_ids(sample: Directory) -> None:
    assert [agency.code for agency in sample.agencies if agency.chat_id is not None] == []
    assert sample.supervisors.chat_id is None
    assert sample.supervisors.name == "Văn phòng UBND tỉnh Thái Nguyên"


def test_every_sample_locality_routes_to_its_own_peoples_committee(sample: Directory) -> None:
    for locality in sample.localities:
        agency = sample.agency(locality.agency)
        assert agency.code.startswith("UBND-"), locality.code
        assert agency.name == f"UBND {locality.kind} {locality.name}", locality.code
    # No two localities share a committee: each commune or ward has its own after the 2025 reform.
    assert len({locality.agency for locality in sample.localities}) == len(sample.localities)


def test_every_sample_category_route_resolves(sample: Directory) -> None:
    some_locality = sample.localities_by_code["phan-dinh-phung"]
    for category in sample.categories:
        assert category.route == LOCALITY_ROUTE or category.route in sample.agencies_by_code, category.code
        route = route_item(sample, category_code=category.code, locality_code=some_locality.code)
        assert route.reason in (RouteReason.CATEGORY, RouteReason.LOCALITY), category.code
        assert route.agency_code in sample.agencies_by_code


def test_sample_routes_follow_the_2025_departments(sample: Directory) -> None:
    routes = {category.code: category.route for category in sample.categories}
    assert routes["dat-dai"] == "SO-NNMT"
    assert routes["moi-truong"] == "SO-NNMT"
    assert routes["giao-thong"] == "SO-XD"
    assert routes["an-sinh-lao-dong"] == "SO-NV"
    assert routes["trat-tu-xay-dung"] == LOCALITY_ROUTE
    assert routes["khac"] == "VP-UBND"
    assert sample.categories_by_code["an-ninh-trat-tu"].is_urgent
    assert sample.categories_by_code["thien-tai-khan-cap"].is_urgent


def test_sample_departments_have_english_names(sample: Directory) -> None:
    for agency in sample.agencies:
        assert agency.name_en, agency.code
    assert sample.agency("SO-NNMT").display_name("en") == "Department of Agriculture and Environment"
    assert sample.agency("SO-NNMT").display_name("vi") == "Sở Nông nghiệp và Môi trường"


# --- find_localities -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "phan dinh phung",
        "PHAN ĐÌNH PHÙNG",
        "phường phan đình phùng",
        "Phường Phan Đình Phùng",
        "p. phan dinh phung",
        "  phan   dinh  phung ",
        "dinh phung",
    ],
)
def test_find_localities_finds_phan_dinh_phung_first(sample: Directory, query: str) -> None:
    found = sample.find_localities(query)
    assert found, query
    assert found[0].code == "phan-dinh-phung"


def test_find_localities_ranks_exact_before_prefix_before_partial(sample_raw: dict[str, Any]) -> None:
    raw = copy.deepcopy(sample_raw)
    raw["localities"] = [
        {"code": "partial", "name": "Tân Sơn Hà", "agency": "VP-UBND"},
        {"code": "prefix", "name": "Sơn Hà Thượng", "agency": "VP-UBND"},
        {"code": "exact", "name": "Sơn Hà", "agency": "VP-UBND"},
    ]
    directory = parse_directory(raw)
    assert [locality.code for locality in directory.find_localities("son ha")] == [
        "exact",
        "prefix",
        "partial",
    ]


def test_find_localities_matches_aliases(sample: Directory) -> None:
    assert [locality.code for locality in sample.find_localities("Chợ Chu")] == ["dinh-hoa"]


@pytest.mark.parametrize("query", ["Hoàn Kiếm", "zzz", "", "   ", "p. "])
def test_find_localities_unknown_text_returns_nothing(sample: Directory, query: str) -> None:
    assert sample.find_localities(query) == []


def test_find_localities_exact_name_starting_like_a_kind_word_comes_first(sample_raw: dict[str, Any]) -> None:
    raw = copy.deepcopy(sample_raw)
    raw["localities"].insert(0, {"code": "tien-bo", "name": "Tiến Bộ", "agency": "VP-UBND"})
    directory = parse_directory(raw)
    assert directory.find_localities("Phượng Tiến")[0].code == "phuong-tien"


# --- Files that must be refused, each with a message naming the key --------------------------------------


def test_unknown_agency_in_category_route(raw: dict[str, Any]) -> None:
    index = _index_of(raw["categories"], "dat-dai")
    raw["categories"][index]["route"] = "SO-TNMT"  # the pre-2025 department, merged away
    message = _parse_error(raw)
    assert f"categories[{index}] (dat-dai).route" in message
    assert "'SO-TNMT'" in message
    assert message.startswith("sample.yaml: ")


def test_unknown_agency_for_locality(raw: dict[str, Any]) -> None:
    index = _index_of(raw["localities"], "linh-son")
    raw["localities"][index]["agency"] = "UBND-TP-THAI-NGUYEN"  # the district level no longer exists
    message = _parse_error(raw)
    assert f"localities[{index}] (linh-son).agency" in message
    assert "'UBND-TP-THAI-NGUYEN'" in message


def test_unknown_triage_agency(raw: dict[str, Any]) -> None:
    raw["triage_agency"] = "VP-UBND-TINH"
    message = _parse_error(raw)
    assert "triage_agency" in message
    assert "'VP-UBND-TINH'" in message


def test_duplicate_agency_code(raw: dict[str, Any]) -> None:
    raw["agencies"].append({"code": "SO-YT", "name": "Sở Y tế (bản trùng)"})
    message = _parse_error(raw)
    assert "agencies" in message
    assert "'SO-YT' appears twice" in message


def test_duplicate_chat_id_between_two_agencies(raw: dict[str, Any]) -> None:
    first = _index_of(raw["agencies"], "SO-XD")
    second = _index_of(raw["agencies"], "SO-CT")
    raw["agencies"][first]["chat_id"] = -1001000000001
    raw["agencies"][second]["chat_id"] = -1001000000001
    message = _parse_error(raw)
    assert "(SO-CT).chat_id" in message
    assert "-1001000000001" in message
    assert "SO-XD" in message


def test_agency_chat_id_equal_to_the_supervisors_chat_id(raw: dict[str, Any]) -> None:
    raw["supervisors"]["chat_id"] = -1001000000002
    raw["agencies"][_index_of(raw["agencies"], "SO-NV")]["chat_id"] = -1001000000002
    message = _parse_error(raw)
    assert "(SO-NV).chat_id" in message
    assert "supervisors" in message


def test_transfer_window_above_the_legal_maximum(raw: dict[str, Any]) -> None:
    raw["deadlines"]["transfer_window_days"] = 6
    message = _parse_error(raw)
    assert "deadlines.transfer_window_days" in message
    assert "5" in message


def test_transfer_window_at_the_legal_maximum_is_accepted(raw: dict[str, Any]) -> None:
    raw["deadlines"]["transfer_window_days"] = 5
    assert parse_directory(raw).deadlines.transfer_window_days == 5


def test_malformed_working_period(raw: dict[str, Any]) -> None:
    raw["working_time"]["periods"] = ["7h30-11h30", "13:00-17:00"]
    message = _parse_error(raw)
    assert "working_time.periods" in message
    assert "7h30-11h30" in message


def test_overlapping_working_periods(raw: dict[str, Any]) -> None:
    raw["working_time"]["periods"] = ["07:30-13:30", "13:00-17:00"]
    message = _parse_error(raw)
    assert "working_time.periods" in message
    assert "13:00-17:00" in message


def test_unknown_top_level_key(raw: dict[str, Any]) -> None:
    raw["agencys"] = raw.pop("agencies")
    message = _parse_error(raw)
    assert "agencys" in message
    assert "Extra inputs are not permitted" in message


def test_unknown_key_inside_an_agency(raw: dict[str, Any]) -> None:
    index = _index_of(raw["agencies"], "SO-TP")
    raw["agencies"][index]["chatid"] = -1001000000003
    message = _parse_error(raw)
    assert f"agencies[{index}] (SO-TP).chatid" in message


def test_not_yaml_at_all(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("province: {code: thai-nguyen\nagencies: [\n", encoding="utf-8")
    with pytest.raises(DirectoryError, match="not valid YAML") as caught:
        load_directory(path)
    assert str(path) in str(caught.value)


def test_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    with pytest.raises(DirectoryError, match="file not found") as caught:
        load_directory(path)
    assert str(path) in str(caught.value)


def test_top_level_is_a_list(tmp_path: Path, raw: dict[str, Any]) -> None:
    path = tmp_path / "list.yaml"
    path.write_text(yaml.safe_dump([raw], allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError, match="top level must be a mapping") as caught:
        load_directory(path)
    assert str(path) in str(caught.value)


def test_a_broken_file_on_disk_names_the_file_and_the_key(tmp_path: Path, raw: dict[str, Any]) -> None:
    raw["triage_agency"] = "NOBODY"
    path = tmp_path / "thai-nguyen.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "triage_agency: unknown agency code 'NOBODY'" in str(caught.value)


# --- Deadlines and the calendar ------------------------------------------------------------------------


def test_answer_days_category_override(sample: Directory) -> None:
    waste = sample.categories_by_code["ve-sinh-khu-dan-cu"]
    assert waste.answer_days == 5
    assert sample.answer_days_for(waste) == 5


def test_answer_days_override_beats_urgent(raw: dict[str, Any]) -> None:
    raw["categories"][_index_of(raw["categories"], "an-ninh-trat-tu")]["answer_days"] = 3
    directory = parse_directory(raw)
    assert directory.answer_days_for(directory.categories_by_code["an-ninh-trat-tu"]) == 3


def test_answer_days_urgent_default(raw: dict[str, Any]) -> None:
    raw["deadlines"]["urgent_answer_days"] = 2
    directory = parse_directory(raw)
    assert directory.answer_days_for(directory.categories_by_code["an-ninh-trat-tu"]) == 2


def test_answer_days_province_default(raw: dict[str, Any]) -> None:
    raw["deadlines"]["answer_days"] = 15
    directory = parse_directory(raw)
    assert directory.answer_days_for(directory.categories_by_code["dat-dai"]) == 15
    assert directory.answer_days_for(None) == 15


def test_sample_deadlines_are_the_design_defaults(sample: Directory) -> None:
    deadlines = sample.deadlines
    assert (deadlines.claim_hours, deadlines.transfer_window_days) == (8, 2)
    assert (deadlines.answer_days, deadlines.urgent_answer_days, deadlines.consultation_days) == (10, 1, 5)
    assert sample.answer_days_for(sample.categories_by_code["dat-dai"]) == 10
    assert sample.answer_days_for(sample.categories_by_code["thien-tai-khan-cap"]) == 1


def test_calendar_uses_the_make_up_days_and_days_off_from_the_file(
    tmp_path: Path, raw: dict[str, Any]
) -> None:
    makeup_saturday = date(2026, 1, 10)
    day_off_monday = date(2026, 3, 2)
    raw["working_time"]["makeup_working_days"] = [makeup_saturday]
    raw["working_time"]["extra_days_off"] = [day_off_monday]
    path = tmp_path / "thai-nguyen.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert "2026-01-10" in path.read_text(encoding="utf-8")

    calendar = load_directory(path).calendar()

    assert isinstance(calendar, WorkingCalendar)
    assert calendar.makeup_working_days == frozenset({makeup_saturday})
    assert calendar.extra_days_off == frozenset({day_off_monday})
    assert makeup_saturday.weekday() == 5
    assert calendar.is_working_day(makeup_saturday)
    assert not calendar.is_working_day(date(2026, 1, 17))  # an ordinary Saturday
    assert not calendar.is_working_day(day_off_monday)
    assert str(calendar.timezone) == "Asia/Ho_Chi_Minh"


def test_sample_calendar_has_the_design_office_hours(sample: Directory) -> None:
    calendar = sample.calendar()
    assert [(start.isoformat("minutes"), end.isoformat("minutes")) for start, end in calendar.periods] == [
        ("07:30", "11:30"),
        ("13:00", "17:00"),
    ]
    assert calendar.makeup_working_days == frozenset()
    assert calendar.extra_days_off == frozenset()


def test_unknown_time_zone_is_named(raw: dict[str, Any]) -> None:
    raw["province"]["timezone"] = "Asia/Hanoi_typo"
    assert "province.timezone" in _parse_error(raw)


def test_day_cannot_be_both_off_and_a_makeup_day(raw: dict[str, Any]) -> None:
    raw["working_time"] = {"extra_days_off": ["2026-12-31"], "makeup_working_days": ["2026-12-31"]}
    message = _parse_error(raw)
    assert "working_time" in message and "2026-12-31" in message


def test_impossible_hour_names_the_period(raw: dict[str, Any]) -> None:
    raw["working_time"] = {"periods": ["07:30-25:30"]}
    assert "'07:30-25:30'" in _parse_error(raw)


def test_locality_is_not_an_agency_code(raw: dict[str, Any]) -> None:
    raw["agencies"].append({"code": "locality", "name": "Đơn vị nhầm"})
    assert "reserved" in _parse_error(raw)
