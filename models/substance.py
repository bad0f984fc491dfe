"""Whether an answer says something (DESIGN §9): not too short, not only a generic holding phrase.

An agency may not close an item with "đã tiếp nhận, sẽ xem xét" (received, will consider). The
check folds diacritics and case, strips the holding phrases and courtesy words a civil-service
reply is wrapped in, and asks whether enough real words remain. Such a text can still be sent as
a progress update; the answer clock keeps running.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models.directory import fold_for_search

MINIMUM_ANSWER_CHARACTERS = 20
MINIMUM_SUBSTANTIVE_WORDS = 5

# Folded (no diacritics, lower case). Longer phrases first so they are removed whole.
HOLDING_PHRASES: tuple[str, ...] = (
    "chuyen bo phan chuyen mon xem xet",
    "chuyen bo phan chuyen mon",
    "bo phan chuyen mon",
    "da tiep nhan thong tin",
    "da tiep nhan phan anh",
    "da tiep nhan kien nghi",
    "da tiep nhan",
    "da nhan duoc thong tin",
    "da nhan duoc",
    "da ghi nhan",
    "ghi nhan",
    "se xem xet giai quyet",
    "xem xet giai quyet",
    "se xem xet",
    "dang xem xet",
    "xem xet",
    "se tra loi sau",
    "se tra loi",
    "tra loi sau",
    "se phan hoi sau",
    "se phan hoi",
    "phan hoi sau",
    "se thong bao sau",
    "se thong bao",
    "thong bao sau",
    "dang xu ly",
    "se xu ly",
    "dang kiem tra",
    "se kiem tra",
    "dang giai quyet",
    "se giai quyet",
    "dang tong hop",
    "se tong hop",
    "dang nghien cuu",
    "se nghien cuu",
    "theo quy dinh",
    "trong thoi gian som nhat",
    "trong thoi gian toi",
    "som nhat",
    "received",
    "will consider",
    "under consideration",
    "will reply later",
    "being processed",
    "forwarded to the relevant department",
)

# Words that wrap any official reply and carry no content of their own.
COURTESY_WORDS = frozenset(
    [
        "kinh",
        "gui",
        "kinh",
        "thua",
        "xin",
        "chan",
        "thanh",
        "cam",
        "on",
        "tran",
        "trong",
        "ong",
        "ba",
        "anh",
        "chi",
        "ban",
        "quy",
        "nguoi",
        "dan",
        "cong",
        "dan",
        "chung",
        "toi",
        "co",
        "quan",
        "don",
        "vi",
        "so",
        "phong",
        "ubnd",
        "ve",
        "viec",
        "noi",
        "dung",
        "phan",
        "anh",
        "kien",
        "nghi",
        "ho",
        "so",
        "cua",
        "va",
        "da",
        "se",
        "dang",
        "duoc",
        "cho",
        "voi",
        "la",
        "thi",
        "nay",
        "do",
        "tai",
        "the",
        "nhe",
        "a",
        "vui",
        "long",
        "lai",
        "sau",
        "thong",
        "tin",
        "nhan",
        "we",
        "the",
        "your",
        "our",
        "has",
        "have",
        "been",
        "and",
        "of",
        "to",
        "it",
        "is",
        "will",
        "thank",
        "thanks",
        "you",
        "dear",
    ]
)


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
    minimum_characters: int = MINIMUM_ANSWER_CHARACTERS,
    minimum_words: int = MINIMUM_SUBSTANTIVE_WORDS,
) -> SubstanceVerdict:
    """Judge whether a text answers something, or only acknowledges or postpones."""
    folded = fold_for_search(text)
    letters_and_digits = re.sub(r"[\W_]+", "", folded)
    if len(letters_and_digits) < minimum_characters:
        return SubstanceVerdict(SubstanceProblem.TOO_SHORT)
    remaining = re.sub(r"\b(pa|kn)[\s-]?[2-9a-z]{6}\b", " ", folded)  # the item's own code says nothing
    remaining = re.sub(r"[^\w/]+", " ", remaining)
    for phrase in HOLDING_PHRASES:
        remaining = re.sub(rf"\b{re.escape(phrase)}\b", " ", remaining)
    words = [word for word in remaining.split() if word not in COURTESY_WORDS]
    if len(words) < minimum_words:
        return SubstanceVerdict(SubstanceProblem.ONLY_HOLDING_PHRASE)
    return SubstanceVerdict()
