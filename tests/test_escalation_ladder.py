"""A controllable clock drives items through the whole ladder: each chat gets exactly the right messages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from sqlmodel import select

from models.tables import EscalationStep, ItemEvent
from tests.constants import TEST_DIRECTORY
from tests.escalation_world import (
    NNMT_GROUP,
    NNMT_LEADER,
    PDP_GROUP,
    SUPERVISORS_GROUP,
    TRIAGE_GROUP,
    XD_GROUP,
    Recorder,
    answer_directly,
    claim_directly,
    consult_directly,
    local,
    make_item,
    sweep,
)
from tests.harness import Harness, build_harness, make_settings

CITIZEN_A, CITIZEN_B, CITIZEN_C = 5001, 5002, 5003
ALL_CHATS = [
    TRIAGE_GROUP,
    NNMT_GROUP,
    XD_GROUP,
    PDP_GROUP,
    SUPERVISORS_GROUP,
    NNMT_LEADER,
    CITIZEN_A,
    CITIZEN_B,
    CITIZEN_C,
]


async def test_a_simulated_month_sends_each_chat_exactly_its_messages(harness: Harness) -> None:
    """Five items, six weeks, a sweep every hour: every step once, in the right chat, on the right day."""
    recorder = Recorder(harness, ALL_CHATS)
    ids: dict[str, int] = {}

    async def create(name: str, category: str, citizen: int) -> None:
        item = await make_item(harness, category=category, citizen_telegram_user_id=citizen)
        assert item.id is not None
        ids[name] = item.id
        recorder.codes[item.code] = name

    script: list[tuple[datetime, Callable[[], Awaitable[None]]]] = [
        # A: a road item nobody ever claims (Department of Construction, no leaders in the directory).
        (local(2026, 12, 7, 9, 0), lambda: create("A", "giao-thong", CITIZEN_A)),
        # B: land, claimed at once, consults the ward, which never answers; answered before it is late.
        (local(2026, 12, 7, 9, 0), lambda: create("B", "dat-dai", CITIZEN_B)),
        (local(2026, 12, 7, 10, 0), lambda: claim_directly(harness, ids["B"])),
        (local(2026, 12, 8, 10, 0), lambda: consult_directly(harness, ids["B"], "UBND-PDP")),
        (local(2026, 12, 18, 10, 0), lambda: answer_directly(harness, ids["B"])),
        # D: an urgent item (one working day) received late on a Friday, never claimed.
        (local(2026, 12, 11, 16, 0), lambda: create("D", "an-ninh", CITIZEN_B)),
        # E: environment, claimed but never answered; the department has a leader.
        (local(2026, 12, 10, 10, 0), lambda: create("E", "moi-truong", CITIZEN_C)),
        (local(2026, 12, 10, 11, 0), lambda: claim_directly(harness, ids["E"])),
        # C: received just before New Year's Day (a public holiday), claimed, never answered.
        (local(2026, 12, 30, 9, 0), lambda: create("C", "giao-duc", CITIZEN_A)),
        (local(2026, 12, 30, 9, 30), lambda: claim_directly(harness, ids["C"])),
    ]
    script.sort(key=lambda entry: entry[0])
    recorder.baseline()
    at = local(2026, 12, 7, 9, 30)
    end = local(2027, 1, 20, 9, 30)
    while at <= end:
        while script and script[0][0] <= at:
            when, action = script.pop(0)
            harness.clock.set(when)
            await action()
            recorder.baseline()  # cards and set-up messages are not the ladder's
        harness.clock.set(at)
        await sweep(harness, recorder)
        at += timedelta(hours=1)

    d = date
    assert dict(recorder.received) | {} == {
        XD_GROUP: [
            ("A", "claim_group", d(2026, 12, 8)),  # claim due Tue 09:00 (8 working hours)
            ("A", "claim_leaders", d(2026, 12, 8)),  # 4 working hours later; no leaders listed
            ("D", "due_soon", d(2026, 12, 14)),  # due Mon 17:00: one working day before is Mon 07:30
            ("D", "claim_group", d(2026, 12, 14)),  # claim due Mon 16:00
            ("D", "overdue", d(2026, 12, 14)),
            ("D", "claim_leaders", d(2026, 12, 15)),
            ("A", "due_soon", d(2026, 12, 21)),  # 10 working days: Mon 21/12 17:00
            ("A", "overdue", d(2026, 12, 21)),
        ],
        PDP_GROUP: [
            ("B", "consultation_due_soon", d(2026, 12, 15)),  # 5 working days from Tue 08/12
            ("B", "consultation_overdue", d(2026, 12, 15)),
        ],
        NNMT_GROUP: [
            ("E", "due_soon", d(2026, 12, 24)),
            ("E", "overdue", d(2026, 12, 24)),
        ],
        NNMT_LEADER: [("E", "overdue", d(2026, 12, 24))],
        TRIAGE_GROUP: [
            # 10 working days from Wed 30/12 skip Fri 01/01 (New Year's Day): Thu 14/01, not Wed 13/01.
            ("C", "due_soon", d(2027, 1, 14)),
            ("C", "overdue", d(2027, 1, 14)),
        ],
        SUPERVISORS_GROUP: [
            ("D", "card", d(2026, 12, 16)),  # overdue by 2 working days
            ("A", "card", d(2026, 12, 23)),
            ("E", "card", d(2026, 12, 28)),  # Fri 25/12 is a working day in Vietnam
            ("C", "card", d(2027, 1, 18)),
        ],
        CITIZEN_A: [("A", "overdue", d(2026, 12, 21)), ("C", "overdue", d(2027, 1, 14))],
        CITIZEN_B: [("D", "overdue", d(2026, 12, 14))],
        CITIZEN_C: [("E", "overdue", d(2026, 12, 24))],
    }
    # The leaders were named in the group message; the citizen was told in plain words.
    assert "Giám đốc Sở NNMT" in recorder.raw[NNMT_GROUP][1]
    assert "xin lỗi" in recorder.raw[CITIZEN_A][0]
    assert "14/01/2027" in recorder.raw[CITIZEN_A][1]
    # Every fired step is recorded once as an event and as a step row.
    async with harness.session() as session:
        steps = (await session.exec(select(EscalationStep))).all()
        events = (
            await session.exec(select(ItemEvent).where(ItemEvent.action.startswith("escalation.")))
        ).all()  # type: ignore[attr-defined]
    assert len(steps) == len(events) == 18
    assert {event.action for event in events if event.item_id == ids["A"]} == {
        "escalation.claim_group",
        "escalation.claim_leaders",
        "escalation.due_soon",
        "escalation.overdue",
        "escalation.supervisors",
    }


async def test_downtime_fires_each_missed_step_once_then_carries_on(harness: Harness) -> None:
    """After three weeks down, the first sweep fires each step that fell due once, not once a minute."""
    recorder = Recorder(harness, [XD_GROUP, SUPERVISORS_GROUP, CITIZEN_A])
    item = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_A)
    recorder.codes[item.code] = "A"
    recorder.baseline()
    harness.clock.set(local(2026, 12, 30, 10, 0))  # the bot was down since Monday 07/12
    report = await sweep(harness, recorder)
    assert sorted(key.split("@")[0] for _code, key in report.fired) == [
        "claim_group",
        "claim_leaders",
        "overdue",
        "supervisors",
    ]  # "due soon" is not sent to an item that is already overdue
    for _ in range(120):  # then two hours of ordinary minute-by-minute sweeps
        harness.clock.advance(timedelta(minutes=1))
        assert not (await sweep(harness, recorder)).fired
    today = date(2026, 12, 30)
    assert dict(recorder.received) == {
        XD_GROUP: [("A", "claim_group", today), ("A", "claim_leaders", today), ("A", "overdue", today)],
        SUPERVISORS_GROUP: [("A", "card", today)],
        CITIZEN_A: [("A", "overdue", today)],
    }


async def test_nothing_is_sent_on_a_day_off_and_it_waits_for_the_next_working_day(harness: Harness) -> None:
    """A step that falls due over a weekend (the bot was down on Friday evening) fires on Monday."""
    recorder = Recorder(harness, [XD_GROUP, CITIZEN_A])
    harness.clock.set(local(2026, 12, 11, 16, 0))  # Friday
    item = await make_item(harness, category="an-ninh", citizen_telegram_user_id=CITIZEN_A)
    await claim_directly(harness, item.id or 0)
    recorder.codes[item.code] = "U"
    await sweep(harness)
    recorder.baseline()
    harness.clock.set(local(2026, 12, 12, 10, 0))  # Saturday: nothing, although nothing is due yet either
    assert (await sweep(harness, recorder)).skipped
    harness.clock.set(local(2026, 12, 14, 7, 0))  # Monday before office hours: due soon only from 07:30
    await sweep(harness, recorder)
    harness.clock.set(local(2026, 12, 14, 7, 31))
    await sweep(harness, recorder)
    harness.clock.set(local(2026, 12, 14, 17, 1))
    await sweep(harness, recorder)
    harness.clock.set(local(2026, 12, 19, 9, 0))  # the next Saturday: overdue by 2 days is not sent today
    assert (await sweep(harness, recorder)).skipped
    assert dict(recorder.received) == {
        XD_GROUP: [("U", "due_soon", date(2026, 12, 14)), ("U", "overdue", date(2026, 12, 14))],
        CITIZEN_A: [("U", "overdue", date(2026, 12, 14))],
    }


async def test_a_make_up_saturday_and_an_extra_day_off_move_the_reminders(
    database_url: str, fake_telegram, clock, tmp_path: Path
) -> None:
    """A province's make-up Saturday counts as a working day; its extra day off does not."""
    directory = yaml.safe_load(TEST_DIRECTORY.read_text(encoding="utf-8"))
    directory["working_time"] = {"makeup_working_days": ["2026-12-19"], "extra_days_off": ["2026-12-21"]}
    path = tmp_path / "province.yaml"
    path.write_text(yaml.safe_dump(directory, allow_unicode=True), encoding="utf-8")
    harness = await build_harness(
        make_settings(database_url, fake_telegram, directory_file=path), fake_telegram, clock
    )
    try:
        recorder = Recorder(harness, [XD_GROUP, SUPERVISORS_GROUP, CITIZEN_A])
        item = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN_A)
        await claim_directly(harness, item.id or 0)
        recorder.codes[item.code] = "A"
        # Ten working days from Monday 07/12: 8-11, 14-18 and the make-up Saturday 19/12 (not Mon 21/12).
        assert item.answer_due_at == local(2026, 12, 19, 17, 0)
        recorder.baseline()
        for instant in (
            local(2026, 12, 18, 17, 5),  # Friday evening: nothing due yet
            local(2026, 12, 19, 7, 45),  # the make-up Saturday: due soon from 07:30
            local(2026, 12, 19, 17, 5),  # overdue that evening
            local(2026, 12, 21, 10, 0),  # the extra day off: nothing is sent
            local(2026, 12, 22, 17, 5),  # overdue by one working day only (Monday was off)
            local(2026, 12, 23, 17, 5),  # overdue by two working days: the supervisors' card
        ):
            harness.clock.set(instant)
            await sweep(harness, recorder)
        assert dict(recorder.received) == {
            XD_GROUP: [("A", "due_soon", date(2026, 12, 19)), ("A", "overdue", date(2026, 12, 19))],
            CITIZEN_A: [("A", "overdue", date(2026, 12, 19))],
            SUPERVISORS_GROUP: [("A", "card", date(2026, 12, 23))],
        }
    finally:
        await harness.close()
