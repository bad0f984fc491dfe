"""Issue 8, items 10 and 11: tax codes checked with their check digit, mistyped ward names still found."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from models.clock import ManualClock
from models.directory import load_directory
from models.tax_code import normalise_tax_code
from tests.fake_telegram import FakeTelegram
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness, build_harness, make_settings
from tests.officer_world import XD_GROUP

CITY_DIRECTORY = Path(__file__).parent / "data" / "city-province.yaml"


@pytest_asyncio.fixture
async def city_harness(
    database_url: str, fake_telegram: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Harness]:
    """The real application running for a centrally governed city (Cần Thơ)."""
    settings = make_settings(database_url, fake_telegram, directory_file=CITY_DIRECTORY)
    harness = await build_harness(settings, fake_telegram, clock)
    try:
        yield harness
    finally:
        await harness.close()


def inline_labels(message: dict[str, Any]) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button["text"] for row in keyboard for button in row]


# --- tax code -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("4600123459", "4600123459"),
        ("4600123459001", "4600123459-001"),
        ("4600123459-001", "4600123459-001"),
        (" 46 0012 3459 - 002 ", "4600123459-002"),
        ("0100233488", "0100233488"),
    ],
)
def test_valid_tax_codes_are_written_the_usual_way(typed: str, written: str) -> None:
    assert normalise_tax_code(typed) == written


@pytest.mark.parametrize("typed", ["4600123456", "4600123456001", "12345", "46001234590", "abcdefghij", ""])
def test_wrong_length_or_check_digit_is_refused(typed: str) -> None:
    assert normalise_tax_code(typed) is None


async def test_a_branch_code_without_hyphen_is_accepted_and_shown_with_it(harness: Harness) -> None:
    code = await submit_item(
        harness, CITIZEN, category="Giao thông", business=("Công ty TNHH Thành Đạt", "4600123459001")
    )
    card = harness.fake.texts(XD_GROUP)[0]
    assert code in card and "4600123459-001" in card


async def test_a_tax_code_with_a_wrong_check_digit_is_refused_and_the_step_kept(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Doanh nghiệp")
    await harness.say(CITIZEN, "Công ty A")
    assert "4600123459-001" in harness.last_text(CITIZEN.id)  # the prompt's example is a valid code
    assert normalise_tax_code("4600123459-001") is not None
    await harness.say(CITIZEN, "4600123456001")
    assert "Mã số thuế chưa đúng" in harness.last_text(CITIZEN.id)
    await harness.say(CITIZEN, "4600123459")
    assert "Bước 3/7" in harness.last_text(CITIZEN.id)


# --- typed ward names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ninh kieuu", "phuong ninh kiu", "Ninh Kiêù", "p. ninh kieeu"])
def test_mistyped_ward_names_suggest_the_ward(typed: str) -> None:
    city = load_directory(CITY_DIRECTORY)
    found = city.find_localities(typed) or city.suggest_localities(typed)
    assert found and found[0].code == "ninh-kieu"


def test_nonsense_suggests_nothing() -> None:
    city = load_directory(CITY_DIRECTORY)
    assert city.suggest_localities("xyz qwerty") == [] and city.suggest_localities("ab") == []


async def reach_locality_step(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")
    await harness.press(CITIZEN, CITIZEN.id, "Chiếu sáng")


async def test_a_mistyped_ward_is_offered_as_a_button_and_routes_the_item(city_harness: Harness) -> None:
    harness = city_harness
    await reach_locality_step(harness)
    assert "ví dụ: ninh kieu" in harness.last_text(CITIZEN.id)  # the city's own ward, not a Thái Nguyên one
    await harness.say(CITIZEN, "phuong ninh kiu")
    suggestion = harness.last_message(CITIZEN.id)
    assert "Có phải bạn muốn" in suggestion["text"]
    assert inline_labels(suggestion)[0] == "Phường Ninh Kiều"
    await harness.press(CITIZEN, CITIZEN.id, "Phường Ninh Kiều")
    assert "Bước 5/7" in harness.last_text(CITIZEN.id)


async def test_the_locality_example_is_a_real_locality_of_the_province(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")
    await harness.press(CITIZEN, CITIZEN.id, "Giao thông")
    assert "ví dụ: phan dinh phung" in harness.last_text(CITIZEN.id)  # the test province's own ward


async def test_category_paging_buttons_have_words(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")
    assert "Sau ▶️" in inline_labels(harness.last_message(CITIZEN.id))
    await harness.press(CITIZEN, CITIZEN.id, "Sau ▶️")
    assert "◀️ Trước" in inline_labels(harness.last_message(CITIZEN.id))
