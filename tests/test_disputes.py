"""Passing an item around is stopped: a second transfer or a transfer back becomes a dispute the province decides."""

from __future__ import annotations

from sqlmodel import select

from models.submission import load_saved_rules
from models.tables import ItemState, RoutingRule
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness
from tests.officer_world import (
    NNMT_GROUP,
    OFFICER_NNMT,
    OFFICER_XD,
    PDP_GROUP,
    SUPERVISOR,
    SUPERVISORS_GROUP,
    XD_GROUP,
    alerts,
    buttons_of,
    card_of,
    claim,
    last_bot_message,
    press_on,
    seat_everyone,
    submit_road_item,
    transfer_item,
)


async def disputed_item(harness: Harness) -> str:
    """Transfer a road item to SO-NNMT, which tries to send it back: a dispute."""
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await transfer_item(harness, code, "Nông nghiệp", reason="Sạt lở đất, thuộc lĩnh vực đất đai.")
    await transfer_item(
        harness,
        code,
        "Xây dựng",
        reason="Mặt đường hư hỏng thuộc Sở Xây dựng.",
        officer=OFFICER_NNMT,
        chat_id=NNMT_GROUP,
    )
    return code


async def test_transfer_back_is_not_carried_out_and_goes_to_the_supervisors(harness: Harness) -> None:
    code = await disputed_item(harness)
    item = await harness.item(code)
    assert item.state is ItemState.DISPUTED
    assert item.agency_code == "SO-NNMT"  # not carried out: exactly one agency stays responsible
    assert item.transfer_count == 1
    assert "không được chuyển" in harness.last_text(NNMT_GROUP)
    assert buttons_of(card_of(harness, NNMT_GROUP, code)) == []
    dispute = last_bot_message(harness, SUPERVISORS_GROUP)
    assert "TRANH CHẤP THẨM QUYỀN" in dispute["text"] and code in dispute["text"]
    assert "trả lại cơ quan đã từng nhận" in dispute["text"]
    labels = buttons_of(dispute)
    assert "➡️ Giao Sở Nông nghiệp và Môi trường" in labels and "➡️ Giao Sở Xây dựng" in labels
    assert any("quy tắc" in label for label in labels)
    assert "Văn phòng UBND tỉnh" in harness.last_text(CITIZEN.id)
    event = (await harness.events(item.id))[-1]  # type: ignore[arg-type]
    assert event.action == "transfer_disputed" and event.detail["requested_agency"] == "SO-XD"


async def test_second_transfer_to_a_new_agency_is_also_a_dispute(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await transfer_item(harness, code, "Nông nghiệp", reason="Sạt lở đất, thuộc lĩnh vực đất đai.")
    await transfer_item(
        harness,
        code,
        "Phan Đình Phùng",
        reason="Thuộc địa bàn phường.",
        officer=OFFICER_NNMT,
        chat_id=NNMT_GROUP,
    )
    item = await harness.item(code)
    assert item.state is ItemState.DISPUTED and item.agency_code == "SO-NNMT"
    assert "đã được chuyển một lần" in last_bot_message(harness, SUPERVISORS_GROUP)["text"]
    assert harness.fake.texts(PDP_GROUP) == []  # the ward never got the item


async def test_supervisor_decision_is_final_told_to_everyone_and_saved_as_a_rule(harness: Harness) -> None:
    code = await disputed_item(harness)
    dispute = last_bot_message(harness, SUPERVISORS_GROUP)
    await press_on(harness, SUPERVISOR, dispute, "quy tắc")
    dispute = harness.fake.message_dict(SUPERVISORS_GROUP, dispute["message_id"])
    assert any(label.startswith("☑️") for label in buttons_of(dispute))
    await press_on(harness, SUPERVISOR, dispute, "Giao Sở Xây dựng")

    item = await harness.item(code)
    assert item.agency_code == "SO-XD" and item.state is ItemState.RECEIVED
    assert item.responsibility_decided_at == harness.clock.now()
    assert "Đã quyết định" in harness.fake.message_dict(SUPERVISORS_GROUP, dispute["message_id"])["text"]
    assert "Nhận xử lý" in " ".join(buttons_of(card_of(harness, XD_GROUP, code)))
    assert any(
        "Văn phòng UBND tỉnh Thử Nghiệm đã quyết định" in text for text in harness.fake.texts(XD_GROUP)
    )
    assert any(
        "Văn phòng UBND tỉnh Thử Nghiệm đã quyết định" in text for text in harness.fake.texts(NNMT_GROUP)
    )
    assert buttons_of(card_of(harness, NNMT_GROUP, code)) == []
    assert "Sở Xây dựng" in harness.last_text(CITIZEN.id) and "chịu trách nhiệm" in harness.last_text(
        CITIZEN.id
    )
    async with harness.session() as session:
        rule = (await session.exec(select(RoutingRule))).one()
        assert (rule.category_code, rule.agency_code, rule.source_item_code) == ("giao-thong", "SO-XD", code)
        assert rule.decided_by_telegram_user_id == SUPERVISOR.id
        assert await load_saved_rules(session) == {("giao-thong", ""): "SO-XD"}
    decided = (await harness.events(item.id))[-1]  # type: ignore[arg-type]
    assert (decided.action, decided.actor_telegram_user_id, decided.state_after) == (
        "dispute_decided",
        SUPERVISOR.id,
        ItemState.RECEIVED,
    )

    # final for the item: the chosen agency cannot pass it on again
    await claim(harness, code)
    await press_on(harness, OFFICER_XD, card_of(harness, XD_GROUP, code), "Không thuộc thẩm quyền")
    assert "chịu trách nhiệm hồ sơ này đã được quyết định" in alerts(harness)[-1]
    assert (await harness.item(code)).agency_code == "SO-XD"


async def test_supervisor_may_choose_any_agency_from_the_pages(harness: Harness) -> None:
    code = await disputed_item(harness)
    dispute = last_bot_message(harness, SUPERVISORS_GROUP)
    await press_on(harness, SUPERVISOR, dispute, "Chọn cơ quan khác")
    paged = harness.fake.message_dict(SUPERVISORS_GROUP, dispute["message_id"])
    assert "UBND phường Phan Đình Phùng" in buttons_of(paged)
    await press_on(harness, SUPERVISOR, paged, "UBND phường Phan Đình Phùng")
    item = await harness.item(code)
    assert item.agency_code == "UBND-PDP" and item.state is ItemState.RECEIVED
    assert code in card_of(harness, PDP_GROUP, code)["text"]
    async with harness.session() as session:
        assert (await session.exec(select(RoutingRule))).all() == []  # the switch was off


async def test_saved_rule_routes_the_next_item_directly(harness: Harness) -> None:
    code = await disputed_item(harness)
    dispute = last_bot_message(harness, SUPERVISORS_GROUP)
    await press_on(harness, SUPERVISOR, dispute, "quy tắc")
    await press_on(
        harness,
        SUPERVISOR,
        harness.fake.message_dict(SUPERVISORS_GROUP, dispute["message_id"]),
        "Giao Sở Nông nghiệp",
    )
    assert (await harness.item(code)).agency_code == "SO-NNMT"
    next_code = await submit_item(
        harness,
        CITIZEN,
        category="Giao thông",
        text="Một đoạn đường khác bị sụt lún nghiêm trọng sau mưa lớn.",
    )
    assert next_code is not None
    assert (await harness.item(next_code)).agency_code == "SO-NNMT"
