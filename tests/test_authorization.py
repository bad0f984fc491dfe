"""Nobody acts where they do not belong: each wrong person, chat, state or button is refused and changes nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bot.callbacks import MAX_CALLBACK_BYTES
from bot.views.buttons import CardAction, CardPress
from bot.views.render import agency_key
from models.items import claim_item
from models.lifecycle import Actor, RefusalReason, Refused
from models.tables import ActorRole, ItemEvent, ItemState
from tests.constants import TEST_DIRECTORY
from tests.flows import CITIZEN
from tests.harness import Harness, build_harness, make_settings
from tests.officer_world import (
    NNMT_GROUP,
    OFFICER_NNMT,
    OFFICER_XD,
    OTHER_OFFICER_XD,
    OUTSIDER,
    SUPERVISOR,
    SUPERVISORS_GROUP,
    XD_GROUP,
    alerts,
    card_of,
    claim,
    last_bot_message,
    press_on,
    seat_everyone,
    submit_road_item,
    transfer_item,
)


async def snapshot(harness: Harness, code: str) -> tuple[Any, ...]:
    """Return what must not change when an action is refused."""
    item = await harness.item(code)
    return (
        item.state,
        item.state_version,
        item.agency_code,
        item.claimed_by_telegram_user_id,
        item.transfer_count,
    )


async def last_event(harness: Harness, code: str) -> ItemEvent:
    """Return the item's newest event."""
    return (await harness.events((await harness.item(code)).id))[-1]  # type: ignore[arg-type]


def button_data(message: dict[str, Any], label: str) -> str:
    """Return the callback data of a button on a message."""
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if label in button["text"]:
                return str(button["callback_data"])
    raise AssertionError(label)


def posted_elsewhere(harness: Harness, chat_id: int, data: str) -> dict[str, Any]:
    """Return an update pressing `data` under a bot message in another chat (a copied button)."""
    message = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": chat_id, "type": "supergroup", "title": "Nhóm"},
        "from": harness.updates.bot_user(),
        "text": "…",
    }
    return message


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("citizen", "Chỉ thành viên"),
        ("officer_of_another_agency", "Chỉ thành viên"),
        ("outsider", "Chỉ thành viên"),
        ("supervisor", "Chỉ thành viên"),
    ],
)
async def test_people_outside_the_agency_cannot_press_its_card(
    harness: Harness, who: str, expected: str
) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    before = await snapshot(harness, code)
    user = {
        "citizen": CITIZEN,
        "officer_of_another_agency": OFFICER_NNMT,
        "outsider": OUTSIDER,
        "supervisor": SUPERVISOR,
    }[who]
    await press_on(harness, user, card_of(harness, XD_GROUP, code), "Nhận xử lý")
    assert expected in alerts(harness)[-1]
    assert await snapshot(harness, code) == before
    event = await last_event(harness, code)
    assert (event.action, event.actor_telegram_user_id, event.reason) == (
        "refused",
        user.id,
        "not_authorised:not_member",
    )
    assert event.detail["attempted"] == "claim"


async def test_a_copied_button_pressed_in_another_agencys_group_is_refused(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    before = await snapshot(harness, code)
    data = button_data(card_of(harness, XD_GROUP, code), "Nhận xử lý")
    await harness.feed(
        harness.updates.callback(
            OFFICER_NNMT, chat_id=NNMT_GROUP, message=posted_elsewhere(harness, NNMT_GROUP, data), data=data
        )
    )
    assert "cơ quan khác phụ trách" in alerts(harness)[-1]
    assert await snapshot(harness, code) == before
    assert (await last_event(harness, code)).reason == "not_authorised:wrong_agency"


async def test_a_supervisor_decision_outside_the_supervisors_group_is_refused(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await transfer_item(harness, code, "Nông nghiệp")
    await transfer_item(harness, code, "Xây dựng", officer=OFFICER_NNMT, chat_id=NNMT_GROUP)
    before = await snapshot(harness, code)
    data = button_data(last_bot_message(harness, SUPERVISORS_GROUP), "Giao Sở Xây dựng")
    harness.fake.set_member(XD_GROUP, SUPERVISOR.id)  # a supervisor who also sits in an agency group
    await harness.feed(
        harness.updates.callback(
            SUPERVISOR, chat_id=XD_GROUP, message=posted_elsewhere(harness, XD_GROUP, data), data=data
        )
    )
    assert "nhóm giám sát" in alerts(harness)[-1]
    assert await snapshot(harness, code) == before
    assert (await last_event(harness, code)).reason == "not_authorised:not_supervisors_group"
    # an officer inside the supervisors' group is not a member of it either
    await press_on(harness, OFFICER_XD, last_bot_message(harness, SUPERVISORS_GROUP), "Giao Sở Xây dựng")
    assert await snapshot(harness, code) == before
    assert (await last_event(harness, code)).reason == "not_authorised:not_member"


async def test_forged_callback_data_is_refused_without_touching_any_item(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    before = await snapshot(harness, code)
    card = card_of(harness, XD_GROUP, code)
    data = button_data(card, "Nhận xử lý")
    body, _, tag = data.rpartition("|")
    for forged in (body.replace("|claim|", "|reject|") + "|" + tag, body + "|AAAAAAAAAAA", "o.claim|1|0|"):
        await harness.feed(harness.updates.callback(OFFICER_XD, chat_id=XD_GROUP, message=card, data=forged))
        assert "không hợp lệ" in alerts(harness)[-1]
    assert await snapshot(harness, code) == before
    assert (await last_event(harness, code)).action == "submitted"


async def test_a_stale_button_says_so_and_does_nothing(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    old_card = card_of(harness, XD_GROUP, code)  # as it was before the claim
    await claim(harness, code)
    before = await snapshot(harness, code)
    await press_on(harness, OTHER_OFFICER_XD, old_card, "Không thuộc thẩm quyền")
    assert "đã cũ" in alerts(harness)[-1]
    assert await snapshot(harness, code) == before
    event = await last_event(harness, code)
    assert (event.reason, event.actor_telegram_user_id) == ("stale_button", OTHER_OFFICER_XD.id)


async def test_an_action_the_state_does_not_allow_is_refused(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    item = await harness.item(code)
    before = await snapshot(harness, code)
    card = card_of(harness, XD_GROUP, code)
    data = harness.services.signer.pack(CardPress(CardAction.ANSWER, item.id or 0, item.state_version))
    await harness.feed(harness.updates.callback(OFFICER_XD, chat_id=XD_GROUP, message=card, data=data))
    assert "Nhận xử lý" in alerts(harness)[-1]
    assert await snapshot(harness, code) == before
    assert (await last_event(harness, code)).reason == "wrong_state"


async def test_buttons_survive_a_restart(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    card = card_of(harness, XD_GROUP, code)
    from bot.application import build_application, build_services
    from bot.delivery_limits import DeliveryLimiter
    from bot.runner import BotRuntime
    from tests.harness import NO_LIMITS

    services = build_services(harness.services.settings, clock=harness.clock)
    application = build_application(services)
    await application.initialize()
    harness.runtime = BotRuntime(services, application, limiter=DeliveryLimiter(NO_LIMITS))
    try:
        await press_on(harness, OFFICER_XD, card, "Nhận xử lý")
    finally:
        await application.shutdown()
        await services.engine.dispose()
    assert (await harness.item(code)).state is ItemState.IN_PROGRESS


def test_callback_data_fits_in_64_bytes_for_the_longest_agency_codes() -> None:
    import dataclasses
    import typing
    from enum import StrEnum

    import bot.views.buttons  # noqa: F401  (registers every button family)
    from bot.callbacks import CallbackData, CallbackSigner

    signer = CallbackSigner(b"secret")
    longest_key = agency_key("A" * 40)
    for family in CallbackData.families.values():
        if family.__module__.startswith("tests."):
            continue
        hints = typing.get_type_hints(family)
        worst: dict[str, object] = {}
        for field in dataclasses.fields(family):  # type: ignore[arg-type]
            kind = hints[field.name]
            if kind is int:
                worst[field.name] = 2**31 if field.name == "item_id" else 99_999
            elif kind is bool:
                worst[field.name] = True
            elif kind is str:
                worst[field.name] = longest_key
            else:
                worst[field.name] = max(kind, key=lambda member: len(member.value))
                assert issubclass(kind, StrEnum)
        data = signer.pack(family(**worst))  # raises past 64 bytes
        assert len(data.encode()) <= MAX_CALLBACK_BYTES


async def test_two_simultaneous_claims_exactly_one_wins(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    item_id = (await harness.item(code)).id
    assert item_id is not None
    now = harness.clock.now()

    async def claim_as(officer_id: int, name: str) -> bool:
        async with harness.session() as session:
            try:
                await claim_item(
                    session,
                    item_id=item_id,
                    actor=Actor(
                        role=ActorRole.OFFICER, telegram_user_id=officer_id, name=name, agency_code="SO-XD"
                    ),
                    now=now,
                )
            except Refused as refusal:
                assert (
                    refusal.reason is RefusalReason.ALREADY_CLAIMED
                    or refusal.reason is RefusalReason.WRONG_STATE
                )
                return False
            await asyncio.sleep(0.05)  # hold the transaction open so the other claim really overlaps
            return True

    outcomes = await asyncio.gather(claim_as(OFFICER_XD.id, "Hùng"), claim_as(OTHER_OFFICER_XD.id, "Mai"))
    assert sorted(outcomes) == [False, True]
    async with harness.session() as session:
        claims = (
            await session.exec(
                select(ItemEvent).where(ItemEvent.item_id == item_id, col(ItemEvent.action) == "claimed")
            )
        ).all()
    assert len(claims) == 1
    item = await harness.item(code)
    winner = OFFICER_XD.id if outcomes[0] else OTHER_OFFICER_XD.id
    assert item.claimed_by_telegram_user_id == winner == claims[0].actor_telegram_user_id


async def test_a_roster_narrows_the_group_to_listed_officers(
    database_url: str, fake_telegram: Any, clock: Any, tmp_path: Path
) -> None:
    directory = tmp_path / "roster.yaml"
    directory.write_text(
        TEST_DIRECTORY.read_text(encoding="utf-8").replace(
            "- {code: SO-XD, name: Sở Xây dựng, name_en: Department of Construction, chat_id: -1003000}",
            "- {code: SO-XD, name: Sở Xây dựng, name_en: Department of Construction, chat_id: -1003000,\n"
            f"     officers: [{{telegram_user_id: {OFFICER_XD.id}, name: Trần Hùng}}]}}",
        ),
        encoding="utf-8",
    )
    harness = await build_harness(
        make_settings(database_url, fake_telegram, directory_file=directory), fake_telegram, clock
    )
    try:
        seat_everyone(harness)
        code = await submit_road_item(harness)
        before = await snapshot(harness, code)
        await press_on(
            harness, OTHER_OFFICER_XD, card_of(harness, XD_GROUP, code), "Nhận xử lý"
        )  # a member, not listed
        assert "danh sách cán bộ" in alerts(harness)[-1]
        assert await snapshot(harness, code) == before
        assert (await last_event(harness, code)).reason == "not_authorised:not_on_roster"
        await claim(harness, code)
        assert (await harness.item(code)).claimed_by_telegram_user_id == OFFICER_XD.id
    finally:
        await harness.close()
