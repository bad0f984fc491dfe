"""Binding a group chat to an agency with a one-time code, and asking a group what it serves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models.agencies import binding_history, create_bind_code, unbind_agency
from models.tables import AgencyChat, BindCode
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


async def test_a_bound_group_refuses_another_agencys_code(harness: Harness) -> None:
    xd_group = -1003000  # Sở Xây dựng's group in the directory
    first = await issue_code(harness, "SO-YT")
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {first}")
    stolen = await issue_code(harness, "SO-XD")
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {stolen}")
    refusal = harness.last_text(NEW_HEALTH_GROUP)
    assert "đã được gắn với" in refusal and "Sở Y tế" in refusal and "pakn agency unbind SO-YT" in refusal
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, "/agency")
    assert "Sở Y tế" in harness.last_text(NEW_HEALTH_GROUP)
    await harness.say_in_group(xd_group, ADMIN_IN_GROUP, "/agency")
    assert "Sở Xây dựng" in harness.last_text(xd_group)  # the real group still serves its agency
    async with harness.session() as session:
        code_row = await session.get(BindCode, stolen)
        assert code_row is not None and code_row.used_at is None  # the code still works where it belongs
        assert [change.action for change in await binding_history(session, "SO-XD")] == []


async def test_a_replacing_code_rebinds_and_is_recorded(harness: Harness) -> None:
    first = await issue_code(harness, "SO-YT")
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {first}")
    async with harness.session() as session:
        replacing = await create_bind_code(
            session=session,
            directory=harness.services.directory,
            agency_code="SO-XD",
            now=harness.clock.now(),
            valid_for=timedelta(minutes=30),
            is_replacing=True,
        )
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {replacing.code}")
    assert "Sở Xây dựng" in harness.last_text(NEW_HEALTH_GROUP)
    async with harness.session() as session:
        assert await session.get(AgencyChat, "SO-YT") is None  # Sở Y tế has no group now
        history = await binding_history(session, "SO-XD")
    assert [(change.action, change.previous_agency_code) for change in history] == [("replaced", "SO-YT")]
    assert history[0].by_telegram_user_id == ADMIN_IN_GROUP.id


async def test_unbind_lets_the_group_be_bound_again(harness: Harness) -> None:
    first = await issue_code(harness, "SO-YT")
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {first}")
    async with harness.session() as session:
        assert (
            await unbind_agency(
                session=session,
                directory=harness.services.directory,
                agency_code="SO-YT",
                now=harness.clock.now(),
            )
            == NEW_HEALTH_GROUP
        )
    second = await issue_code(harness, "SO-XD")
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {second}")
    assert "Sở Xây dựng" in harness.last_text(NEW_HEALTH_GROUP)
    async with harness.session() as session:
        actions = [change.action for change in await binding_history(session, "SO-YT")]
    assert actions == ["bound", "unbound"]


async def test_wrong_codes_lock_bind_for_the_person_and_the_group(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    settings = harness.services.settings
    guesser = TgUser(id=8666, first_name="Đoán")
    for attempt in range(settings.bind_max_failures - 1):
        await harness.say_in_group(NEW_HEALTH_GROUP, guesser, f"/bind {attempt:08d}")
        assert "không đúng" in harness.last_text(NEW_HEALTH_GROUP)
    await harness.say_in_group(NEW_HEALTH_GROUP, guesser, "/bind 99999999")
    assert "tạm khoá đến" in harness.last_text(NEW_HEALTH_GROUP)
    locked_logs = [record for record in caplog.records if "Locked /bind" in record.getMessage()]
    assert len(locked_logs) == 1 and locked_logs[0].levelname == "WARNING"  # for the administrator
    told = len(harness.fake.texts(NEW_HEALTH_GROUP))
    valid = await issue_code(harness, "SO-YT")
    for _ in range(25):  # the rest of a guessing run is ignored, even a right code
        await harness.say_in_group(NEW_HEALTH_GROUP, guesser, f"/bind {valid}")
    assert len(harness.fake.texts(NEW_HEALTH_GROUP)) == told
    # the same person in another group is locked too, and so is anyone in the guessed group
    await harness.say_in_group(-1006010, guesser, f"/bind {valid}")
    assert harness.fake.texts(-1006010) == []  # told once already, in the first group
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {valid}")
    assert len(harness.fake.texts(NEW_HEALTH_GROUP)) == told
    async with harness.session() as session:
        assert await session.get(AgencyChat, "SO-YT") is None
    harness.clock.advance(timedelta(minutes=settings.bind_lockout_minutes, seconds=1))
    fresh = await issue_code(harness, "SO-YT")  # the first one expired meanwhile
    await harness.say_in_group(NEW_HEALTH_GROUP, ADMIN_IN_GROUP, f"/bind {fresh}")
    assert "Sở Y tế" in harness.last_text(NEW_HEALTH_GROUP)
