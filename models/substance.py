"""Whether an answer says something (DESIGN §9): Dispatch 968's "trả lời chung chung" is refused.

An agency may not close an item with a holding reply: acknowledgement ("đã tiếp nhận"), a promise
("sẽ xem xét, giải quyết"), process words ("chỉ đạo kiểm tra, xử lý", "phối hợp rà soát") and courtesy
("trân trọng cảm ơn"), however long and however many agency and place names it is padded with.

The check folds diacritics and case, blanks out the directory's proper names, cuts the text into
clauses and, in each clause, looks for concrete content:

- a legal basis with its number ("Quyết định số 1234/QĐ-UBND", "Điều 12 Nghị định 100/2019/NĐ-CP");
- a result or a decision ("đã sửa xong", "đã lập biên bản", "không đủ điều kiện", "kết quả kiểm tra cho thấy");
- an instruction to the citizen ("đề nghị ông/bà mang … đến …", a telephone number to call);
- a date, a time or a measured quantity attached to something specific ("thay bóng đèn ngày 04/12");
- or simply enough specific words once every holding, process and courtesy word is taken away.

The rule works with phrase families (any acknowledgement verb, any process verb, any courtesy
formula), not a list of whole sentences, so holding replies it has never seen are refused too.
Such a text can still be sent as a progress update; the answer clock keeps running.

The filler vocabulary (the words taken away) is in `models/substance_filler.py`; the markers of
concrete content are here, beside the rule that reads them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from models.substance_filler import FILLER, alternatives

MINIMUM_ANSWER_CHARACTERS = 20  # letters and digits
MINIMUM_SPECIFIC_WORDS = 5  # specific syllables one clause needs when it has no marker of concrete content


# --- Concrete content ---------------------------------------------------------------------------------------

_DOCUMENT_KINDS = alternatives(
    "luat",
    "bo luat",
    "nghi dinh",
    "thong tu",
    "quyet dinh",
    "cong van",
    "van ban",
    "nghi quyet",
    "chi thi",
    "ke hoach",
    "thong bao",
    "bien ban",
    "giay phep",
    "giay chung nhan",
    "dieu",
    "khoan",
    "quy chuan",
    "tcvn",
    "qcvn",
    "to trinh",
    "ket luan",
)
LEGAL_BASIS = re.compile(rf"\b(?:{_DOCUMENT_KINDS})\s+(?:so\s+)?\d+|\b\d+/(?:\d{{4}}/)?[a-z]+[a-z0-9-]*\b")
_WEEKDAY = r"thu\s+(?:hai|ba|tu|nam|sau|bay)|chu\s+nhat"
DATE_OR_QUANTITY = re.compile(
    r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"  # 03/12, 03/12/2026
    r"|\b\d{1,2}[:h]\d{2}\b|\b\d{1,2}\s*gio\b"  # 17:00, 8h30
    r"|\b(?:ngay|thang|nam|tuan)\s+\d{1,4}\b"
    rf"|\b(?:{_WEEKDAY})\b"
    r"|\b(?:sang|chieu|trua|toi)\s+(?:nay|qua|hom\s+qua|hom\s+nay)\b|\bhom\s+qua\b"
    r"|\b\d+(?:[.,]\d+)?\s*(?:m|m2|m3|km|cm|mm|met|ha|kg|tan|dong|d|vnd|trieu|ty|nghin|%|ho|cay|bong|chiec"
    r"|cot|tru|xe|nguoi|truong\s+hop|dba|db|lit|can|thua|o|tuyen|diem|hem|kiet|so)\b"
    r"|\b(?:so|hem|kiet|ngo|ngach|duong|lo|to)\s+\d+"  # an address
)
TELEPHONE = re.compile(r"(?<!\d)(?:0|\+84|84)\d{2,3}[ .-]?\d{3}[ .-]?\d{3,4}(?!\d)|\b1[89]00[ .-]?\d{3,4}\b")
PROMISE = re.compile(r"\b(?:se|dang|tiep\s+tuc|du\s+kien|chuan\s+bi|sap|khi\s+co|sau\s+khi)\b|will|shall")
_DONE_VERBS = alternatives(
    "sua",
    "va",
    "thay",
    "lap dat",
    "thao do",
    "thao",
    "do bo",
    "thu hoi",
    "thu gom",
    "don dep",
    "don ve sinh",
    "cat",
    "cat tia",
    "nao vet",
    "xu phat",
    "phat",
    "cap phep",
    "cap giay",
    "cap doi",
    "cap lai",
    "cap so",
    "cho phep",
    "phe duyet",
    "chap thuan",
    "di doi",
    "niem phong",
    "dinh chi",
    "cuong che",
    "ngung",
    "tam dung",
    "khoi phuc",
    "dau noi",
    "ket noi",
    "lap bien ban",
    "chi tra",
    "boi thuong",
    "hoan tra",
    "dieu chinh",
    "cam bien",
    "dung lai",
    "gia co",
    "thao go",
    "tieu huy",
    "tich thu",
    "xu ly xong",
    "hoan thanh",
    "hoan tat",
    "buoc",
    "thu don",
    "cai tao",
    "nang cap",
    "duoc cap",
    "cam ket",
    "phun",
    "phun thuoc",
    "tiem",
    "dung thi cong",
    "sua chua",
    "thay the",
    "tham nhua",
    "rai nhua",
    "bo sung",
    "lap lai",
    "chieu sang",
    "sua xong",
)
RESULT = re.compile(
    rf"\b(?:da|vua)\s+(?:\w+\s+){{0,4}}?(?:{_DONE_VERBS})\b|\bduoc\s+(?:{_DONE_VERBS})\b"
    r"|\bxong\b|\bhoan\s+thanh\b|\bhoan\s+tat\b|\bbinh\s+thuong\b"
    r"|\bkhong\s+(?:co\s+)?co\s+so\b|\bco\s+co\s+so\b|\b(?:khong\s+)?du\s+dieu\s+kien\b"
    r"|\bkhong\s+(?:co\s+)?vi\s+pham\b|\b(?:co|da)\s+vi\s+pham\b|\b(?:khong\s+)?(?:chap\s+thuan|dong\s+y)\b|\bket\s+luan\b|\bcho\s+thay\b"
    r"|\bxac\s+dinh\s+(?:la|rang)\b|\b(?:khong\s+)?duoc\s+phep\b|\bkhong\s+thuoc\b"
    r"|\bnam\s+trong\s+(?:quy\s+hoach|hanh\s+lang|pham\s+vi|du\s+an|danh\s+muc|ranh\s+gioi)\b"
    r"|\bthuoc\s+(?:du\s+an|quy\s+hoach|hanh\s+lang|dien|pham\s+vi|dat)\b|\bquy\s+hoach\b"
    r"|\b(?:khong|chua)\s+the\b|\btu\s+choi\b"
    r"|\bnhat\s+tri\b|\bthong\s+nhat\s+(?:voi|phuong\s+an|de\s+xuat)\b|\bkhong\s+co\s+y\s+kien\s+khac\b"  # a position
)
_CITIZEN = r"(?:ong\s*/\s*ba|ong\s+ba|ong|ba|anh\s*/\s*chi|anh\s+chi|anh|chi|ban|quy\s+vi|quy|doanh\s+nghiep|cong\s+dan|nguoi\s+dan)"
_CITIZEN_ACTS = alternatives(
    "lien he",
    "mang",
    "nop",
    "den",
    "ra",
    "bo sung",
    "kiem tra lai",
    "kiem tra",
    "gui",
    "dang ky",
    "lam",
    "chuan bi",
    "truy cap",
    "goi",
    "cung cap",
    "xuat trinh",
    "dieu chinh",
    "thao do",
    "di doi",
    "chap hanh",
    "khai bao",
    "nhan",
    "ky",
    "hoan thien",
    "tu thao do",
    "khong",
    "tuan thu",
    "thuc hien",
)
INSTRUCTION = re.compile(
    rf"\b(?:de\s+nghi|kinh\s+de\s+nghi|xin\s+moi|moi|huong\s+dan|vui\s+long|yeu\s+cau)\s+(?:{_CITIZEN}\s+)?(?:vui\s+long\s+)?(?:{_CITIZEN_ACTS})\b"
    rf"|\b{_CITIZEN}\s+(?:co\s+the|can|phai|vui\s+long|nen)\s+(?:{_CITIZEN_ACTS})\b"
    r"|\bbo\s+phan\s+mot\s+cua\b|\btrung\s+tam\s+phuc\s+vu\b|\bduong\s+day\s+nong\b|\bhttps?://|\bwww\."
)
# "đề nghị ông/bà chờ / tiếp tục theo dõi / thông cảm" asks for patience: no instruction at all.
PATIENCE = re.compile(r"\b(?:cho|theo\s+doi|thong\s+cam|yen\s+tam|kien\s+nhan)\b")

# Found in the original text, where "và" (and) and "vá" (patch) still differ. A full stop, colon or comma
# inside a number ("30.000 đồng", "17:00", "dichvucong.cantho.gov.vn") breaks nothing.
_SENTENCE_BREAK = re.compile(r"[.!?;]+(?=\s|$)|\n+")
_CLAUSE_BREAK = re.compile(
    r"[:,](?=\s|$)|[()\[\]]|\b(?:và|đồng\s+thời|nhưng|tuy\s+nhiên|sau\s+đó)\b", re.IGNORECASE
)
_NAME_NOUN = re.compile(
    r"\b(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|sở|phường|xã|thành phố|tỉnh|quận|huyện|thị xã|đặc khu|công an"
    r"|phòng|ban|trung tâm|chi cục|văn phòng)\b",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
_ITEM_CODE = re.compile(r"\b(?:pa|kn)[\s-]?[2-9a-z]{6}\b")


class SubstanceProblem(StrEnum):
    """Why a text is not an answer."""

    TOO_SHORT = "too_short"
    ONLY_HOLDING_PHRASE = "only_holding_phrase"


@dataclass(frozen=True)
class SubstanceVerdict:
    """The outcome of the check: fine, or the problem found."""

    problem: SubstanceProblem | None = None

    @property
    def has_substance(self) -> bool:
        """Tell whether the text may be sent as an answer."""
        return self.problem is None


def check_substance(
    text: str,
    *,
    proper_names: Iterable[str] = (),
    minimum_characters: int = MINIMUM_ANSWER_CHARACTERS,
) -> SubstanceVerdict:
    """Judge whether a text answers something, or only acknowledges, promises and thanks."""
    folded = _fold(text)  # one character for one character, so positions in `text` hold in `folded`
    if len(re.sub(r"[\W_]+", "", folded)) < minimum_characters:
        return SubstanceVerdict(SubstanceProblem.TOO_SHORT)
    if any(_is_concrete(clause) for clause in clauses_of(text, proper_names=proper_names)):
        return SubstanceVerdict()
    return SubstanceVerdict(SubstanceProblem.ONLY_HOLDING_PHRASE)


@dataclass(frozen=True)
class Clause:
    """A piece of a sentence, folded, and whether its sentence only promises."""

    text: str
    in_promise: bool


def clauses_of(text: str, *, proper_names: Iterable[str] = ()) -> list[Clause]:
    """Return the text folded and cut into clauses, with the item code and the proper names blanked."""
    folded = _blank(_ITEM_CODE, _fold(text))  # the item's own code says nothing
    for name in sorted({_fold(name).strip() for name in proper_names}, key=len, reverse=True):
        if len(name) >= 2:
            pattern = r"\s+".join(re.escape(word) for word in name.split())
            folded = _blank(re.compile(rf"(?<![\w/]){pattern}(?![\w/])"), folded)
    folded = _blank_capitalised_names(text, folded)
    clauses: list[Clause] = []
    for sentence_start, sentence_end in _pieces(text, _SENTENCE_BREAK, 0, len(text)):
        sentence = folded[sentence_start:sentence_end]
        in_promise = PROMISE.search(sentence) is not None and RESULT.search(sentence) is None
        pending = ""
        for clause_start, clause_end in _pieces(text, _CLAUSE_BREAK, sentence_start, sentence_end):
            piece = folded[clause_start:clause_end].strip()
            if not piece:
                continue
            if DATE_OR_QUANTITY.search(piece) and not _specific_words(DATE_OR_QUANTITY.sub(" ", piece)):
                pending = f"{pending} {piece}"  # "Ngày 05/12, …": a bare date belongs to the next clause
                continue
            clauses.append(Clause(f"{pending} {piece}".strip(), in_promise))
            pending = ""
        if pending:
            clauses.append(Clause(pending.strip(), in_promise))
    return clauses


def _is_concrete(clause: Clause) -> bool:
    """Tell whether one clause states something specific."""
    words = clause.text
    if TELEPHONE.search(words) or (LEGAL_BASIS.search(words) and not clause.in_promise):
        return True
    instruction = INSTRUCTION.search(words)
    if instruction and not PATIENCE.search(words, instruction.start()):
        return True
    if RESULT.search(words) and PROMISE.search(words) is None:
        return True
    if DATE_OR_QUANTITY.search(words) and _specific_words(DATE_OR_QUANTITY.sub(" ", words)):
        return True
    return len(_specific_words(words)) >= MINIMUM_SPECIFIC_WORDS


def _specific_words(clause: str) -> list[str]:
    """Return the words left once every filler phrase is taken out."""
    remaining = FILLER.sub(" ", clause)
    return [word for word in re.split(r"[^\w]+", remaining) if word and not word.isdigit()]


def _blank_capitalised_names(text: str, folded: str) -> str:
    """Blank the capitalised words after an agency or place noun ("phường Ninh Kiều"), for names not listed."""
    for noun in _NAME_NOUN.finditer(text):
        end = noun.end()
        while (
            (word := _NEXT_WORD.match(text, end)) and word.group(1)[0].isupper() and word.group(1) != "UBND"
        ):
            end = word.end()
        if end > noun.end():
            folded = folded[: noun.end()] + " " * (end - noun.end()) + folded[end:]
    return folded


def _blank(pattern: re.Pattern[str], folded: str) -> str:
    """Replace every match by as many spaces, so that positions do not move."""
    return pattern.sub(lambda match: " " * len(match.group()), folded)


def _pieces(text: str, breaks: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    """Return the spans of text[start:end] between the matches of a break pattern."""
    spans: list[tuple[int, int]] = []
    for match in breaks.finditer(text, start, end):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, end))
    return spans


def _fold(text: str) -> str:
    """Lower-case and strip diacritics (đ → d) character by character, so the length never changes."""
    return "".join(_fold_character(character) for character in text)


def _fold_character(character: str) -> str:
    if character in "đĐ":
        return "d"
    base = "".join(
        part for part in unicodedata.normalize("NFD", character) if unicodedata.category(part) != "Mn"
    ).lower()
    return base if len(base) == 1 else (base[:1] or " ")
