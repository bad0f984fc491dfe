"""Signed callback data, settings safety, and start-up that survives a failing non-essential call."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from bot.callbacks import MAX_CALLBACK_BYTES, CallbackSigner
from bot.settings import Settings
from bot.views.buttons import (
    CardAction,
    CardPress,
    ChooserMove,
    OfficerAgencyChoice,
    SubmitAction,
    SubmitPress,
)
from bot.views.render import agency_key
from tests.harness import Harness


def test_signed_data_round_trips_and_fits_telegram() -> None:
    signer = CallbackSigner(b"secret")
    choice = OfficerAgencyChoice(ChooserMove.PICK, 2_147_483_647, 999, 12, agency_key("UBND-PHAN-DINH-PHUNG"))
    data = signer.pack(choice)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert signer.unpack(data, OfficerAgencyChoice) == choice


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "o|claim|1|0|",
        "o|claim|1|0|AAAAAAAAAAA",
        "garbage",
        "o|claim|1|0|chữ-ký-giả",
    ],
)
def test_forged_or_malformed_data_is_refused(forged: str | None) -> None:
    assert CallbackSigner(b"secret").unpack(forged, CardPress) is None


def test_tampering_with_any_part_breaks_the_signature() -> None:
    signer = CallbackSigner(b"secret")
    data = signer.pack(CardPress(CardAction.CLAIM, 41, 3))
    assert signer.unpack(data.replace("|41|", "|42|"), CardPress) is None
    assert signer.unpack(data.replace("|claim|", "|reject|"), CardPress) is None
    assert CallbackSigner(b"another bot").unpack(data, CardPress) is None


def test_oversized_data_is_refused_when_signing() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        CallbackSigner(b"secret").pack(SubmitPress(SubmitAction.CATEGORY, "X" * 60))


def test_production_refuses_placeholder_token_and_weak_webhook_secret() -> None:
    with pytest.raises(ValidationError, match="BOT_TOKEN"):
        Settings(_env_file=None, environment="production", bot_token=SecretStr("changeme"))  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        Settings(  # type: ignore[call-arg]
            _env_file=None,
            environment="production",
            bot_token=SecretStr("123456:real-looking-token"),
            webhook_url="https://pakn.example.gov.vn/telegram",
            webhook_secret=SecretStr("short"),
        )
    development = Settings(_env_file=None)  # type: ignore[call-arg]
    assert development.bot_token is None and development.is_sqlite


def test_file_url_follows_a_self_hosted_api_url() -> None:
    settings = Settings(_env_file=None, telegram_api_base_url="http://127.0.0.1:8081/bot")  # type: ignore[call-arg]
    assert settings.file_base_url == "http://127.0.0.1:8081/file/bot"


async def test_failing_set_my_commands_does_not_stop_start_up(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.fake.inject_faults(rate_500=1.0, methods={"setMyCommands"})
    await harness.runtime.start_bot()
    assert "setMyCommands failed" in caplog.text
    assert harness.application.bot.username == "pakn_test_bot"
