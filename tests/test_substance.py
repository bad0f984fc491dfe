"""The substance check (DESIGN §9): an answer must say something, not only acknowledge or postpone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.substance import HOLDING_PHRASES, SubstanceProblem, check_substance


@pytest.mark.parametrize(
    "holding",
    [
        "Đã tiếp nhận, sẽ xem xét.",
        "đang xem xét",
        "Sẽ trả lời sau.",
        "ok",
        "",
        "   ",
    ],
)
def test_short_or_empty_texts_are_too_short(holding: str) -> None:
    assert check_substance(holding).problem is SubstanceProblem.TOO_SHORT


@pytest.mark.parametrize(
    "holding",
    [
        "Kính gửi ông/bà, cơ quan đã tiếp nhận phản ánh và đang xem xét, sẽ trả lời sau. Trân trọng cảm ơn.",
        "Hồ sơ PA-7K3Q9M đã được tiếp nhận, chúng tôi đang xử lý và sẽ phản hồi sau.",
        "DA TIEP NHAN THONG TIN, SE XEM XET GIAI QUYET THEO QUY DINH.",
        "Chúng tôi đã ghi nhận và sẽ xử lý trong thời gian sớm nhất.",
        "Đã chuyển bộ phận chuyên môn xem xét, sẽ thông báo sau cho ông bà.",
        "Received, we will consider it and reply later. Thank you.",
        "Chuyển bộ phận chuyên môn",
    ],
)
def test_holding_phrases_with_courtesy_are_not_answers(holding: str) -> None:
    verdict = check_substance(holding)
    assert verdict.problem is SubstanceProblem.ONLY_HOLDING_PHRASE and not verdict.has_substance


@pytest.mark.parametrize(
    "answer",
    [
        "Đã vá xong ổ gà ngày 10/12/2026.",
        "Sở Xây dựng đã cử cán bộ kiểm tra hiện trường ngày 08/12 và yêu cầu nhà thầu vá lại mặt đường trước 15/12.",
        "Khu đất thuộc quy hoạch hành lang an toàn giao thông theo Quyết định 123/QĐ-UBND năm 2024.",
        "Đã tiếp nhận và xử lý: lực lượng trật tự đô thị đã thu dọn vật liệu lấn chiếm vỉa hè sáng 09/12.",
        "Trả lời theo công văn số 45/SXD-QLCL đính kèm.",
    ],
)
def test_real_answers_pass(answer: str) -> None:
    assert check_substance(answer).has_substance


def test_diacritics_and_case_do_not_hide_a_holding_phrase() -> None:
    assert not check_substance("ĐÃ TIẾP NHẬN PHẢN ÁNH, ĐANG XEM XÉT VÀ SẼ TRẢ LỜI SAU Ạ").has_substance
    assert not check_substance("da tiep nhan phan anh, dang xem xet va se tra loi sau a").has_substance


@given(st.lists(st.sampled_from(HOLDING_PHRASES), min_size=1, max_size=6))
def test_any_string_of_holding_phrases_is_never_an_answer(phrases: list[str]) -> None:
    assert not check_substance(", ".join(phrases) + ".").has_substance
