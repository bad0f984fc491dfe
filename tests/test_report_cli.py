"""`pakn demo` and `pakn report` against a fresh SQLite file, as an administrator runs them."""

from __future__ import annotations

import asyncio
import io
import struct
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from models.db import make_engine, make_session_factory, transaction
from models.directory import load_directory
from models.submission import Submission, create_item
from models.tables import ItemKind
from tests.constants import TEST_DIRECTORY


def add_real_item(url: str) -> None:
    """Save one item sent by a real citizen."""

    async def add() -> None:
        engine = make_engine(url)
        directory = load_directory(TEST_DIRECTORY)
        try:
            async with transaction(make_session_factory(engine)) as session:
                await create_item(
                    session=session,
                    submission=Submission(
                        citizen_telegram_user_id=5001,
                        kind=ItemKind.FEEDBACK,
                        category_code="giao-thong",
                        text="Đường trước chợ bị ngập sâu sau mỗi trận mưa lớn.",
                    ),
                    directory=directory,
                    calendar=directory.calendar(),
                    now=datetime.now(UTC) - timedelta(hours=1),  # the CLI runs on the system clock
                )
        finally:
            await engine.dispose()

    asyncio.run(add())


def test_demo_fills_a_fresh_database_and_report_writes_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Demo makes a history through the rules; report writes XLSX, CSV, PNG and text; bad input is refused."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DIRECTORY_FILE", str(TEST_DIRECTORY))
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    assert main(["demo", "--items", "60", "--days", "40"]) == 0
    assert "Simulated 60 items over 40 days" in capsys.readouterr().out
    assert main(["demo", "--items", "5", "--days", "5"]) == 0  # only simulated items so far: allowed

    add_real_item(url)
    assert main(["demo", "--items", "5", "--days", "5"]) == 2
    assert "holds 1 real item(s)" in capsys.readouterr().err
    assert main(["demo", "--items", "5", "--days", "5", "--force"]) == 0

    today = date.today()
    first, end = (
        (today - timedelta(days=60)).isoformat(),
        (today + timedelta(days=2)).isoformat(),
    )  # the province is ahead of UTC
    outputs = {fmt: tmp_path / f"report.{fmt}" for fmt in ("xlsx", "csv", "png", "text")}
    for fmt, path in outputs.items():
        assert main(["report", "--from", first, "--to", end, "--format", fmt, "--out", str(path)]) == 0
    workbook = load_workbook(io.BytesIO(outputs["xlsx"].read_bytes()))
    assert workbook.sheetnames[0] == "Tổng hợp theo cơ quan"
    total_row = next(
        row for row in workbook.worksheets[0].iter_rows(values_only=True) if row[2] == "Toàn tỉnh"
    )
    assert total_row[3] == 71  # every item received in the window, the real one included
    assert outputs["csv"].read_text(encoding="utf-8-sig").startswith("Xếp hạng,Mã cơ quan,Cơ quan")
    png = outputs["png"].read_bytes()
    assert png[:4] == b"\x89PNG" and struct.unpack(">I", png[16:20])[0] == 1080
    assert "Tiếp nhận: 71" in outputs["text"].read_text(encoding="utf-8")

    agency_only = tmp_path / "nnmt.txt"
    assert (
        main(
            [
                "report",
                "--from",
                first,
                "--to",
                end,
                "--format",
                "text",
                "--out",
                str(agency_only),
                "--agency",
                "SO-NNMT",
            ]
        )
        == 0
    )
    assert "Sở Nông nghiệp và Môi trường" in agency_only.read_text(encoding="utf-8")
    assert main(["report", "--from", first, "--to", end, "--out", "x.xlsx", "--agency", "SO-KHONG"]) == 2
    assert "unknown agency code(s): SO-KHONG" in capsys.readouterr().err
    assert main(["report", "--from", end, "--to", first, "--out", "x.xlsx"]) == 2
