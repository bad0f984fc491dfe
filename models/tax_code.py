"""A business's tax code (mã số thuế, MST): validated with its check digit and written the usual way."""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.vn import mst


def normalise_tax_code(typed: str) -> str | None:
    """Return the tax code as written on documents ("4600123459" or "4600123459-001"), or None if invalid.

    Ten digits, or thirteen for a branch, with or without the hyphen, spaces or dots; the tenth digit
    must be the check digit of the first nine.
    """
    try:
        return str(mst.format(mst.validate(typed)))
    except ValidationError:
        return None
