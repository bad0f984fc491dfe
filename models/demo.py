"""A realistic simulated history for newcomers and benchmarks, made through the domain rules themselves.

Every item is submitted, routed, claimed, transferred, disputed, consulted, paused, extended, answered
(on time or late), rated and reopened by the same functions the bot uses, at instants drawn from a
seeded random generator, so the figures a report shows are the ones the rules produce. Agencies get a
performance factor each, so some are fast and some are slow, and the ranking has something to show.
Demo citizens have ids above DEMO_CITIZEN_BASE, far beyond any Telegram user id, so a real database
is recognised and left alone.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import consultations, handover, lifecycle, supervision
from models.db import SessionFactory
from models.directory import LOCALITY_ROUTE, Directory
from models.items import SUPERVISORS_KEY
from models.lifecycle import Actor, Change, Refused
from models.submission import Submission, create_item
from models.tables import ActorRole, Citizen, Item, ItemKind, Rating, SenderType
from models.working_time import WorkingCalendar

DEMO_CITIZEN_BASE = 9 * 10**18
DEMO_OFFICER_BASE = 8 * 10**18
BATCH = 200  # items per transaction
TEXTS = (
    "Đoạn đường trước trường học bị sụt lún, nhiều xe máy ngã vào buổi tối.",
    "Rác thải tập kết ở đầu ngõ nhiều ngày không được thu gom, bốc mùi.",
    "Đề nghị lắp thêm đèn chiếu sáng tại khu dân cư mới, buổi tối rất tối.",
    "Hộ kinh doanh lấn chiếm vỉa hè, người đi bộ phải đi xuống lòng đường.",
    "Kiến nghị sớm cấp giấy chứng nhận quyền sử dụng đất đã nộp hồ sơ từ lâu.",
    "Nước thải từ cơ sở sản xuất chảy ra kênh tưới tiêu của xã.",
    "Cống thoát nước bị tắc, mưa lớn là ngập cả đoạn phố.",
)
ANSWERS = (
    "Đơn vị đã kiểm tra hiện trường, giao đội duy tu sửa chữa xong trong tuần này.",
    "Đã lập biên bản, yêu cầu hộ kinh doanh tháo dỡ và sẽ kiểm tra lại sau 5 ngày.",
    "Hồ sơ của ông/bà đã được thẩm định, giấy chứng nhận sẽ trả vào ngày 20 tháng này.",
    "Đã làm việc với cơ sở sản xuất, đình chỉ xả thải và yêu cầu khắc phục.",
)


@dataclass
class DemoSummary:
    """What the simulation made."""

    items: int = 0
    answered: int = 0
    transfers: int = 0
    disputes: int = 0
    rejections: int = 0
    consultations: int = 0
    reopened: int = 0
    still_open: int = 0
    per_agency: dict[str, int] = field(default_factory=dict)


async def count_real_items(session: AsyncSession) -> int:
    """Count the items not made by the simulation (sent by real citizens)."""
    statement = select(func.count()).where(
        col(Item.citizen_telegram_user_id).is_(None)
        | (col(Item.citizen_telegram_user_id) < DEMO_CITIZEN_BASE)
    )
    return int((await session.exec(statement)).one())


@dataclass
class _Life:
    """One item's simulated life: the instant it has reached and what it went through."""

    rng: random.Random
    calendar: WorkingCalendar
    end: datetime
    at: datetime

    def later(self, low_hours: float, high_hours: float) -> datetime | None:
        """Move on by a random working time; None when that is after the end of the simulation."""
        hours = self.rng.uniform(low_hours, high_hours)
        self.at = self.calendar.add_working_time(self.at, timedelta(hours=hours))
        return None if self.at > self.end else self.at


async def simulate_history(
    *,
    session_factory: SessionFactory,
    directory: Directory,
    calendar: WorkingCalendar,
    items: int,
    days: int,
    now: datetime,
    seed: int = 2026,
) -> DemoSummary:
    """Fill the database with `items` items received over the last `days` days, up to `now`."""
    rng = random.Random(seed)
    summary = DemoSummary()
    agencies = [agency.code for agency in directory.agencies]
    speed = {code: rng.uniform(0.5, 1.9) for code in agencies}  # working-days factor: < 1 is fast
    officers = {
        code: [
            Actor(
                role=ActorRole.OFFICER,
                telegram_user_id=DEMO_OFFICER_BASE + index * 100 + number,
                name=f"Cán bộ {number + 1} – {code}",
                agency_code=code,
            )
            for number in range(3)
        ]
        for index, code in enumerate(agencies)
    }
    supervisor = Actor(
        role=ActorRole.SUPERVISOR,
        telegram_user_id=DEMO_OFFICER_BASE - 1,
        name="Giám sát",
        agency_code=SUPERVISORS_KEY,
    )
    start = now - timedelta(days=days)
    receipts = sorted(start + timedelta(seconds=rng.uniform(0, days * 86400)) for _ in range(items))
    known = set(agencies)
    for batch_start in range(0, items, BATCH):
        async with session_factory() as session, session.begin():
            for index in range(batch_start, min(items, batch_start + BATCH)):
                citizen_id = DEMO_CITIZEN_BASE + rng.randrange(max(1, items // 3))
                if await session.get(Citizen, citizen_id) is None:
                    session.add(
                        Citizen(telegram_user_id=citizen_id, language="vi", first_seen_at=receipts[index])
                    )
                await _simulate_item(
                    session,
                    directory=directory,
                    calendar=calendar,
                    life=_Life(rng, calendar, now, receipts[index]),
                    citizen_id=citizen_id,
                    officers=officers,
                    supervisor=supervisor,
                    speed=speed,
                    known=known,
                    summary=summary,
                )
    return summary


async def _simulate_item(
    session: AsyncSession,
    *,
    directory: Directory,
    calendar: WorkingCalendar,
    life: _Life,
    citizen_id: int,
    officers: dict[str, list[Actor]],
    supervisor: Actor,
    speed: dict[str, float],
    known: set[str],
    summary: DemoSummary,
) -> None:
    rng = life.rng
    category = rng.choice(directory.categories)
    locality = (
        rng.choice(directory.localities).code
        if directory.localities and (category.route == LOCALITY_ROUTE or rng.random() < 0.5)
        else None
    )
    item, _ = await create_item(
        session=session,
        submission=Submission(
            citizen_telegram_user_id=citizen_id,
            kind=ItemKind.PETITION if rng.random() < 0.3 else ItemKind.FEEDBACK,
            sender_type=SenderType.BUSINESS if rng.random() < 0.1 else SenderType.INDIVIDUAL,
            category_code=category.code,
            locality_code=locality,
            text=rng.choice(TEXTS),
        ),
        directory=directory,
        calendar=calendar,
        now=life.at,
    )
    summary.items += 1
    citizen = Actor(role=ActorRole.CITIZEN, telegram_user_id=citizen_id)

    def apply(change: Change) -> None:
        session.add(item)
        session.add(change.event)

    def officer() -> Actor:
        return rng.choice(officers[item.agency_code])

    try:
        if rng.random() < 0.03:
            if life.later(0.5, 4) is None:
                return _open(item, summary)
            apply(
                lifecycle.reject(
                    item, actor=officer(), now=life.at, reason="Nội dung không thuộc phạm vi tiếp nhận"
                )
            )
            summary.rejections += 1
            if rng.random() > 0.3 or life.later(4, 12) is None:
                return
            apply(lifecycle.reverse_rejection(item, actor=supervisor, now=life.at))
        if rng.random() < 0.08:
            if life.later(1, 12) is None:
                return _open(item, summary)
            target = rng.choice([code for code in known if code != item.agency_code])
            change = handover.transfer(
                item,
                actor=officer(),
                now=life.at,
                target_agency_code=target,
                reason="Không thuộc thẩm quyền của đơn vị",
                known_agency_codes=known,
            )
            apply(change)
            summary.transfers += 1
            if rng.random() < 0.2 and life.later(1, 6) is not None:
                back = item.previous_agency_codes[-1]
                change = handover.transfer(
                    item,
                    actor=officer(),
                    now=life.at,
                    target_agency_code=back,
                    reason="Thuộc thẩm quyền của đơn vị đã chuyển",
                    known_agency_codes=known,
                )
                apply(change)
                summary.disputes += 1
                if life.later(4, 16) is None:
                    return _open(item, summary)
                decided = rng.choice([item.agency_code, back])
                apply(
                    handover.decide_dispute(
                        item, actor=supervisor, now=life.at, agency_code=decided, known_agency_codes=known
                    )
                )
        factor = speed[item.agency_code]
        if life.later(0.3, 12 * factor) is None:
            return _open(item, summary)
        handler = officer()
        apply(lifecycle.claim(item, actor=handler, now=life.at))
        if rng.random() < 0.12:
            if life.later(1, 8) is None:
                return _open(item, summary)
            apply(
                lifecycle.ask_citizen(
                    item, actor=handler, now=life.at, question="Đề nghị cho biết địa chỉ cụ thể."
                )
            )
            if rng.random() < 0.1 or life.later(4, 24) is None:
                return _open(item, summary)
            apply(
                lifecycle.citizen_replied(
                    item, actor=citizen, now=life.at, calendar=calendar, text="Số 12, tổ 3."
                )
            )
        if rng.random() < 0.1:
            asked_at = life.later(1, 8)
            if asked_at is None:
                return _open(item, summary)
            target = rng.choice([code for code in known if code != item.agency_code])
            consultation, change = consultations.request_consultation(
                item,
                actor=handler,
                now=asked_at,
                calendar=calendar,
                consultation_days=directory.deadlines.consultation_days,
                to_agency_code=target,
                question="Đề nghị cho ý kiến về nội dung thuộc lĩnh vực quản lý.",
                known_agency_codes=known,
            )
            session.add(consultation)
            apply(change)
            summary.consultations += 1
            await session.flush()
            reply_at = calendar.add_working_time(
                asked_at, timedelta(hours=rng.uniform(4, 60) * speed[target])
            )
            if reply_at <= life.end:
                position = consultations.answer_consultation(
                    consultation,
                    item,
                    actor=rng.choice(officers[target]),
                    now=reply_at,
                    text=rng.choice(ANSWERS),
                )
                apply(position)
        work_days = rng.lognormvariate(1.5, 0.6) * factor
        if (
            item.answer_due_at is not None
            and rng.random() < 0.05
            and supervision.latest_extension(item, directory=directory, calendar=calendar)
        ):
            extend_at = calendar.add_working_time(item.received_at, timedelta(hours=8 * 8))
            if life.at < extend_at <= life.end:
                life.at = extend_at
                latest = supervision.latest_extension(item, directory=directory, calendar=calendar)
                if latest is not None:
                    with contextlib.suppress(Refused):  # a rule refused it: no extension then
                        apply(
                            supervision.extend(
                                item,
                                actor=supervisor,
                                now=life.at,
                                new_due_at=latest,
                                reason="Cần phối hợp kiểm tra thực tế",
                                directory=directory,
                                calendar=calendar,
                            )
                        )
        answer_at = calendar.add_working_time(item.received_at, timedelta(hours=8 * work_days))
        life.at = max(life.at, answer_at)
        if life.at > life.end:
            return _open(item, summary)
        apply(lifecycle.answer(item, actor=handler, now=life.at, calendar=calendar, text=rng.choice(ANSWERS)))
        summary.answered += 1
        if rng.random() < 0.3 or life.later(2, 24) is None:
            return
        rating = Rating.SATISFIED if rng.random() < 0.85 else Rating.NOT_SATISFIED
        apply(
            lifecycle.rate(
                item,
                actor=citizen,
                now=life.at,
                rating=rating,
                calendar=calendar,
                answer_days=directory.deadlines.answer_days,
                claim_hours=directory.deadlines.claim_hours,
            )
        )
        if rating is Rating.NOT_SATISFIED:
            summary.reopened += 1
            if life.later(2, 24) is None:
                return _open(item, summary)
            handler = officer()
            apply(lifecycle.claim(item, actor=handler, now=life.at))
            if life.later(8, 40 * factor) is None:
                return _open(item, summary)
            apply(
                lifecycle.answer(
                    item, actor=handler, now=life.at, calendar=calendar, text=rng.choice(ANSWERS)
                )
            )
    except Refused:
        return  # a combination the rules do not allow: the item simply stops there
    finally:
        summary.per_agency[item.agency_code] = summary.per_agency.get(item.agency_code, 0) + 1
        if rng.random() < 0.02:
            item.is_citizen_unreachable = True
            session.add(item)


def _open(item: Item, summary: DemoSummary) -> None:
    summary.still_open += 1
