"""A small hand-built November 2026 for the report tests: every item made through the domain rules.

November 2026 has a public holiday on Tuesday 24/11 (Ngày Văn hóa Việt Nam). Items, by agency:

SO-XD (6 received)   A on time (Hùng)      B on time, clock paused 16 h (Hùng)   C on time only thanks
                     to the holiday (Lan)  D late (Lan)   I came by transfer from UBND-PDP, disputed back,
                     kept by the supervisors (lost), answered, reopened "not satisfied": not yet due
                     K overdue, citizen unreachable (Hùng)
SO-NNMT (3)          E transferred in from VP, answered on time (Minh), consults SO-XD (answered on
                     time)   F overdue (Minh)   G not yet due, unclaimed; L (September) is overdue at the
                     end of September, October and November: often overdue
VP (1)               H rejected, the rejection reversed, overdue; E transferred out
UBND-PDP (0)         I transferred out
SO-YT (1)            J extended once, answered on time (Thu)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from models import consultations, handover, lifecycle, supervision
from models.items import SUPERVISORS_KEY
from models.lifecycle import Actor
from models.submission import Submission, create_item
from models.tables import ActorRole, Citizen, Item, ItemKind, Rating
from tests.constants import HANOI
from tests.harness import Harness

ANSWER = "Sở đã cử cán bộ kiểm tra hiện trường và sẽ sửa chữa mặt đường trước ngày 15/12/2026."
CITIZEN = 5100


def local(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """Return a local instant in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=HANOI)


def officer(agency: str, telegram_user_id: int, name: str) -> Actor:
    """Return an officer of an agency."""
    return Actor(role=ActorRole.OFFICER, telegram_user_id=telegram_user_id, name=name, agency_code=agency)


HUNG = officer("SO-XD", 8101, "Trần Hùng")
LAN = officer("SO-XD", 8102, "Lê Lan")
MINH = officer("SO-NNMT", 8201, "Đỗ Minh")
THU = officer("SO-YT", 8301, "Phạm Thu")
VP_OFFICER = officer("VP", 8001, "Ngô Văn")
PDP_OFFICER = officer("UBND-PDP", 8401, "Vũ Hà")
SUPERVISOR = Actor(
    role=ActorRole.SUPERVISOR, telegram_user_id=9001, name="Giám sát", agency_code=SUPERVISORS_KEY
)
CITIZEN_ACTOR = Actor(role=ActorRole.CITIZEN, telegram_user_id=CITIZEN)


@dataclass
class November:
    """The codes of the hand-built items, by letter."""

    codes: dict[str, str] = field(default_factory=dict)


async def build_november(harness: Harness) -> November:
    """Create the month's items and their histories."""
    services = harness.services
    directory = services.directory
    calendar = services.calendar
    known = set(directory.agencies_by_code)
    world = November()
    async with harness.session() as session:
        session.add(Citizen(telegram_user_id=CITIZEN, language="vi", first_seen_at=local(9, 1)))

        async def new(letter: str, category: str, at: datetime, locality: str | None = None) -> Item:
            item, _ = await create_item(
                session=session,
                submission=Submission(
                    citizen_telegram_user_id=CITIZEN,
                    kind=ItemKind.FEEDBACK,
                    category_code=category,
                    locality_code=locality,
                    text=f"Phản ánh {letter}: mặt đường bị sụt lún nhiều ngày, rất nguy hiểm.",
                ),
                directory=directory,
                calendar=calendar,
                now=at,
            )
            world.codes[letter] = item.code
            return item

        def apply(session: AsyncSession, item: Item, change: lifecycle.Change) -> None:
            session.add(item)
            session.add(change.event)

        def claim(item: Item, actor: Actor, at: datetime) -> None:
            apply(session, item, lifecycle.claim(item, actor=actor, now=at))

        def answer(item: Item, actor: Actor, at: datetime) -> None:
            apply(session, item, lifecycle.answer(item, actor=actor, now=at, calendar=calendar, text=ANSWER))

        def rate(item: Item, rating: Rating, at: datetime) -> None:
            change = lifecycle.rate(
                item,
                actor=CITIZEN_ACTOR,
                now=at,
                rating=rating,
                calendar=calendar,
                answer_days=directory.deadlines.answer_days,
                claim_hours=directory.deadlines.claim_hours,
            )
            apply(session, item, change)

        # September: L stays overdue at SO-NNMT for three month ends.
        item_l = await new("L", "dat-dai", local(9, 15))

        a = await new("A", "giao-thong", local(11, 2, 9))
        claim(a, HUNG, local(11, 2, 10))
        answer(a, HUNG, local(11, 4, 9))
        rate(a, Rating.SATISFIED, local(11, 5, 9))

        b = await new("B", "giao-thong", local(11, 3, 9))
        claim(b, HUNG, local(11, 3, 9, 30))
        apply(session, b, lifecycle.ask_citizen(b, actor=HUNG, now=local(11, 3, 13), question="Số nhà?"))
        reply = lifecycle.citizen_replied(
            b, actor=CITIZEN_ACTOR, now=local(11, 5, 13), calendar=calendar, text="Số 12"
        )
        apply(session, b, reply)
        answer(b, HUNG, local(11, 6, 9))

        c = await new("C", "giao-thong", local(11, 11, 9))
        claim(c, LAN, local(11, 11, 10))
        answer(c, LAN, local(11, 26, 16))

        d = await new("D", "giao-thong", local(11, 2, 10))
        claim(d, LAN, local(11, 2, 11))
        answer(d, LAN, local(11, 18, 10))

        e = await new("E", "giao-duc", local(11, 2, 14))
        change = handover.transfer(
            e,
            actor=VP_OFFICER,
            now=local(11, 3, 9),
            target_agency_code="SO-NNMT",
            reason="Thuộc lĩnh vực đất đai",
            known_agency_codes=known,
        )
        apply(session, e, change)
        claim(e, MINH, local(11, 3, 10))
        consultation, change = consultations.request_consultation(
            e,
            actor=MINH,
            now=local(11, 3, 11),
            calendar=calendar,
            consultation_days=directory.deadlines.consultation_days,
            to_agency_code="SO-XD",
            question="Đề nghị cho ý kiến về hiện trạng tuyến đường.",
            known_agency_codes=known,
        )
        session.add(consultation)
        apply(session, e, change)
        await session.flush()
        position = consultations.answer_consultation(
            consultation, e, actor=HUNG, now=local(11, 4, 10), text=ANSWER
        )
        apply(session, e, position)
        answer(e, MINH, local(11, 5, 14))

        f = await new("F", "dat-dai", local(11, 9, 9))
        claim(f, MINH, local(11, 9, 10))

        await new("G", "dat-dai", local(11, 27, 9))

        h = await new("H", "khac", local(11, 4, 9))
        apply(
            session,
            h,
            lifecycle.reject(h, actor=VP_OFFICER, now=local(11, 4, 10), reason="Không rõ nội dung"),
        )
        apply(session, h, lifecycle.reverse_rejection(h, actor=SUPERVISOR, now=local(11, 5, 9)))

        i = await new("I", "trat-tu-do-thi", local(11, 10, 9), locality="phan-dinh-phung")
        change = handover.transfer(
            i,
            actor=PDP_OFFICER,
            now=local(11, 10, 10),
            target_agency_code="SO-XD",
            reason="Thuộc thẩm quyền Sở Xây dựng",
            known_agency_codes=known,
        )
        apply(session, i, change)
        change = handover.transfer(
            i,
            actor=HUNG,
            now=local(11, 11, 9),
            target_agency_code="UBND-PDP",
            reason="Thuộc thẩm quyền phường",
            known_agency_codes=known,
        )
        assert change.notes["disputed"]
        apply(session, i, change)
        change = handover.decide_dispute(
            i, actor=SUPERVISOR, now=local(11, 12, 9), agency_code="SO-XD", known_agency_codes=known
        )
        apply(session, i, change)
        claim(i, HUNG, local(11, 12, 10))
        answer(i, HUNG, local(11, 20, 10))
        rate(i, Rating.NOT_SATISFIED, local(11, 23, 9))

        j = await new("J", "y-te", local(11, 2, 9))
        claim(j, THU, local(11, 2, 10))
        change = supervision.extend(
            j,
            actor=SUPERVISOR,
            now=local(11, 13, 9),
            new_due_at=local(11, 27, 17),
            reason="Cần kiểm tra liên ngành",
            directory=directory,
            calendar=calendar,
        )
        apply(session, j, change)
        answer(j, THU, local(11, 26, 10))

        k = await new("K", "giao-thong", local(11, 13, 9))
        claim(k, HUNG, local(11, 13, 10))
        k.is_citizen_unreachable = True
        session.add(k)
        session.add(item_l)
    return world


NOVEMBER_NOW = local(12, 7, 9)  # the report is made on Monday 07/12/2026; the period ended on 01/12
