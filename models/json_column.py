"""A JSON column that holds one pydantic model: validated when loaded, dumped as JSON when saved.

Use it for state that lives in one row as a document (a citizen's draft, what a posted message is for):

    class Draft(BaseModel, frozen=True):
        step: str = "kind"

    data: Draft = Field(default_factory=Draft, sa_column=Column(PydanticJSON(Draft), nullable=False))

Loading a row whose stored JSON does not fit the model raises (a broken row is not silently read as
something else). Saving accepts the model or a plain dict, which is validated first.

Changes inside a model are not seen by SQLAlchemy: make the model frozen and assign a new value
(`row.data = row.data.model_copy(update={...})`), which is tracked like any attribute, instead of
marking the column modified by hand.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import JSON
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

Model = TypeVar("Model", bound=BaseModel)


class PydanticJSON(TypeDecorator[Model], Generic[Model]):
    """Store a pydantic model of one class in a JSON column."""

    impl = JSON
    cache_ok = True

    def __init__(self, model: type[Model]) -> None:
        super().__init__()
        self.model = model

    def process_bind_param(self, value: Model | dict[str, Any] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, self.model):
            value = self.model.model_validate(value)
        return value.model_dump(mode="json")

    def process_result_value(self, value: Any, dialect: Dialect) -> Model | None:
        if value is None:
            return None
        return self.model.model_validate(value)

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return JSON()  # compare with plain JSON values, as the column's implementation does
