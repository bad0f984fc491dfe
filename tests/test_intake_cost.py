"""The intake path stays cheap and layered: few statements per update, the policy in one domain place."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from models.submission import RefusalReason, Refused, SubmissionLimits, check_submission_allowed
from tests.flows import CITIZEN, VALID_TEXT, submit_item
from tests.harness import Harness

ROOT = Path(__file__).resolve().parent.parent


def test_the_inbox_imports_no_handler_module() -> None:
    tree = ast.parse((ROOT / "bot" / "inbox.py").read_text(encoding="utf-8"))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    ]
    assert not [name for name in imported if name.split(".")[0] == "handlers"]


async def test_a_step_of_the_conversation_is_one_short_transaction(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    engine = harness.services.engine.sync_engine
    deliver = harness.deliver

    async def not_yet(**_options: Any) -> None:
        """Leave the outbox for after the count: delivering is not the update's cost."""

    harness.deliver = not_yet  # type: ignore[method-assign]
    event.listen(engine, "before_cursor_execute", count)
    try:
        await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")  # a press that moves the draft on
    finally:
        event.remove(engine, "before_cursor_execute", count)
        harness.deliver = deliver  # type: ignore[method-assign]
    await harness.deliver()
    assert "Bước 3/7" in harness.last_text(CITIZEN.id)  # the category question
    # stored (1); found and read back, since the test stores it apart from the webhook (2); marked
    # handled (1); the flood counter (2); the citizen with the draft (1); the draft's step (1); the
    # next question (1). Nothing is looked up twice.
    assert len(statements) <= 9, statements
    assert sum(" citizen" in statement.split("WHERE")[0] for statement in statements) == 1


async def test_the_hourly_limit_is_decided_in_the_domain_with_the_instant_it_frees(harness: Harness) -> None:
    await submit_item(harness, CITIZEN, category="Môi trường", text=VALID_TEXT)
    limits = SubmissionLimits(duplicate_window=timedelta(minutes=10), per_hour=1)
    async with harness.session() as session:
        with pytest.raises(Refused) as refused:
            await check_submission_allowed(
                session, telegram_user_id=CITIZEN.id, limits=limits, now=harness.clock.now()
            )
        assert refused.value.reason is RefusalReason.RATE_LIMITED
        assert refused.value.free_at == harness.clock.now() + timedelta(hours=1)
        with pytest.raises(Refused) as duplicate:
            await check_submission_allowed(
                session, telegram_user_id=CITIZEN.id, limits=limits, now=harness.clock.now(), text=VALID_TEXT
            )
        assert duplicate.value.reason is RefusalReason.DUPLICATE and duplicate.value.duplicate_of is not None
        await check_submission_allowed(
            session,
            telegram_user_id=CITIZEN.id,
            limits=limits,
            now=harness.clock.now() + timedelta(hours=1, seconds=1),
        )
