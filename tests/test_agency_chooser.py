"""The agency chooser every group audience shares: pages, cancel, and a chooser used only once."""

from __future__ import annotations

import pytest

from bot.views import paging
from tests.harness import Harness
from tests.officer_world import (
    OFFICER_XD,
    OTHER_OFFICER_XD,
    XD_GROUP,
    alerts,
    buttons_of,
    claim,
    last_bot_message,
    press_on,
    seat_everyone,
    start_prompt,
    submit_road_item,
)


async def test_pages_turn_in_place_and_a_later_page_can_be_picked(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "AGENCIES_PER_PAGE", 2)
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    chooser = await start_prompt(harness, code, "Xin ý kiến phối hợp")
    assert "trang 1/" in chooser["text"] and any("Sau" in label for label in buttons_of(chooser))
    first_page = buttons_of(chooser)
    await press_on(harness, OFFICER_XD, chooser, "Sau")
    await harness.deliver()
    turned = harness.bot_messages(XD_GROUP)[-1]
    assert turned["message_id"] == chooser["message_id"]  # edited, not a new message
    assert "trang 2/" in turned["text"] and buttons_of(turned) != first_page
    assert any("Trước" in label for label in buttons_of(turned))
    agency = next(label for label in buttons_of(turned) if label not in ("◀️ Trước", "Sau ▶️", "✖️ Huỷ"))
    await press_on(harness, OFFICER_XD, turned, agency)
    await harness.deliver()
    assert "trả lời tin nhắn này" in last_bot_message(harness, XD_GROUP)["text"]


async def test_cancel_closes_the_chooser_and_it_cannot_act_again(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    chooser = await start_prompt(harness, code, "Xin ý kiến phối hợp")
    await press_on(harness, OTHER_OFFICER_XD, chooser, "Huỷ")
    assert "Bước này do cán bộ khác bắt đầu" in alerts(harness)[-1]
    await press_on(harness, OFFICER_XD, chooser, "Huỷ")
    await harness.deliver()
    closed = next(m for m in harness.bot_messages(XD_GROUP) if m["message_id"] == chooser["message_id"])
    assert closed["text"] == "Đã huỷ." and not buttons_of(closed)
    await press_on(harness, OFFICER_XD, chooser, "Sở")  # an agency button of the old chooser
    assert "Bước này đã xong" in alerts(harness)[-1]
