"""The median and 90th percentile of the answer time, in SQL on both databases.

PostgreSQL has `percentile_cont` and GROUPING SETS: one query gives the officers, the agencies and the
whole scope. SQLite has neither: each group's values are numbered, and only the (at most four) rows
the two percentiles interpolate between are read, one query per level. Both interpolate linearly,
so the two databases give the same figures (`tests/test_report_statistics.py`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    cast,
    func,
    or_,
    text,
    tuple_,
)
from sqlalchemy import select as core_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from models.db import dialect_name
from models.report_figures import WorkingTimeFigures
from models.tables import Item

TimeKey = tuple[str | None, int | None]  # (None, None): the scope; (agency, None): an agency; else an officer


async def working_time_percentiles(
    session: AsyncSession, *, filters: list[ColumnElement[bool]]
) -> dict[TimeKey, WorkingTimeFigures]:
    """Return the median and 90th percentile of the answer time of the filtered items, at three levels."""
    value = col(Item.answer_working_seconds)
    agency, officer = col(Item.agency_code), col(Item.claimed_by_telegram_user_id)
    filters = [*filters, value.is_not(None)]
    found: dict[TimeKey, WorkingTimeFigures] = {}
    if dialect_name(session) == "postgresql":
        # One pass: GROUPING SETS gives the officers, the agencies and the whole scope together.
        statement: Any = (  # Core rows are tuples (SQLModel's exec is typed for tables)
            core_select(
                agency,
                officer,
                func.grouping(agency, officer),
                func.percentile_cont(0.5).within_group(value),
                func.percentile_cont(0.9).within_group(value),
            )
            .where(*filters)
            .group_by(func.grouping_sets(tuple_(agency, officer), tuple_(agency), text("()")))
        )
        for code, telegram_user_id, level, median, p90 in (await session.exec(statement)).all():
            if median is None or (level == 0 and telegram_user_id is None):
                continue  # no answered item; or answered items nobody claims any more (reopened)
            key: TimeKey = (
                (None, None) if level == 3 else (code, None) if level == 1 else (code, int(telegram_user_id))
            )
            found[key] = WorkingTimeFigures(float(median), float(p90))
        return found
    # SQLite has no percentile function: number the values in each group and keep only the (at most
    # four) rows the two percentiles interpolate between; one query per level.
    for group_columns in ([agency, officer], [agency], []):
        level_filters = [*filters, officer.is_not(None)] if len(group_columns) == 2 else filters
        for group, figures in (
            await _sqlite_percentiles(session, group_columns, level_filters, value)
        ).items():
            padded = (*group, None, None)[:2]
            found[(padded[0], None if padded[1] is None else int(padded[1]))] = figures
    return found


async def _sqlite_percentiles(
    session: AsyncSession, group_columns: list[Any], filters: list[ColumnElement[bool]], value: Any
) -> dict[tuple[Any, ...], WorkingTimeFigures]:
    partition = group_columns or None
    ranked = (
        core_select(
            *group_columns,
            value.label("value"),
            (func.row_number().over(partition_by=partition, order_by=value) - 1).label("position"),
            func.count().over(partition_by=partition).label("size"),
        )
        .where(*filters)
        .subquery()
    )
    grouped = [ranked.c[column.key] for column in group_columns]
    wanted = []
    for share in (0.5, 0.9):
        exact = (ranked.c.size - 1) * share
        lower = cast(exact, Integer)  # SQLite truncates: the floor of a non-negative number
        wanted += [ranked.c.position == lower, and_(ranked.c.position == lower + 1, exact > lower)]
    statement: Any = core_select(*grouped, ranked.c.position, ranked.c.size, ranked.c.value).where(
        or_(*wanted)
    )
    by_group: dict[tuple[Any, ...], dict[int, float]] = defaultdict(dict)
    sizes: dict[tuple[Any, ...], int] = {}
    for row in (await session.exec(statement)).all():
        key = tuple(row[: len(group_columns)])
        by_group[key][int(row[-3])] = float(row[-1])
        sizes[key] = int(row[-2])
    return {
        key: WorkingTimeFigures(_interpolate(values, sizes[key], 0.5), _interpolate(values, sizes[key], 0.9))
        for key, values in by_group.items()
    }


def _interpolate(values: dict[int, float], size: int, share: float) -> float:
    exact = (size - 1) * share
    lower = int(exact)
    low = values[lower]
    if lower + 1 >= size or exact == lower:
        return low
    return low + (exact - lower) * (values[lower + 1] - low)


def percentile(sorted_values: list[float], share: float) -> float | None:
    """Return a percentile by linear interpolation, as PostgreSQL's percentile_cont does."""
    if not sorted_values:
        return None
    return _interpolate(dict(enumerate(sorted_values)), len(sorted_values), share)
