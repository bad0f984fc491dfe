"""Issue 8, item 6 and the wording rules: the catalogues fit any province, and read as one voice."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.texts import CATALOGUES, text
from bot.views.render import province_words
from models.agencies import create_bind_code
from models.directory import Directory, load_directory

DATA = Path(__file__).parent / "data"
PLACEHOLDER = "‹x›"  # stands for every value that does not come from the directory


@pytest.fixture(scope="module")
def city() -> Directory:
    return load_directory(DATA / "city-province.yaml")


def fields(template: str) -> set[str]:
    """Return the placeholder names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render_everything(directory: Directory, language: str) -> dict[str, str]:
    """Fill every text of a catalogue: names from the directory, a neutral marker for everything else."""
    words = province_words(directory, language)
    rendered = {}
    for key, template in CATALOGUES[language].items():
        values: dict[str, object] = {name: words.get(name, PLACEHOLDER) for name in fields(template)}
        for _, name, spec, _ in string.Formatter().parse(template):
            if name and spec and spec[-1] in "dn":  # a number formatted as such ("{month:02d}")
                values[name] = 7
        rendered[key] = text(language, key, **values)
    return rendered


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    vi, en = CATALOGUES["vi"], CATALOGUES["en"]
    assert sorted(set(vi) ^ set(en)) == []
    assert [key for key in vi if fields(vi[key]) != fields(en[key])] == []


def test_the_city_directory_reads_as_a_city(city: Directory) -> None:
    assert city.province.kind == "thành phố"
    assert city.province.full_name == "thành phố Cần Thơ"
    assert city.supervisors.name == "Văn phòng UBND thành phố Cần Thơ"


def test_no_vietnamese_text_says_tinh_for_a_city(city: Directory) -> None:
    """Render every text with a centrally governed city: any "tỉnh" left came from the catalogue."""
    leaks = {key: value for key, value in render_everything(city, "vi").items() if "tỉnh" in value.lower()}
    assert leaks == {}


def test_no_english_text_says_province_for_a_city(city: Directory) -> None:
    leaks = {
        key: value
        for key, value in render_everything(city, "en").items()
        if re.search(r"provinc", value, re.IGNORECASE)
    }
    assert leaks == {}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_text_names_one_province_or_its_wards(city: Directory, language: str) -> None:
    rendered = render_everything(city, language)
    for fixed in ("Thái Nguyên", "phan dinh phung", "Phan Đình Phùng", "Thai Nguyen"):
        assert [key for key, value in rendered.items() if fixed in value] == [], fixed


def test_a_province_directory_still_reads_as_a_province() -> None:
    province = load_directory(DATA / "test-province.yaml")
    welcome = render_everything(province, "vi")["start.welcome"]
    assert "trên địa bàn tỉnh Thử Nghiệm" in welcome and "Ban Tiếp công dân tỉnh Thử Nghiệm" in welcome


@pytest.mark.parametrize("language", ["vi", "en"])
def test_one_term_for_each_thing(city: Directory, language: str) -> None:
    rendered = render_everything(city, language)
    if language == "vi":
        assert [
            key for key, value in rendered.items() if key.startswith("ladder.") and "đơn vị" in value
        ] == []
        officer_prefixes = (
            "ask.",
            "prompt.",
            "preview.",
            "progress.",
            "reject.",
            "relay.",
            "ladder.",
            "urge.",
            "extend.",
            "supervision.",
            "alert.",
            "answer.",
            "summary.",
            "transfer.",
            "review.",
        )
        assert [
            key
            for key, value in rendered.items()
            if key.startswith(officer_prefixes) and "người dân" in value.lower()
        ] == []
        assert [key for key, value in rendered.items() if re.search(r"\bđóng\b", value)] == []
        assert [
            key for key, value in rendered.items() if "Người xử lý" in value or "Cán bộ nhận xử lý:" in value
        ] == []
    else:
        assert [key for key, value in rendered.items() if "item(s)" in value] == []


def test_the_agency_speaks_to_the_citizen_as_ong_ba(city: Directory) -> None:
    rendered = render_everything(city, "vi")
    for key in ("followup.extended", "ladder.overdue_citizen", "followup.answer", "followup.question"):
        assert "Ông/Bà" in rendered[key] and "bạn" not in rendered[key].lower(), key
    assert "Chúng tôi" not in rendered["ladder.overdue_citizen"]
    assert f"{PLACEHOLDER} thành thật xin lỗi Ông/Bà" in rendered["ladder.overdue_citizen"]


@pytest.mark.parametrize(
    ("key", "one", "many"),
    [
        ("card.attachments", "1 attachment follows", "3 attachments follow"),
        ("privacy.erased", "1 item is now anonymous", "3 items are now anonymous"),
        ("slip.history", "1 event", "3 events"),
        ("overdue.agency", "1 item", "3 items"),
    ],
)
def test_english_counts_agree_with_their_nouns(key: str, one: str, many: str) -> None:
    template = CATALOGUES["en"][key]
    values = {name: PLACEHOLDER for name in fields(template)}
    count_field = "count"
    assert one in text("en", key, **{**values, count_field: 1})
    assert many in text("en", key, **{**values, count_field: 3})


async def test_the_bind_example_has_the_length_of_a_real_code(city: Directory) -> None:
    class Session:
        def add(self, _row: object) -> None:
            """Accept the row; nothing is stored."""

    issued = await create_bind_code(
        session=Session(),  # type: ignore[arg-type]
        directory=city,
        agency_code="VP",
        now=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
        valid_for=timedelta(minutes=30),
    )
    for language in ("vi", "en"):
        example = re.search(r"/bind (\d+)", CATALOGUES[language]["bind.ask_code"])
        assert example is not None and len(example.group(1)) == len(issued.code)


def _directory_with(province: dict[str, str], supervisors: dict[str, str] | None = None) -> Directory:
    from models.directory import parse_directory

    raw: dict[str, object] = {
        "province": {"code": "x", **province},
        "triage_agency": "VP",
        "agencies": [{"code": "VP", "name": "Văn phòng"}],
        "categories": [{"code": "khac", "name": "Khác", "route": "VP"}],
    }
    if supervisors is not None:
        raw["supervisors"] = supervisors
    return parse_directory(raw)


@pytest.mark.parametrize(
    ("province", "kind", "full_name", "english"),
    [
        ({"name": "Thành phố Cần Thơ"}, "thành phố", "thành phố Cần Thơ", "Cần Thơ City"),
        ({"name": "TP. Hồ Chí Minh"}, "thành phố", "thành phố Hồ Chí Minh", "Hồ Chí Minh City"),
        ({"name": "tỉnh Thái Nguyên"}, "tỉnh", "tỉnh Thái Nguyên", "Thái Nguyên Province"),
        ({"name": "Thái Nguyên"}, "tỉnh", "tỉnh Thái Nguyên", "Thái Nguyên Province"),
        ({"name": "Huế", "kind": "thành phố"}, "thành phố", "thành phố Huế", "Huế City"),
        (
            {"name": "Đà Nẵng", "kind": "thành phố", "name_en": "Da Nang"},
            "thành phố",
            "thành phố Đà Nẵng",
            "Da Nang",
        ),
    ],
)
def test_the_kind_of_province_comes_from_the_name_unless_written(
    province: dict[str, str], kind: str, full_name: str, english: str
) -> None:
    directory = _directory_with(province)
    assert directory.province.kind == kind
    assert directory.province.full_name == full_name
    assert directory.province.display_name("en") == english
    assert directory.supervisors.name == f"Văn phòng UBND {full_name}"  # derived when not written


def test_a_written_supervisors_name_is_kept() -> None:
    directory = _directory_with(
        {"name": "Cần Thơ", "kind": "thành phố"}, {"name": "Sở Nội vụ thành phố Cần Thơ"}
    )
    assert directory.supervisors.name == "Sở Nội vụ thành phố Cần Thơ"
