"""The daily summary: 08:00 on working days only (make-up Saturdays yes, holidays no), once per day."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.application import build_services
from models.tables import Item, ItemEvent, ItemState
from scheduler.daily_summary import run_daily_summary
from scheduler.jobs import (
    AUTO_CLOSE_JOB,
    DAILY_SUMMARY_JOB,
    ESCALATION_SWEEP_JOB,
    PERIODIC_REPORTS_JOB,
    build_scheduler,
)
from tests.escalation_world import CITIZEN_IDS, SUPERVISORS_GROUP, local, make_item
from tests.harness import Harness


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
