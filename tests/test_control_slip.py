"""The control slip (phiếu kiểm soát): an item's particulars and complete history, readable as a document."""

from __future__ import annotations

from pathlib import Path

from bot.views.control_slip import render_control_slip
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness
from tests.officer_world import (
    ANSWER_TEXT,
    NNMT_GROUP,
    OFFICER_NNMT,
    answer_item,
    choose_agency,
    claim,
    reply_in_group,
    seat_everyone,
    transfer_item,
)
from tests.test_cli import TEST_DIRECTORY, run_pakn


async def handled_item(harness: Harness) -> str:
    """Walk an item through a transfer, a consultation, an answer and a rating."""
    seat_everyone(harness)
    code = await submit_item(harness, CITIZEN, category="Giao thông", share_phone="0912345678")
    assert code is not None
    await transfer_item(harness, code, "Nông nghiệp", reason="Sạt lở đất thuộc lĩnh vực đất đai.")
    await claim(harness, code, OFFICER_NNMT, NNMT_GROUP)
    prompt = await choose_agency(
        harness, code, "Xin ý kiến phối hợp", "Sở Xây dựng", OFFICER_NNMT, NNMT_GROUP
    )
    await reply_in_group(harness, OFFICER_NNMT, prompt, "Đề nghị cho biết kế hoạch sửa mặt đường.")
    await answer_item(harness, code, officer=OFFICER_NNMT, chat_id=NNMT_GROUP)
    await harness.press(CITIZEN, CITIZEN.id, "Hài lòng")
    return code


async def test_slip_holds_particulars_and_the_whole_history_without_the_citizens_identity(
    harness: Harness,
) -> None:
    code = await handled_item(harness)
    async with harness.session() as session:
        slip = await render_control_slip(
            session=session, directory=harness.services.directory, code=code.lower(), language="vi"
        )
    assert slip is not None
    assert slip.startswith("PHIẾU KIỂM SOÁT")
    assert f"Mã hồ sơ: {code}" in slip and "Tỉnh Thử Nghiệm" in slip
    assert "Cơ quan chịu trách nhiệm: Sở Nông nghiệp và Môi trường" in slip
    assert "Số lần chuyển: 1; các cơ quan đã từng nhận: Sở Xây dựng" in slip
    assert "0912345678 (người gửi đồng ý cung cấp lúc 09:00 thứ Hai, 07/12/2026)" in slip
    assert "Đánh giá của người gửi: hài lòng" in slip
    assert "XIN Ý KIẾN PHỐI HỢP:" in slip and "kế hoạch sửa mặt đường" in slip
    for expected in (
        "09:00 thứ Hai, 07/12/2026 – Người gửi: gửi hồ sơ",
        "Hùng Trần (Sở Xây dựng): chuyển hồ sơ",
        "Lý do: Sạt lở đất thuộc lĩnh vực đất đai.",
        "Đến: Sở Nông nghiệp và Môi trường",
        "Tuấn Phạm (Sở Nông nghiệp và Môi trường): nhận xử lý [đã tiếp nhận, chờ cơ quan nhận xử lý → đang xử lý]",
        "xin ý kiến phối hợp",
        f"trả lời [đang xử lý → đã trả lời]\n   Nội dung: {ANSWER_TEXT}",
        "Người gửi: người gửi hài lòng [đã trả lời → đã kết thúc]",
    ):
        assert expected in slip, expected
    assert str(CITIZEN.id) not in slip and CITIZEN.first_name not in slip
    assert "<b>" not in slip


async def test_slip_of_an_unknown_code_is_none(harness: Harness) -> None:
    async with harness.session() as session:
        assert (
            await render_control_slip(
                session=session, directory=harness.services.directory, code="PA-ZZZZZZ", language="vi"
            )
            is None
        )


async def test_pakn_item_export_writes_the_slip(harness: Harness, backend: str, tmp_path: Path) -> None:
    code = await handled_item(harness)
    output = tmp_path / "slip.txt"
    env = {
        "DATABASE_URL": harness.services.settings.database_url,
        "DIRECTORY_FILE": str(TEST_DIRECTORY),
    }
    result = run_pakn("item", "export", code, "--output", str(output), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert f"Mã hồ sơ: {code}" in output.read_text(encoding="utf-8")
