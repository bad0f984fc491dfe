"""Property: the sweep that looks only at due rows fires exactly what the old full scan would fire.

The reference is the old rule: at every sweep, every open item's `due_steps` (models/escalation.py),
minus what already fired. Hypothesis draws items, changes by the real domain rules (claims, pauses,
transfers, disputes, extensions, answers, reopenings, consultations, rejections) and sweep instants;
after each sweep the steps the real sweep fired must be exactly the reference's new steps.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from sqlmodel import SQLModel, col, select

from bot.application import build_services
from bot.services import Services
from bot.settings import Settings
from models.consultations import answer_consultation, request_consultation
from models.escalation import due_steps
from models.handover import decide_dispute, transfer
from models.lifecycle import (
    Actor,
    Change,
    RefusalReason,
    Refused,
    answer,
    ask_citizen,
    citizen_replied,
    claim,
    rate,
    reject,
    reverse_rejection,
    withdraw,
)
from models.submission import Submission, create_item
from models.supervision import extend, latest_extension, reassign
from models.tables import ActorRole, Consultation, Item, ItemKind, Rating
from scheduler.escalation import run_escalation_sweep
from tests.constants import MONDAY_MORNING, TEST_DIRECTORY

AGENCIES = ("SO-XD", "SO-NNMT", "UBND-PDP", "VP")
CATEGORIES = ("giao-thong", "dat-dai", "an-ninh", "giao-duc")
SUPERVISOR = Actor(role=ActorRole.SUPERVISOR, telegram_user_id=8901, name="Hoàng Bình")
ANSWER = "Đơn vị đã cho sửa lại mặt đường trước số nhà 12, xin cảm ơn ông bà đã phản ánh kịp thời."
POSITION = "Phường thống nhất phương án sửa chữa và sẽ cử cán bộ phối hợp trong tuần này."
OPERATIONS = (
    "claim",
    "ask",
    "reply",
    "transfer",
    "decide",
    "reassign",
    "extend",
    "answer",
    "reopen",
    "close",
    "withdraw",
    "consult",
    "consult_answer",
    "reject",
    "unreject",
)
# Minutes the clock moves before each change: from a moment to a long weekend.
ADVANCES = (1, 30, 61, 119, 241, 480, 1441, 2880, 4320)

Key = tuple[str, str, datetime]


def officer_of(item: Item) -> Actor:
    """Return an officer of the item's agency."""
    return Actor(
        role=ActorRole.OFFICER, telegram_user_id=8101, name="Trần Hùng", agency_code=item.agency_code
    )


def other_agency(item: Item, offset: int) -> str:
    """Return an agency that is not the item's, chosen by an offset."""
    others = [code for code in AGENCIES if code != item.agency_code]
    return others[offset % len(others)]


def operation(
    name: str, services: Services, item: Item, consultations: list[Consultation], now: datetime, offset: int
) -> tuple[Change, Consultation | None]:
    """Apply one domain rule by name; it raises Refused when it does not apply now."""
    calendar, directory = services.calendar, services.directory
    citizen = Actor(role=ActorRole.CITIZEN, telegram_user_id=item.citizen_telegram_user_id)
    rules: dict[str, Callable[[], Change]] = {
        "claim": lambda: claim(item, actor=officer_of(item), now=now),
        "ask": lambda: ask_citizen(item, actor=officer_of(item), now=now, question="Xin cho biết số nhà?"),
        "reply": lambda: citizen_replied(item, actor=citizen, now=now, calendar=calendar, text="Số 12."),
        "transfer": lambda: transfer(
            item,
            actor=officer_of(item),
            now=now,
            target_agency_code=other_agency(item, offset),
            reason="Không thuộc thẩm quyền.",
            known_agency_codes=set(directory.agencies_by_code),
        ),
        "decide": lambda: decide_dispute(
            item,
            actor=SUPERVISOR,
            now=now,
            agency_code=AGENCIES[offset % len(AGENCIES)],
            known_agency_codes=set(directory.agencies_by_code),
        ),
        "reassign": lambda: reassign(
            item,
            actor=SUPERVISOR,
            now=now,
            to_agency_code=other_agency(item, offset),
            reason="Giao lại cho đơn vị có thẩm quyền.",
            directory=directory,
        ),
        "extend": lambda: extend(
            item,
            actor=SUPERVISOR,
            now=now,
            new_due_at=latest_extension(item, directory=directory, calendar=calendar) or now,
            reason="Cần khảo sát hiện trường.",
            directory=directory,
            calendar=calendar,
        ),
        "answer": lambda: answer(item, actor=officer_of(item), now=now, calendar=calendar, text=ANSWER),
        "reopen": lambda: rate(
            item,
            actor=citizen,
            now=now,
            rating=Rating.NOT_SATISFIED,
            calendar=calendar,
            answer_days=directory.deadlines.answer_days,
            claim_hours=directory.deadlines.claim_hours,
        ),
        "close": lambda: rate(
            item,
            actor=citizen,
            now=now,
            rating=Rating.SATISFIED,
            calendar=calendar,
            answer_days=directory.deadlines.answer_days,
            claim_hours=directory.deadlines.claim_hours,
        ),
        "withdraw": lambda: withdraw(item, actor=citizen, now=now),
        "reject": lambda: reject(item, actor=officer_of(item), now=now, reason="Nội dung không rõ ràng."),
        "unreject": lambda: reverse_rejection(item, actor=SUPERVISOR, now=now),
    }
    if name == "consult":
        consultation, change = request_consultation(
            item,
            actor=officer_of(item),
            now=now,
            calendar=calendar,
            consultation_days=1 + offset % 5,
            to_agency_code=other_agency(item, offset),
            question="Đề nghị cho ý kiến.",
            known_agency_codes=set(directory.agencies_by_code),
        )
        return change, consultation
    if name == "consult_answer":
        waiting = [c for c in consultations if c.answered_at is None]
        if not waiting:
            raise Refused(RefusalReason.ALREADY_ANSWERED)
        target = waiting[offset % len(waiting)]
        return answer_consultation(target, item, actor=officer_of(item), now=now, text=POSITION), target
    return rules[name](), None


async def reference_due(services: Services, now: datetime) -> set[Key]:
    """Return every step the old rule finds due at `now`, over all items (the full scan)."""
    found: set[Key] = set()
    async with services.session_factory() as session:
        items = (await session.exec(select(Item).order_by(col(Item.id)))).all()
        consultations = (await session.exec(select(Consultation).order_by(col(Consultation.id)))).all()
    for item in items:
        mine = [c for c in consultations if c.item_id == item.id and c.answered_at is None]
        for due in due_steps(
            item,
            now=now,
            calendar=services.calendar,
            deadlines=services.directory.deadlines,
            consultations=mine,
        ):
            found.add((item.code, due.key, due.deadline_at))
    return found


async def play(
    scenario: list[tuple[int, int, str, int, bool]], categories: list[str], batch_size: int
) -> None:
    """Create the items, play the changes and sweeps, and compare every sweep with the reference."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'property.sqlite3'}"
        config = Settings(  # type: ignore[call-arg]
            _env_file=None,
            bot_token=SecretStr("123456:TEST"),
            database_url=url,
            directory_file=TEST_DIRECTORY,
        )
        now = MONDAY_MORNING
        services = build_services(config)
        try:
            async with services.engine.begin() as connection:
                await connection.run_sync(SQLModel.metadata.create_all)
            item_ids: list[int] = []
            async with services.session_factory() as session, session.begin():
                for n, category in enumerate(categories):
                    item, _route = await create_item(
                        session=session,
                        submission=Submission(
                            citizen_telegram_user_id=5001 + n,
                            kind=ItemKind.FEEDBACK,
                            category_code=category,
                            text="Đoạn đường trước số nhà 12 bị sụt lún, xe máy đi qua rất nguy hiểm.",
                        ),
                        directory=services.directory,
                        calendar=services.calendar,
                        now=now,
                    )
                    assert item.id is not None
                    item_ids.append(item.id)
            fired: set[Key] = set()
            for advance, index, name, offset, sweep_after in scenario:
                now += timedelta(minutes=advance)
                async with services.session_factory() as session, session.begin():
                    item = await session.get(Item, item_ids[index % len(item_ids)])
                    assert item is not None
                    statement = select(Consultation).where(Consultation.item_id == item.id)
                    consultations = list((await session.exec(statement)).all())
                    try:
                        change, consultation = operation(name, services, item, consultations, now, offset)
                    except Refused:
                        change, consultation = None, None
                    if change is not None:
                        session.add(item)
                        session.add(change.event)
                        if consultation is not None:
                            session.add(consultation)
                if not sweep_after:
                    continue
                expected = await reference_due(services, now) - fired
                report = await run_escalation_sweep(
                    services, now=now, batch_size=batch_size, sqlite_pause=timedelta(0)
                )
                if report.skipped:  # a day off: the old sweep skipped it too
                    continue
                fired |= expected
                assert len(report.fired) == len(set(report.fired)), "a step fired twice in one sweep"
                assert sorted(report.fired) == sorted((code, key) for code, key, _ in expected), (
                    f"at {now.isoformat()} after {name}"
                )
        finally:
            await services.engine.dispose()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    categories=st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3),
    scenario=st.lists(
        st.tuples(
            st.sampled_from(ADVANCES),
            st.integers(min_value=0, max_value=2),
            st.sampled_from(OPERATIONS),
            st.integers(min_value=0, max_value=7),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    ),
    batch_size=st.sampled_from((1, 2, 500)),
)
def test_the_due_only_sweep_fires_what_the_full_scan_would(
    categories: list[str], scenario: list[tuple[int, int, str, int, bool]], batch_size: int
) -> None:
    """Whatever the changes and the sweep instants, both sweeps fire the same steps."""
    asyncio.run(play(scenario, categories, batch_size))
