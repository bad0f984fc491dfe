"""Golden figures of the hand-built November 2026 (tests/report_world.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from models.report_figures import AgencyFigures, DeadlineCounts
from models.report_percentiles import percentile
from models.report_periods import (
    ReportPeriod,
    add_months,
    month_period,
    previous_month,
    previous_week,
    weeks_of,
)
from models.statistics import build_report, rank_agencies
from tests.harness import Harness
from tests.report_world import HANOI, NOVEMBER_NOW, build_november, local

HOUR = 3600


async def november_report(harness: Harness, agency_codes: tuple[str, ...] | None = None):  # type: ignore[no-untyped-def]
    """Build the November report as of Monday 07/12/2026."""
    async with harness.session() as session:
        return await build_report(
            session,
            directory=harness.services.directory,
            calendar=harness.services.calendar,
            period=month_period(2026, 11, HANOI),
            now=NOVEMBER_NOW,
            agency_codes=agency_codes,
        )


async def test_golden_figures_per_agency(harness: Harness) -> None:
    """Every figure of every agency, as counted by hand in the world's docstring."""
    await build_november(harness)
    report = await november_report(harness)
    by_code = {figures.agency_code: figures for figures in report.agencies}
    assert report.as_of == local(12, 1, 0)  # the end of the period, not the day it was made

    xd = by_code["SO-XD"]
    assert (xd.received, xd.counts) == (6, DeadlineCounts(on_time=3, late=1, not_yet_due=1, overdue=1))
    assert xd.counts.on_time_rate == pytest.approx(3 / 5)
    # A 16 h, B 24 h less 16 h paused, C 85.5 h (the holiday on 24/11 not counted), D 96 h
    assert xd.working_time.median_seconds == pytest.approx((16 + 85.5) / 2 * HOUR)
    assert xd.working_time.p90_seconds == pytest.approx((85.5 + 0.7 * (96 - 85.5)) * HOUR)
    assert (xd.transferred_out, xd.disputes_raised, xd.disputes_lost) == (0, 1, 1)
    assert (xd.rejections, xd.rejections_reversed, xd.extensions) == (0, 0, 0)
    assert (xd.consultations_asked, xd.consultations_on_time, xd.consultations_late) == (1, 1, 0)
    assert xd.consultations_open == 0
    assert (xd.reopened, xd.rated, xd.satisfied, xd.satisfaction_rate) == (1, 2, 1, 0.5)
    assert xd.unreachable == 1
    assert xd.rank == 1

    nnmt = by_code["SO-NNMT"]
    assert (nnmt.received, nnmt.counts) == (3, DeadlineCounts(on_time=1, late=0, not_yet_due=1, overdue=1))
    # E counts for the agency that answered it, from its receipt at VP: 24 working hours
    assert nnmt.working_time.median_seconds == nnmt.working_time.p90_seconds == 24 * HOUR
    assert (nnmt.transferred_out, nnmt.disputes_raised, nnmt.consultations_asked) == (0, 0, 0)
    assert nnmt.rank is None  # fewer than report_min_items (5)

    vp = by_code["VP"]
    assert (vp.received, vp.counts) == (1, DeadlineCounts(on_time=0, late=0, not_yet_due=0, overdue=1))
    assert (vp.transferred_out, vp.handled, vp.transferred_share) == (1, 2, 0.5)
    assert (vp.rejections, vp.rejections_reversed) == (1, 1)
    assert vp.working_time.median_seconds is None

    pdp = by_code["UBND-PDP"]
    assert (pdp.received, pdp.transferred_out, pdp.transferred_share) == (0, 1, 1.0)
    assert pdp.counts.on_time_rate is None

    yt = by_code["SO-YT"]
    assert (yt.received, yt.counts.on_time, yt.extensions) == (1, 1, 1)
    assert yt.working_time.median_seconds == 137 * HOUR

    assert [figures.agency_code for figures in report.agencies] == [
        "SO-XD",  # the only one ranked
        "SO-YT",
        "SO-NNMT",
        "UBND-PDP",
        "UBND-TC",
        "VP",
    ]


async def test_golden_province_officers_weeks_overdue_list_and_often_overdue(harness: Harness) -> None:
    """Province totals, officers, weekly counts, the overdue backlog and the agencies often overdue."""
    world = await build_november(harness)
    report = await november_report(harness)
    province = report.province
    assert (province.received, province.counts) == (11, DeadlineCounts(5, 1, 2, 3))
    # answered: 8 h, 16 h, 24 h, 85.5 h, 96 h, 137 h
    assert province.working_time.median_seconds == pytest.approx((24 + 85.5) / 2 * HOUR)
    assert province.working_time.p90_seconds == pytest.approx((96 + 137) / 2 * HOUR)
    assert (province.transferred_out, province.disputes_raised, province.extensions) == (2, 1, 1)

    officers = {(o.agency_code, o.name): o for o in report.officers}
    assert set(officers) == {
        ("SO-XD", "Trần Hùng"),
        ("SO-XD", "Lê Lan"),
        ("SO-NNMT", "Đỗ Minh"),
        ("SO-YT", "Phạm Thu"),
    }  # I lost its officer when it reopened; G was never claimed
    hung = officers[("SO-XD", "Trần Hùng")]
    assert (hung.received, hung.counts) == (3, DeadlineCounts(on_time=2, late=0, not_yet_due=0, overdue=1))
    assert hung.working_time.median_seconds == pytest.approx(12 * HOUR)
    assert hung.working_time.p90_seconds == pytest.approx(15.2 * HOUR)
    lan = officers[("SO-XD", "Lê Lan")]
    assert (lan.received, lan.counts.on_time, lan.counts.late, lan.counts.on_time_rate) == (2, 1, 1, 0.5)
    assert lan.working_time.median_seconds == pytest.approx((85.5 + 96) / 2 * HOUR)
    minh = officers[("SO-NNMT", "Đỗ Minh")]
    assert (minh.received, minh.counts.on_time, minh.counts.overdue) == (2, 1, 1)

    weeks = [(week.week.first_day.day, week.counts) for week in report.weeks]
    assert weeks == [
        (1, DeadlineCounts()),
        (2, DeadlineCounts(on_time=4, late=1, not_yet_due=0, overdue=1)),
        (9, DeadlineCounts(on_time=1, late=0, not_yet_due=1, overdue=2)),
        (16, DeadlineCounts()),
        (23, DeadlineCounts(on_time=0, late=0, not_yet_due=1, overdue=0)),
        (30, DeadlineCounts()),
    ]

    assert report.overdue_total == 4
    listed = [
        (row.code, row.agency_code, row.working_days_overdue, row.officer_name)
        for row in report.overdue_items
    ]
    assert listed == [
        (world.codes["L"], "SO-NNMT", 43, None),  # received in September: the backlog counts too
        (world.codes["H"], "VP", 7, None),
        (world.codes["F"], "SO-NNMT", 4, "Đỗ Minh"),  # the holiday on 24/11 is not a working day
        (world.codes["K"], "SO-XD", 0, "Trần Hùng"),
    ]
    assert report.overdue_items[0].answer_due_at == local(9, 29, 17)

    assert [
        (entry.agency_code, entry.overdue_at_month_ends, entry.leader_names) for entry in report.often_overdue
    ] == [("SO-NNMT", (1, 1, 2), ("Giám đốc Sở NNMT",))]


async def test_an_agency_scope_holds_only_that_agency(harness: Harness) -> None:
    """An agency's own report: its figures, its officers, its overdue items, nothing of the others."""
    world = await build_november(harness)
    report = await november_report(harness, ("SO-NNMT",))
    assert [figures.agency_code for figures in report.agencies] == ["SO-NNMT"]
    assert not report.is_whole_province
    assert report.province.received == 3
    assert {officer.name for officer in report.officers} == {"Đỗ Minh"}
    assert [row.code for row in report.overdue_items] == [world.codes["L"], world.codes["F"]]


async def test_a_report_before_the_period_ends_counts_at_now(harness: Harness) -> None:
    """Mid-month, open items are judged at the moment the report is made."""
    await build_november(harness)
    async with harness.session() as session:
        report = await build_report(
            session,
            directory=harness.services.directory,
            calendar=harness.services.calendar,
            period=month_period(2026, 11, HANOI),
            now=local(11, 17, 12),
        )
    xd = {figures.agency_code: figures for figures in report.agencies}["SO-XD"]
    # at 17/11 noon: A, B answered on time; D is open and overdue (due 16/11); C, I, K not yet due
    assert report.as_of == local(11, 17, 12)
    assert xd.counts == DeadlineCounts(on_time=2, late=0, not_yet_due=3, overdue=1)


async def test_an_empty_period_has_no_figures_and_no_rates(harness: Harness) -> None:
    """Nothing received: zero counts, no rates, no working times, no division by zero."""
    async with harness.session() as session:
        report = await build_report(
            session,
            directory=harness.services.directory,
            calendar=harness.services.calendar,
            period=month_period(2026, 11, HANOI),
            now=NOVEMBER_NOW,
        )
    assert report.province.received == 0 and report.province.counts.on_time_rate is None
    assert report.province.working_time.median_seconds is None and report.overdue_items == []
    assert all(figures.rank is None for figures in report.agencies)


def test_ranking_needs_enough_items_then_orders_by_rate_then_overdue() -> None:
    """Fewer than the minimum: not ranked. Same rate: fewer overdue first."""

    def figures(code: str, received: int, on_time: int, overdue: int) -> AgencyFigures:
        return AgencyFigures(code, received=received, counts=DeadlineCounts(on_time=on_time, overdue=overdue))

    ranked = rank_agencies(
        [figures("A", 10, 5, 5), figures("B", 10, 9, 1), figures("C", 20, 10, 10), figures("D", 4, 4, 0)],
        min_items=5,
    )
    assert [(f.agency_code, f.rank) for f in ranked] == [("B", 1), ("A", 2), ("C", 3), ("D", None)]


def test_periods_percentiles_and_weeks() -> None:
    """Month and week arithmetic, and percentiles interpolated as PostgreSQL does."""
    assert previous_month(date(2026, 12, 1), HANOI) == month_period(2026, 11, HANOI)
    assert previous_month(date(2026, 1, 15), HANOI).first_day == date(2025, 12, 1)
    assert previous_week(date(2026, 12, 7), HANOI) == ReportPeriod(
        date(2026, 11, 30), date(2026, 12, 7), HANOI
    )
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert [week.first_day.day for week in weeks_of(month_period(2026, 11, HANOI))] == [1, 2, 9, 16, 23, 30]
    assert percentile([], 0.5) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.9) == pytest.approx(3.7)
    with pytest.raises(ValueError):
        ReportPeriod(date(2026, 11, 2), date(2026, 11, 2), HANOI)


async def test_a_simulated_province_matches_an_independent_count_in_python(harness: Harness) -> None:
    """The SQL figures equal a count made item by item with the domain's own predicates."""
    from collections import Counter, defaultdict

    from sqlmodel import select

    from models.demo import simulate_history
    from models.lifecycle import OPEN_STATES
    from models.tables import Item, ItemEvent, ItemState

    services = harness.services
    now = local(12, 7, 9)
    await simulate_history(
        session_factory=services.session_factory,
        directory=services.directory,
        calendar=services.calendar,
        items=150,
        days=75,
        now=now,
        seed=11,
    )
    period = month_period(2026, 11, HANOI)
    async with harness.session() as session:
        report = await build_report(
            session, directory=services.directory, calendar=services.calendar, period=period, now=now
        )
        items = (await session.exec(select(Item))).all()
        events = (await session.exec(select(ItemEvent))).all()
    as_of = report.as_of
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    times: dict[str, list[float]] = defaultdict(list)
    for item in items:
        if not period.starts_at <= item.received_at < period.ends_at:
            continue
        counts = expected[item.agency_code]
        counts["received"] += 1
        answered = item.state in (ItemState.ANSWERED, ItemState.CLOSED) and item.answered_at is not None
        if answered and item.answered_at <= as_of:  # type: ignore[operator]
            counts["on_time" if item.answered_at <= item.answer_due_at else "late"] += 1  # type: ignore[operator]
            times[item.agency_code].append(float(item.answer_working_seconds or 0))
        elif item.state in OPEN_STATES or answered:
            paused_in_time = (
                item.state is ItemState.AWAITING_CITIZEN
                and item.awaiting_citizen_since is not None
                and item.answer_due_at >= item.awaiting_citizen_since  # type: ignore[operator]
            )
            is_overdue = item.answer_due_at < as_of and not paused_in_time  # type: ignore[operator]
            counts["overdue" if is_overdue else "not_yet_due"] += 1
    transferred = Counter(
        event.agency_code
        for event in events
        if event.action == "transferred" and period.starts_at <= event.at < period.ends_at
    )
    assert sum(counts["received"] for counts in expected.values()) > 30  # the month is not empty
    for figures in report.agencies:
        counts = expected[figures.agency_code]
        assert figures.received == counts["received"], figures.agency_code
        assert figures.counts == DeadlineCounts(
            counts["on_time"], counts["late"], counts["not_yet_due"], counts["overdue"]
        ), figures.agency_code
        assert figures.transferred_out == transferred[figures.agency_code]
        median = percentile(sorted(times[figures.agency_code]), 0.5)
        assert figures.working_time.median_seconds == (pytest.approx(median) if median is not None else None)
