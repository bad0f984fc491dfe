"""The typed callback-data codec: signed, typed, verified before it is read, and within 64 bytes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pytest

from bot.callbacks import CallbackData, CallbackSigner


class Colour(StrEnum):
    RED = "r"
    GREEN = "g"


@dataclass(frozen=True)
class SamplePress(CallbackData, prefix="t.sample"):
    colour: Colour
    item_id: int
    version: int
    flag: bool
    note: str


@dataclass(frozen=True)
class OtherPress(CallbackData, prefix="t.other"):
    item_id: int


SIGNER = CallbackSigner(b"secret")


def test_a_press_round_trips_with_its_types() -> None:
    press = SamplePress(Colour.GREEN, 12, 3, True, "abc")
    raw = SIGNER.pack(press)
    assert raw.startswith("t.sample|g|12|3|1|abc|")
    assert SIGNER.unpack(raw, SamplePress) == press
    assert SamplePress.pattern().match(raw)
    assert not OtherPress.pattern().match(raw)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda raw: raw.replace("|12|", "|13|"),  # another item
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # a changed signature
        lambda raw: raw.rpartition("|")[0],  # no signature
        lambda raw: "",
    ],
)
def test_tampered_data_is_refused(tamper) -> None:  # type: ignore[no-untyped-def]
    raw = SIGNER.pack(SamplePress(Colour.RED, 12, 3, False, "x"))
    assert SIGNER.unpack(tamper(raw), SamplePress) is None


def test_data_signed_with_another_key_is_refused() -> None:
    raw = CallbackSigner(b"other").pack(OtherPress(5))
    assert SIGNER.unpack(raw, OtherPress) is None


def test_a_signed_press_of_another_family_is_refused() -> None:
    raw = SIGNER.pack(OtherPress(5))
    assert SIGNER.unpack(raw, SamplePress) is None


def test_signed_text_with_badly_typed_fields_is_refused() -> None:
    # A body we signed ourselves but whose fields do not match the family's types (an old button layout).
    raw = SIGNER._signed("t.sample|r|1|2|x")  # four fields, not five
    assert SIGNER.unpack(raw, SamplePress) is None
    forged_enum = SIGNER._signed("t.sample|z|1|2|1|n")
    assert SIGNER.unpack(forged_enum, SamplePress) is None
    forged_bool = SIGNER._signed("t.sample|r|1|2|yes|n")
    assert SIGNER.unpack(forged_bool, SamplePress) is None


def test_oversized_data_fails_when_the_button_is_made() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        SIGNER.pack(SamplePress(Colour.RED, 1, 1, True, "x" * 40))


def test_fields_may_not_hold_the_separator_or_negative_numbers() -> None:
    with pytest.raises(ValueError):
        SIGNER.pack(SamplePress(Colour.RED, 1, 1, True, "a|b"))
    with pytest.raises(ValueError):
        SIGNER.pack(OtherPress(-1))


def test_two_families_may_not_share_a_prefix() -> None:
    with pytest.raises(ValueError, match="share the prefix"):

        @dataclass(frozen=True)
        class Clash(CallbackData, prefix="t.other"):
            item_id: int
