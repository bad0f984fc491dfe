"""Buttons made by an older version of the bot: a card's are renewed on the first press, forgeries stay refused.

Cards posted before an upgrade carry callback data in the old layout (`o.claim|<id>|<version>||<tag>`).
It is signed with our key, so it is not a forgery: the press edits the card with today's buttons and
asks the officer to press again; nothing else changes. Unsigned data is still "not valid".
"""

from __future__ import annotations

from models.tables import ItemState
from tests.harness import Harness
from tests.officer_world import OFFICER_XD, XD_GROUP, alerts, card_of, claim, seat_everyone, submit_road_item


async def test_an_old_card_button_renews_the_card_and_the_next_press_works(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    card = card_of(harness, XD_GROUP, code)
    item = await harness.item(code)
    old_layout = harness.services.signer._signed(f"o.claim|{item.id}|{item.state_version}|")
    edits_before = len(harness.fake.sent(method="editMessageText")) + len(
        harness.fake.sent(method="editMessageReplyMarkup")
    )
    await harness.feed(harness.updates.callback(OFFICER_XD, chat_id=XD_GROUP, message=card, data=old_layout))
    await harness.deliver()
    assert "làm mới" in alerts(harness)[-1]
    assert (await harness.item(code)).state is ItemState.RECEIVED  # nothing else changed
    edits_after = len(harness.fake.sent(method="editMessageText")) + len(
        harness.fake.sent(method="editMessageReplyMarkup")
    )
    assert edits_after == edits_before + 1
    await claim(harness, code)  # the renewed card's button
    assert (await harness.item(code)).state is ItemState.IN_PROGRESS


async def test_unsigned_data_on_a_card_is_refused_and_the_card_left_alone(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    card = card_of(harness, XD_GROUP, code)
    item = await harness.item(code)
    forged = f"o.claim|{item.id}|{item.state_version}||AAAAAAAAAAA"
    pending_before = len(await harness.pending_outbox())
    await harness.feed(harness.updates.callback(OFFICER_XD, chat_id=XD_GROUP, message=card, data=forged))
    assert "không hợp lệ" in alerts(harness)[-1]
    assert len(await harness.pending_outbox()) == pending_before
    assert (await harness.item(code)).state is ItemState.RECEIVED
