"""The substance check (DESIGN §9, issue 8): an answer must say something, not only acknowledge or promise."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from models.directory import Directory, load_directory
from models.substance import SubstanceProblem, check_substance

DATA = Path(__file__).parent / "data"
CORPUS = yaml.safe_load((DATA / "answer-corpus.yaml").read_text(encoding="utf-8"))
# Short holding replies people write: any string of them is refused (the property test below).
HOLDING_PHRASES: tuple[str, ...] = (
    "da tiep nhan phan anh",
    "da tiep nhan",
    "da ghi nhan",
    "se xem xet giai quyet",
    "se xem xet",
    "dang xem xet",
    "se tra loi sau",
    "se phan hoi",
    "se thong bao sau",
    "dang xu ly",
    "se chi dao kiem tra xu ly",
    "chuyen bo phan chuyen mon xem xet",
    "theo quy dinh",
    "trong thoi gian som nhat",
    "tran trong cam on",
    "kinh gui ong/ba",
    "received",
    "will consider",
    "under consideration",
    "will reply later",
)
CITY_NAMES = (
    "Văn phòng UBND thành phố Cần Thơ",
    "Sở Xây dựng",
    "UBND phường Ninh Kiều",
    "Phường Ninh Kiều",
    "Ninh Kiều",
)


@pytest.fixture(scope="module")
def city() -> Directory:
    return load_directory(DATA / "city-province.yaml")


def test_the_corpus_is_large_and_balanced() -> None:
    holding, substantive = CORPUS["holding"], CORPUS["substantive"]
    assert len(holding) + len(substantive) >= 40
    assert len(holding) >= 20 and len(substantive) >= 20
    assert any(len(answer) < 70 for answer in substantive)  # short answers with substance are in it


def test_every_holding_reply_of_the_corpus_is_refused(city: Directory) -> None:
    accepted = [
        reply
        for reply in CORPUS["holding"]
        if check_substance(reply, proper_names=city.proper_names).has_substance
    ]
    assert accepted == []


def test_at_most_one_substantive_reply_of_the_corpus_is_refused(city: Directory) -> None:
    refused = [
        answer
        for answer in CORPUS["substantive"]
        if not check_substance(answer, proper_names=city.proper_names).has_substance
    ]
    assert len(refused) <= 1, refused


def test_holding_replies_stay_refused_when_the_names_are_not_in_the_directory() -> None:
    """Capitalised names after "phường", "Sở", "UBND"… are blanked even when the directory does not list them."""
    accepted = [reply for reply in CORPUS["holding"] if check_substance(reply).has_substance]
    assert accepted == []


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
        # a date or a decree in a promise is still a promise
        "Phường sẽ xem xét và trả lời ông/bà trước ngày 15/12/2026.",
        "Ngày 02/12/2026, phường đã chuyển hồ sơ đến Sở Xây dựng xem xét.",
        "Theo quy định tại Nghị định 20/2008/NĐ-CP, phường sẽ xem xét xử lý phản ánh của ông/bà.",
        "Phường sẽ trả lời ông bà trong vòng 10 ngày làm việc kể từ ngày tiếp nhận.",
        # asking for patience is not an instruction
        "Đề nghị ông/bà tiếp tục theo dõi, phối hợp với chính quyền địa phương. Trân trọng.",
        "Hồ sơ của ông/bà đang được giải quyết theo đúng trình tự thủ tục, đề nghị ông/bà kiên nhẫn chờ đợi.",
        # "vá" (patch) and "và" (and) fold alike; the conjunction must not read as a repair
        "Đơn vị đã tiếp nhận và đang xem xét và sẽ xử lý theo quy định, trân trọng.",
        "Cảm ơn ông bà. Thành phố luôn lắng nghe ý kiến người dân và cam kết xử lý nghiêm các vi phạm.",
        "Sở đã ban hành văn bản đôn đốc các đơn vị liên quan xử lý theo quy định.",
        "Phường xin tiếp thu và sẽ sửa chữa trong thời gian sớm nhất.",
    ],
)
def test_holding_replies_are_not_answers(holding: str) -> None:
    verdict = check_substance(holding)
    assert verdict.problem is SubstanceProblem.ONLY_HOLDING_PHRASE and not verdict.has_substance


@pytest.mark.parametrize(
    "answer",
    [
        "Đã vá xong ổ gà ngày 10/12/2026.",
        "Ổ gà trên đường 30/4 đã được vá.",
        "Sở Xây dựng đã cử cán bộ kiểm tra hiện trường ngày 08/12 và yêu cầu nhà thầu vá lại mặt đường trước 15/12.",
        "Khu đất thuộc quy hoạch hành lang an toàn giao thông theo Quyết định 123/QĐ-UBND năm 2024.",
        "Đã tiếp nhận và xử lý: lực lượng trật tự đô thị đã thu dọn vật liệu lấn chiếm vỉa hè sáng 09/12.",
        "Trả lời theo công văn số 45/SXD-QLCL đính kèm.",
        "Ông/bà cần bổ sung bản sao sổ hộ khẩu và giấy xác nhận tình trạng hôn nhân để hoàn thiện hồ sơ.",
        "Mức thu là 30.000 đồng/hộ/tháng; ông/bà nộp tại dichvucong.cantho.gov.vn từ 07:30 đến 17:00.",
        "Quán nhậu đã bị đình chỉ hoạt động 3 tháng do gây ồn sau 22 giờ.",
    ],
)
def test_real_answers_pass(answer: str) -> None:
    assert check_substance(answer).has_substance


def test_diacritics_and_case_do_not_hide_a_holding_phrase() -> None:
    assert not check_substance("ĐÃ TIẾP NHẬN PHẢN ÁNH, ĐANG XEM XÉT VÀ SẼ TRẢ LỜI SAU Ạ").has_substance
    assert not check_substance("da tiep nhan phan anh, dang xem xet va se tra loi sau a").has_substance


def test_directory_names_do_not_count_as_content(city: Directory) -> None:
    padded = (
        "Văn phòng UBND thành phố Cần Thơ, Sở Xây dựng thành phố Cần Thơ, UBND phường Ninh Kiều, "
        "UBND phường Cái Khế và UBND xã Phong Điền đã tiếp nhận và sẽ xem xét."
    )
    assert not check_substance(padded, proper_names=city.proper_names).has_substance


@given(st.lists(st.sampled_from(HOLDING_PHRASES), min_size=1, max_size=6))
def test_any_string_of_holding_phrases_is_never_an_answer(phrases: list[str]) -> None:
    assert not check_substance(", ".join(phrases) + ".").has_substance


# Phrase families: any greeting, any agency, any acknowledgement, any promise of any process, any
# qualifier and any closing, in any combination, stays a holding reply.
GREETINGS = ["Kính gửi ông/bà,", "Kính gửi Quý ông bà!", "Chào bạn.", "Thưa ông bà,", ""]
AGENCIES = [
    "UBND phường Ninh Kiều",
    "Sở Xây dựng",
    "Phường",
    "Chúng tôi",
    "Đơn vị",
    "Văn phòng UBND thành phố Cần Thơ",
]
ACKNOWLEDGEMENTS = [
    "đã tiếp nhận phản ánh",
    "đã ghi nhận ý kiến của ông bà",
    "đã nhận được thông tin",
    "tiếp thu kiến nghị",
]
PROMISES = [
    "sẽ xem xét, giải quyết",
    "đang chỉ đạo kiểm tra, xử lý",
    "sẽ phối hợp với các ngành chức năng rà soát, làm rõ",
    "sẽ chuyển bộ phận chuyên môn tham mưu",
    "đang tổng hợp, báo cáo lãnh đạo",
    "sẽ có biện pháp chấn chỉnh, khắc phục",
    "sẽ trả lời ông bà",
]
QUALIFIERS = [
    "theo quy định",
    "trong thời gian sớm nhất",
    "kịp thời, dứt điểm",
    "đúng quy định của pháp luật",
    "",
]
CLOSINGS = ["Trân trọng cảm ơn.", "Xin chân thành cảm ơn!", "Mong ông/bà thông cảm.", "Trân trọng.", ""]


@given(
    st.sampled_from(GREETINGS),
    st.sampled_from(AGENCIES),
    st.sampled_from(ACKNOWLEDGEMENTS),
    st.lists(st.sampled_from(PROMISES), min_size=1, max_size=3),
    st.sampled_from(QUALIFIERS),
    st.sampled_from(CLOSINGS),
)
def test_any_combination_of_the_phrase_families_is_a_holding_reply(
    greeting: str, agency: str, acknowledgement: str, promises: list[str], qualifier: str, closing: str
) -> None:
    reply = f"{greeting} {agency} {acknowledgement} và {', '.join(promises)} {qualifier}. {closing}"
    assert not check_substance(reply, proper_names=CITY_NAMES).has_substance, reply
