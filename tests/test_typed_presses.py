"""The supervisors' and citizens' presses and prompts are typed: strangers, old data and audiences stay apart."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import select

from bot.callbacks import CallbackSigner
from bot.views.buttons import DisputeMove, DisputePress, EscalationAction, EscalationPress, RatingPress
from handlers.supervisor_prompts import Step, SupervisorPrompt
from models.purposes import Purpose
from models.tables import ItemState, PostedMessage, Rating
from tests.flows import CITIZEN, OTHER_CITIZEN
from tests.harness import Harness
from tests.officer_world import (
    SUPERVISOR,
    SUPERVISORS_GROUP,
    alerts,
    answer_item,
    claim,
    last_bot_message,
    press_on,
    reply_in_group,
    seat_everyone,
    submit_road_item,
)
from tests.test_supervisor_actions import overdue_road_item

HANDLERS = Path(__file__).resolve().parent.parent / "handlers"


def test_presses_round_trip_through_their_families() -> None:
    signer = CallbackSigner(b"secret")
    dispute = DisputePress(DisputeMove.PICK, 12, 3, True, agency="abcdefgh")
    assert signer.unpack(signer.pack(dispute), DisputePress) == dispute
    urge = signer.pack(EscalationPress(EscalationAction.URGE, 12))
    assert signer.unpack(urge, RatingPress) is None  # another family's press is not read as this one
    rating = RatingPress(Rating.NOT_SATISFIED, 12, 3)
    assert signer.unpack(signer.pack(rating), RatingPress) == rating


def test_a_prompt_keeps_only_what_it_needs() -> None:
    prompt = SupervisorPrompt(step=Step.REASSIGN, supervisor=7, target_agency="SO-XD")
    assert prompt.stored() == {"step": "reassign", "supervisor": 7, "target_agency": "SO-XD"}
    assert SupervisorPrompt.model_validate({**prompt.stored(), "used": True}).used


def imported_handlers(path: Path) -> set[str]:
    """Return the handler modules a module imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "handlers":
                names.update(alias.name for alias in node.names)
            elif node.module.startswith("handlers."):
                names.add(node.module.removeprefix("handlers."))
    return names


def test_citizens_and_supervisors_never_import_each_others_conversations() -> None:
    for path in HANDLERS.glob("citizen_*.py"):
        imported = imported_handlers(path)
        assert not {name for name in imported if name.startswith("supervisor_")} - {"supervisor_notices"}, (
            path
        )
        assert not {name for name in imported if name.startswith("officer_")}, path
    for path in [*HANDLERS.glob("supervisor_*.py"), HANDLERS / "escalation_digest.py"]:
        imported = imported_handlers(path)
        assert not {name for name in imported if name.startswith("officer_")}, path
        assert not {name for name in imported if name.startswith("citizen_")} - {"citizen_notices"}, path


async def test_another_citizen_cannot_rate_an_answer(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    await answer_item(harness, code)
    rating_question = last_bot_message(harness, CITIZEN.id)
    item = await harness.item(code)
    events_before = len(await harness.events(item.id))  # type: ignore[arg-type]
    button = rating_question["reply_markup"]["inline_keyboard"][0][0]
    await harness.feed(
        harness.updates.callback(
            OTHER_CITIZEN, chat_id=CITIZEN.id, message=rating_question, data=button["callback_data"]
        )
    )
    assert alerts(harness)[-1] == "Nút bấm không hợp lệ."
    item = await harness.item(code)
    assert item.state is ItemState.ANSWERED and item.rating is None
    assert len(await harness.events(item.id)) == events_before  # type: ignore[arg-type]


async def test_a_prompt_whose_data_cannot_be_read_is_left_alone(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    await press_on(harness, SUPERVISOR, card, "Xem xét trách nhiệm")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    async with harness.session() as session:
        posted = (
            await session.exec(
                select(PostedMessage).where(
                    PostedMessage.chat_id == SUPERVISORS_GROUP,
                    PostedMessage.message_id == prompt["message_id"],
                )
            )
        ).one()
        assert posted.purpose == Purpose.SUPERVISOR_PROMPT
        posted.purpose_data = {**posted.purpose_data, "step": "no_such_step"}
        flag_modified(posted, "purpose_data")
        session.add(posted)
    sent_before = len(harness.fake.texts(SUPERVISORS_GROUP))
    await reply_in_group(harness, SUPERVISOR, prompt, "Chậm trễ kéo dài, đề nghị xem xét trách nhiệm.")
    assert len(harness.fake.texts(SUPERVISORS_GROUP)) == sent_before
    assert not (await harness.item(code)).is_flagged_for_review
