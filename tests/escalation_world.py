"""Helpers for the scheduler tests: items made at chosen instants, sweeps, and what each chat received."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.views.cards import post_card
from models.outbox import Outbox
from models.submission import Submission, create_item
from models.tables import Citizen, Consultation, Item, ItemKind, ItemState
from scheduler.escalation import SweepReport, run_escalation_sweep

# The clock's zone and the groups are re-exported: many tests import them from here.
from tests.constants import HANOI, NNMT_GROUP, PDP_GROUP, SUPERVISORS_GROUP, TRIAGE_GROUP, XD_GROUP  # noqa: F401
from tests.harness import Harness

NNMT_LEADER = 7001
CITIZEN_IDS = (5001, 5002, 5003)
ITEM_TEXT = "Đoạn đường trước số nhà 12 bị sụt lún từ tuần trước, xe máy đi qua rất nguy hiểm."


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """Return a local (Asia/Ho_Chi_Minh) instant."""
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


async def make_item(
    harness: Harness, *, category: str, citizen_telegram_user_id: int, language: str = "vi"
) -> Item:
    """Create an item at the clock's instant as the submit conversation would, and post its card."""
    now = harness.clock.now()
    services = harness.services
    async with harness.session() as session:
        if await session.get(Citizen, citizen_telegram_user_id) is None:
            session.add(
                Citizen(telegram_user_id=citizen_telegram_user_id, language=language, first_seen_at=now)
            )
        item, _route = await create_item(
            session=session,
            submission=Submission(
                citizen_telegram_user_id=citizen_telegram_user_id,
                kind=ItemKind.FEEDBACK,
                category_code=category,
                text=ITEM_TEXT,
                language=language,
            ),
            directory=services.directory,
            calendar=services.calendar,
            now=now,
        )
        await post_card(
            session=session,
            outbox=Outbox(session, now),
            directory=services.directory,
            signer=services.signer,
            item=item,
            language="vi",
        )
    await harness.deliver()
    return item


async def claim_directly(harness: Harness, item_id: int, officer: str = "Trần Hùng") -> None:
    """Mark an item claimed, as the officer flow does."""
    async with harness.session() as session:
        item = await session.get(Item, item_id)
        assert item is not None
        item.claimed_by_telegram_user_id = 8101
        item.claimed_by_name = officer
        item.claimed_at = harness.clock.now()
        item.state = ItemState.IN_PROGRESS
        item.state_version += 1
        session.add(item)


async def answer_directly(harness: Harness, item_id: int) -> None:
    """Mark an item answered, as the officer flow does."""
    async with harness.session() as session:
        item = await session.get(Item, item_id)
        assert item is not None
        item.answered_at = harness.clock.now()
        item.state = ItemState.ANSWERED
        item.state_version += 1
        session.add(item)


async def consult_directly(harness: Harness, item_id: int, to_agency: str, days: int = 5) -> Consultation:
    """Ask another agency for its position, as the officer flow does."""
    now = harness.clock.now()
    async with harness.session() as session:
        item = await session.get(Item, item_id)
        assert item is not None
        consultation = Consultation(
            item_id=item_id,
            from_agency_code=item.agency_code,
            to_agency_code=to_agency,
            question="Đề nghị cho ý kiến về hiện trạng đất.",
            asked_at=now,
            due_at=harness.services.calendar.end_of_working_days(now, days),
        )
        session.add(consultation)
    return consultation


def classify(chat_id: int, message: str) -> str:
    """Name the ladder step a message announces, from its wording."""
    if "TỔNG HỢP NHẮC VIỆC" in message:
        return "digest"
    if chat_id == SUPERVISORS_GROUP:
        return "card"
    if "SẮP ĐẾN HẠN CHO Ý KIẾN" in message:
        return "consultation_due_soon"
    if "QUÁ HẠN CHO Ý KIẾN" in message or "chưa cho ý kiến phối hợp" in message:
        return "consultation_overdue"
    if "NHẮC NHẬN XỬ LÝ" in message:
        return "claim_group"
    if "chưa có cán bộ nhận xử lý" in message and ("vẫn chưa" in message or "Kính gửi" in message):
        return "claim_leaders"
    if "SẮP ĐẾN HẠN" in message:
        return "due_soon"
    if "QUÁ HẠN" in message or "đã quá hạn trả lời" in message:
        return "overdue"
    return "other"


@dataclass
class Recorder:
    """Watch chats and record each new bot message with the local date it arrived on."""

    harness: Harness
    chats: list[int]
    codes: dict[str, str] = field(default_factory=dict)  # tracking code -> a short name for assertions
    seen: dict[int, int] = field(default_factory=dict)
    received: dict[int, list[tuple[str, str, date]]] = field(default_factory=lambda: defaultdict(list))
    raw: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def baseline(self) -> None:
        """Forget what the chats hold now (cards, receipts): only later messages count."""
        for chat_id in self.chats:
            self.seen[chat_id] = len(self.harness.fake.texts(chat_id))

    def collect(self) -> None:
        """Record the messages that arrived since the last look."""
        today = self.harness.clock.now().astimezone(HANOI).date()
        for chat_id in self.chats:
            texts = self.harness.fake.texts(chat_id)
            for message in texts[self.seen.get(chat_id, 0) :]:
                names = [name for code, name in self.codes.items() if code in message] or ["?"]
                self.raw[chat_id].append(message)
                self.received[chat_id].append((",".join(sorted(names)), classify(chat_id, message), today))
            self.seen[chat_id] = len(texts)


async def sweep(harness: Harness, recorder: Recorder | None = None) -> SweepReport:
    """Run one escalation sweep at the clock's instant, deliver, and record what arrived."""
    report = await run_escalation_sweep(harness.services)
    await harness.deliver()
    if recorder is not None:
        recorder.collect()
    return report
