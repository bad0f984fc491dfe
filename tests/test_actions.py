"""Issue 8, item 9: every event action and refusal has words in both languages; no raw identifier reaches a person."""

from __future__ import annotations

import re

import pytest

from bot.texts import CATALOGUES
from bot.views.control_slip import render_control_slip
from handlers.authorization import Denial
from models.actions import Action, RefusalNote
from models.escalation import LadderStep
from models.lifecycle import RefusalReason
from models.tables import ActorRole, ItemEvent
from tests.flows import CITIZEN
from tests.harness import Harness
from tests.officer_world import OFFICER_XD, XD_GROUP, seat_everyone, submit_road_item

REFUSAL_CODES = sorted(
    {reason.value for reason in RefusalReason}
    | {note.value for note in RefusalNote if note is not RefusalNote.NOT_AUTHORISED}
)


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_action_has_a_label_in_both_catalogues(language: str) -> None:
    missing = [
        action.value for action in Action if f"history.action.{action.value}" not in CATALOGUES[language]
    ]
    assert missing == []
    for action in Action:
        label = CATALOGUES[language][f"history.action.{action.value}"]
        assert label.strip() and not re.search(r"\w[_.]\w", label), label


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_refusal_code_has_a_label_in_both_catalogues(language: str) -> None:
    codes = [*REFUSAL_CODES, RefusalNote.NOT_AUTHORISED.value, "other"]
    assert [code for code in codes if f"history.refusal.{code}" not in CATALOGUES[language]] == []


def test_every_rung_of_the_ladder_is_an_action() -> None:
    assert {Action.for_ladder_step(step.value) for step in LadderStep} <= set(Action)


def test_stored_strings_are_unchanged_so_no_migration_is_needed() -> None:
    assert Action.AUTO_CLOSED == "auto_closed" and Action.ESCALATION_OVERDUE == "escalation.overdue"
    assert Action.PERSONAL_DATA_ERASED == "personal_data_erased" and Action.REFUSED == "refused"


def raw_identifiers() -> list[str]:
    """Every stored code a person must never read: action values and refusal codes."""
    return (
        [action.value for action in Action if re.search(r"[_.]", action.value)]
        + [code for code in REFUSAL_CODES if "_" in code]
        + [f"not_authorised:{denial.value}" for denial in Denial]
    )


async def add_one_event_of_every_kind(harness: Harness, code: str) -> None:
    """Write one event per action (refusals with every kind of reason) as the bot would record them."""
    item = await harness.item(code)
    async with harness.session() as session:
        for action in Action:
            session.add(
                ItemEvent(
                    item_id=item.id,  # type: ignore[arg-type]
                    at=harness.clock.now(),
                    action=action,
                    actor_role=ActorRole.SYSTEM,
                )
            )
        for reason in [*REFUSAL_CODES, *(f"not_authorised:{denial.value}" for denial in Denial), "new_in_v9"]:
            session.add(
                ItemEvent(
                    item_id=item.id,  # type: ignore[arg-type]
                    at=harness.clock.now(),
                    action=Action.REFUSED,
                    actor_role=ActorRole.OFFICER,
                    actor_name="Hùng Trần",
                    agency_code=item.agency_code,
                    reason=reason,
                )
            )


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_no_raw_identifier_reaches_the_control_slip(harness: Harness, language: str) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await add_one_event_of_every_kind(harness, code)
    async with harness.session() as session:
        slip = await render_control_slip(
            session=session, directory=harness.services.directory, code=code, language=language
        )
    assert slip is not None
    leaked = [identifier for identifier in raw_identifiers() if identifier in slip]
    assert leaked == []
    label = CATALOGUES[language]
    assert label["history.action.escalation.overdue"] in slip and label["history.action.auto_closed"] in slip
    assert label["history.refusal.not_authorised"] in slip and label["history.refusal.other"] in slip


async def test_no_raw_identifier_reaches_history_in_the_group(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await add_one_event_of_every_kind(harness, code)
    before = len(harness.bot_messages(XD_GROUP))
    await harness.say_in_group(XD_GROUP, OFFICER_XD, f"/history {code}")
    shown = "\n".join(message["text"] for message in harness.bot_messages(XD_GROUP)[before:])
    assert "Lịch sử hồ sơ" in shown
    assert [identifier for identifier in raw_identifiers() if identifier in shown] == []
    for key in ("escalation.overdue", "auto_closed", "personal_data_erased", "citizen_unreachable"):
        assert CATALOGUES["vi"][f"history.action.{key}"] in shown
    assert str(CITIZEN.id) not in shown
