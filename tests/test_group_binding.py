"""Binding a group chat to an agency with a one-time code, and asking a group what it serves."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models.agencies import create_bind_code
from models.tables import AgencyChat
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness
from tests.updates import TgUser

ADMIN_IN_GROUP = TgUser(id=8001, first_name="Hùng", last_name="Trần")
NEW_HEALTH_GROUP = -1006000


async def issue_code(harness: Harness, agency_code: str, minutes: int = 30) -> str:
    async with harness.session() as session:
        bind_code = await create_bind_code(
            session=session,
            directory=harness.services.directory,
            agency_code=agency_code,
            now=harness.clock.now(),
            valid_for=timedelta(minutes=minutes),
        )
        return bind_code.code


async def test_bind_records_who_and_posts_waiting_cards(harness: Harness) -> None:
    code_of_item = await submit_item(harness, CITIZEN, category="Y tế")  # Sở Y tế has no group yet
    bind_code = await issue_code(harness, "SO-YT")
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {bind_code}")
    assert "Sở Y tế" in harness.fake.texts(NEW_HEALTH_GROUP)[0]
    async with harness.session() as session:
        binding = (await session.exec(select(AgencyChat).where(AgencyChat.agency_code == "SO-YT"))).one()
    assert binding.chat_id == NEW_HEALTH_GROUP
    assert binding.bound_by_telegram_user_id == ADMIN_IN_GROUP.id and "Hùng" in (binding.bound_by_name or "")
    # The card parked in triage now reaches the agency's own group (issue 8.1, tests/test_orphaned_cards.py).
    assert any(code_of_item in text for text in harness.fake.texts(NEW_HEALTH_GROUP)[1:])
    second = await submit_item(
        harness, CITIZEN, category="Y tế", text="Trạm y tế xã đóng cửa giờ hành chính nhiều ngày liền."
    )
    assert any(second in text for text in harness.fake.texts(NEW_HEALTH_GROUP))
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, "/agency")
    assert "Sở Y tế" in harness.last_text(NEW_HEALTH_GROUP)


async def test_code_is_single_use_and_expires(harness: Harness) -> None:
    bind_code = await issue_code(harness, "SO-YT", minutes=30)
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {bind_code}")
    await harness.say_in_group(-1006001, ADMIN_IN_GROUP, f"/bind {bind_code}")
    assert "không đúng, đã dùng hoặc đã hết hạn" in harness.last_text(-1006001)
    late = await issue_code(harness, "SO-XD", minutes=30)
    harness.clock.advance(timedelta(minutes=31))
    await harness.say_in_group(-1006002, ADMIN_IN_GROUP, f"/bind {late}")
    assert "hết hạn" in harness.last_text(-1006002)
    await harness.say_in_group(-1006003, ADMIN_IN_GROUP, "/bind 00000000")
    assert "hết hạn" in harness.last_text(-1006003)


async def test_supervisors_group_binding(harness: Harness) -> None:
    bind_code = await issue_code(harness, "supervisors")
    await harness.say_in_group(-1009999, ADMIN_IN_GROUP, f"/bind {bind_code}")
    assert "nhóm giám sát" in harness.last_text(-1009999)
    await harness.say_in_group(-1009000, ADMIN_IN_GROUP, "/agency")  # the directory's old group is replaced
    assert "chưa được gắn" in harness.last_text(-1009000)


async def test_agency_in_an_unbound_group(harness: Harness) -> None:
    await harness.say_in_group(-1007777, ADMIN_IN_GROUP, "/agency")
    assert "chưa được gắn với cơ quan nào" in harness.last_text(-1007777)


async def test_citizen_command_in_a_group_points_to_private_chat(harness: Harness) -> None:
    await harness.say_in_group(-1002000, CITIZEN, "/new")
    assert "nhắn riêng cho bot" in harness.last_text(-1002000)
