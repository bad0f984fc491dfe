"""The daily summary: 08:00 on working days only (make-up Saturdays yes, holidays no), once per day."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import event, insert

from bot.application import build_services
from models.summary import referrals_waiting
from models.tables import Item, ItemEvent, ItemState
from scheduler.daily_summary import run_daily_summary
from scheduler.jobs import (
    AUTO_CLOSE_JOB,
    DAILY_SUMMARY_JOB,
    ESCALATION_SWEEP_JOB,
    PERIODIC_REPORTS_JOB,
    build_scheduler,
)
from tests.bulk_items import item_row
from tests.escalation_world import CITIZEN_IDS, SUPERVISORS_GROUP, local, make_item
from tests.harness import Harness
from tests.officer_world import (
    OFFICER_XD,
    SUPERVISOR,
    claim,
    last_bot_message,
    press_on,
    reply_in_group,
    seat_everyone,
    start_prompt,
    submit_road_item,
)
from tests.test_beyond_authority import REFERRAL_TEXT


async def test_the_summary_counts_the_day_and_lists_what_needs_the_supervisors(harness: Harness) -> None:
    """New, answered, overdue by agency, disputes, flagged, unreachable citizens and transfer shares."""
    late = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_IDS[0])
    disputed = await make_item(harness, category="dat-dai", citizen_telegram_user_id=CITIZEN_IDS[1])
    async with harness.session() as session:
        item = await session.get(Item, disputed.id)
        assert item is not None
        item.state = ItemState.DISPUTED
        item.is_flagged_for_review = True
        item.is_citizen_unreachable = True
        session.add(item)
        session.add(
            ItemEvent(
                item_id=disputed.id or 0,
                at=harness.clock.now(),
                action="transferred",
                actor_role="officer",
                agency_code="VP",
                detail={"from_agency": "VP", "to_agency": "SO-NNMT"},
            )
        )
        session.add(
            ItemEvent(
                item_id=disputed.id or 0,
                at=harness.clock.now(),
                action="transfer_disputed",
                actor_role="officer",
                agency_code="SO-NNMT",
                detail={"from_agency": "SO-NNMT", "requested_agency": "SO-XD"},
            )
        )
        item.previous_agency_codes = ["VP"]
    harness.clock.set(local(2026, 12, 22, 8, 0))  # Tuesday: the road item is a day overdue
    assert await run_daily_summary(harness.services)
    await harness.deliver()
    summary = harness.last_text(SUPERVISORS_GROUP)
    assert "BÁO CÁO NGÀY 22/12/2026 (thứ Ba)" in summary
    assert "Tiếp nhận mới: 0" in summary  # both items came in more than a day before
    # The disputed item's clock runs too, so it is overdue as well; both are listed under their agency.
    assert "Đang quá hạn: 2" in summary and late.code in summary
    assert (
        summary.index("Sở Xây dựng –") < summary.index(late.code) < summary.index("Chuyển đi và tranh chấp")
    )
    assert f"Tranh chấp thẩm quyền chờ quyết định: 1 ({disputed.code})" in summary
    assert f"Đánh dấu xem xét trách nhiệm: 1 ({disputed.code})" in summary
    assert f"Người gửi không liên lạc được: 1 ({disputed.code})" in summary
    assert "Văn phòng UBND tỉnh: nhận 1 hồ sơ, chuyển đi 1 (100%), tranh chấp 0" in summary
    assert "Sở Nông nghiệp và Môi trường: nhận 1 hồ sơ, chuyển đi 0 (0%), tranh chấp 1" in summary


async def test_once_a_day_on_working_days_even_with_two_instances(harness: Harness) -> None:
    """Two instances at 08:00: one summary. Saturdays and New Year's Day: none. Next day: a new one."""
    other = build_services(harness.services.settings, clock=harness.clock)
    try:
        harness.clock.set(local(2026, 12, 8, 8, 0))
        results = await asyncio.gather(run_daily_summary(harness.services), run_daily_summary(other))
        assert sorted(results) == [False, True]
        harness.clock.advance(timedelta(hours=2))
        assert not await run_daily_summary(harness.services)  # a misfired re-run the same day
        harness.clock.set(local(2026, 12, 12, 8, 0))  # Saturday
        assert not await run_daily_summary(harness.services)
        harness.clock.set(local(2027, 1, 1, 8, 0))  # New Year's Day
        assert not await run_daily_summary(harness.services)
        harness.clock.set(local(2027, 1, 4, 8, 0))
        assert await run_daily_summary(other)
    finally:
        await other.engine.dispose()
    await harness.deliver()
    assert sum("BÁO CÁO NGÀY" in text for text in harness.fake.texts(SUPERVISORS_GROUP)) == 2
    assert "Từ 08:00 thứ Ba, 08/12/2026 đến 08:00 thứ Hai, 04/01/2027" in harness.last_text(SUPERVISORS_GROUP)


async def test_every_job_is_registered_once_with_its_safety_settings(harness: Harness) -> None:
    """Explicit ids, coalescing, one instance at a time, deliberate grace times, 08:00 Monday to Saturday."""
    scheduler = build_scheduler(harness.services)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {ESCALATION_SWEEP_JOB, AUTO_CLOSE_JOB, DAILY_SUMMARY_JOB, PERIODIC_REPORTS_JOB}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time
    assert jobs[ESCALATION_SWEEP_JOB].trigger.interval == timedelta(seconds=60)
    trigger = jobs[DAILY_SUMMARY_JOB].trigger
    assert isinstance(trigger, CronTrigger)
    fields = {field.name: str(field) for field in trigger.fields}
    assert fields["day_of_week"] == "mon-sat" and fields["hour"] == "8" and fields["minute"] == "0"
    assert str(trigger.timezone) == "Asia/Ho_Chi_Minh"


async def test_the_summary_of_a_large_province_binds_no_parameter_per_item(harness: Harness) -> None:
    """40,000 items received in the window, 1,000 of them overdue: counted in SQL, a few codes named.

    The per-agency statistics used to bind one parameter per item of the last 30 days, which PostgreSQL
    refuses past 32,767; the lists behind the figures load a bounded number of items.
    """
    received = local(2026, 12, 1, 9, 0)
    quiet = item_row(0, received_at=received, answer_due_at=local(2027, 2, 1, 17, 0))
    late = item_row(0, received_at=received, answer_due_at=local(2026, 12, 15, 17, 0))
    rows = [quiet | {"code": f"PA-{n:07d}"} for n in range(1, 39_001)]
    rows += [late | {"code": f"KN-{n:07d}"} for n in range(1, 1_001)]
    async with harness.session() as session:
        await session.exec(insert(Item), params=rows)  # executemany
    largest = [0]

    def count_parameters(_conn: Any, _cursor: Any, _statement: str, parameters: Any, *_args: Any) -> None:
        if isinstance(parameters, (list, tuple, dict)):
            largest[0] = max(largest[0], len(parameters))

    engine = harness.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count_parameters)
    try:
        harness.clock.set(local(2026, 12, 22, 8, 0))
        assert await run_daily_summary(harness.services)
    finally:
        event.remove(engine, "before_cursor_execute", count_parameters)
    await harness.deliver()
    summary = "\n".join(harness.fake.texts(SUPERVISORS_GROUP))
    assert "Đang quá hạn: 1000" in summary and "Hồ sơ quá hạn trả lời: 1000" in summary
    assert "Sở Xây dựng – 1000 hồ sơ" in summary and "và 9" in summary  # "… và 9xx hồ sơ khác"
    assert "Sở Xây dựng: nhận 40000 hồ sơ" in summary
    assert largest[0] < 100


async def test_referrals_up_appear_with_those_still_waiting_for_a_decision(harness: Harness) -> None:
    """An item an agency reported up as beyond its authority is named; once sent back it no longer waits."""
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    prompt = await start_prompt(harness, code, "Vượt thẩm quyền")
    await reply_in_group(harness, OFFICER_XD, prompt, REFERRAL_TEXT)
    card = last_bot_message(harness, SUPERVISORS_GROUP)
    harness.clock.advance(timedelta(hours=1))
    assert await run_daily_summary(harness.services)
    await harness.deliver()
    summary = harness.last_text(SUPERVISORS_GROUP)
    assert f"Vượt thẩm quyền, đề nghị cấp trên: 1 ({code}); chờ quyết định: 1 ({code})" in summary

    await press_on(harness, SUPERVISOR, card, "Trả lại")
    directive = "Sở chủ trì, phối hợp UBND phường khảo sát và đề xuất phương án trước 20/12/2026."
    await reply_in_group(harness, SUPERVISOR, last_bot_message(harness, SUPERVISORS_GROUP), directive)
    async with harness.session() as session:
        waiting = await referrals_waiting(session)
    assert waiting == []
