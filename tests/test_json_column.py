"""The JSON column that holds a pydantic model: validated on load, dumped on save, old drafts readable."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.dialects import sqlite

from models.drafts import AttachmentIn, SubmitDraft
from models.json_column import PydanticJSON
from models.kinds import ItemKind, SenderType

DIALECT = sqlite.dialect()


class Purpose(BaseModel):
    item_id: int
    note: str | None = None


def test_a_model_is_stored_as_plain_json_and_comes_back_as_the_model() -> None:
    column = PydanticJSON(Purpose)
    stored = column.process_bind_param(Purpose(item_id=7), DIALECT)
    assert stored == {"item_id": 7, "note": None}
    assert column.process_result_value(stored, DIALECT) == Purpose(item_id=7)


def test_a_plain_dict_is_validated_before_it_is_stored() -> None:
    column = PydanticJSON(Purpose)
    assert column.process_bind_param({"item_id": "8"}, DIALECT) == {"item_id": 8, "note": None}
    with pytest.raises(ValidationError):
        column.process_bind_param({"note": "no id"}, DIALECT)


def test_a_stored_value_that_does_not_fit_is_refused_on_load() -> None:
    with pytest.raises(ValidationError):
        PydanticJSON(Purpose).process_result_value({"item_id": "not a number"}, DIALECT)


def test_a_draft_stored_before_it_was_typed_still_loads() -> None:
    stored = {
        "kind": "petition",
        "sender_type": "business",
        "business_name": "Công ty A",
        "category_code": "dat-dai",
        "locality_code": None,
        "text": "Đường hỏng",
        "attachments": [{"media_type": "photo", "file_id": "F1", "file_size": 10}],
        "editing": True,
    }
    draft = PydanticJSON(SubmitDraft).process_result_value(stored, DIALECT)
    assert draft is not None
    assert draft.kind is ItemKind.PETITION and draft.sender_type is SenderType.BUSINESS
    assert draft.attachments == (AttachmentIn(media_type="photo", file_id="F1", file_size=10),)
    assert draft.editing and draft.description_parts is None


def test_a_draft_change_is_a_new_validated_value() -> None:
    draft = SubmitDraft()
    changed = draft.with_changes(kind="petition", category_page="2")
    assert draft.kind is ItemKind.FEEDBACK  # the stored value is never changed in place
    assert changed.kind is ItemKind.PETITION and changed.category_page == 2
    with pytest.raises(ValidationError):
        draft.with_changes(kind="letter")
