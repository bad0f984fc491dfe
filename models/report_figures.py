"""What a report shows: the figures per agency, officer and week, and the overdue list.

`models/statistics.py` fills them from SQL; `bot/views/report*.py` and the public site render them
without asking the database anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models.report_periods import ReportPeriod


@dataclass
class DeadlineCounts:
    """The four-way classification Vietnamese offices use."""

    on_time: int = 0  # đúng hạn
    late: int = 0  # trễ hạn
    not_yet_due: int = 0  # chưa đến hạn
    overdue: int = 0  # quá hạn

    @property
    def answered(self) -> int:
        """Return the items answered (on time or late)."""
        return self.on_time + self.late

    @property
    def rated_base(self) -> int:
        """Return the items the on-time rate is taken over: answered or past their deadline."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """Return the share answered on time among those answered or overdue (None without any)."""
        return self.on_time / self.rated_base if self.rated_base else None

    def add(self, other: DeadlineCounts) -> None:
        """Add another set of counts to this one."""
        self.on_time += other.on_time
        self.late += other.late
        self.not_yet_due += other.not_yet_due
        self.overdue += other.overdue


@dataclass
class WorkingTimeFigures:
    """Working time from receipt to answer, in seconds, over the items answered."""

    median_seconds: float | None = None
    p90_seconds: float | None = None


@dataclass
class AgencyFigures:
    """One agency's row in the report."""

    agency_code: str
    received: int = 0
    counts: DeadlineCounts = field(default_factory=DeadlineCounts)
    working_time: WorkingTimeFigures = field(default_factory=WorkingTimeFigures)
    transferred_out: int = 0
    disputes_raised: int = 0
    disputes_lost: int = 0
    rejections: int = 0
    rejections_reversed: int = 0
    consultations_asked: int = 0
    consultations_on_time: int = 0
    consultations_late: int = 0
    consultations_open: int = 0
    extensions: int = 0
    reopened: int = 0
    rated: int = 0
    satisfied: int = 0
    unreachable: int = 0
    rank: int | None = None  # None: too few items to be ranked fairly

    @property
    def handled(self) -> int:
        """Return the items the agency held in the period: those it holds plus those it passed on."""
        return self.received + self.transferred_out

    @property
    def transferred_share(self) -> float | None:
        """Return the share of the items it held that it transferred out."""
        return self.transferred_out / self.handled if self.handled else None

    @property
    def satisfaction_rate(self) -> float | None:
        """Return the share of rated answers the citizen was satisfied with."""
        return self.satisfied / self.rated if self.rated else None


@dataclass
class OfficerFigures:
    """One officer's row: the items they claimed (and so answered) in the period."""

    agency_code: str
    telegram_user_id: int
    name: str
    received: int = 0
    counts: DeadlineCounts = field(default_factory=DeadlineCounts)
    working_time: WorkingTimeFigures = field(default_factory=WorkingTimeFigures)


@dataclass(frozen=True)
class OverdueItem:
    """A line of the overdue list."""

    code: str
    agency_code: str
    category_code: str
    locality_code: str | None
    received_at: datetime
    answer_due_at: datetime
    working_days_overdue: int
    officer_name: str | None


@dataclass(frozen=True)
class OftenOverdueAgency:
    """An agency with overdue items at the end of enough recent months, named with its heads."""

    agency_code: str
    overdue_at_month_ends: tuple[int, ...]  # oldest month first
    leader_names: tuple[str, ...]


@dataclass(frozen=True)
class WeekFigures:
    """The province's (or scope's) figures for the items received in one week."""

    week: ReportPeriod
    counts: DeadlineCounts


@dataclass
class Report:
    """Everything a report shows; the views render it without asking the database anything."""

    period: ReportPeriod
    as_of: datetime
    generated_at: datetime
    agency_codes: tuple[str, ...]  # the scope
    is_whole_province: bool
    province: AgencyFigures
    agencies: list[AgencyFigures]  # ranked ones first, in rank order
    officers: list[OfficerFigures]
    overdue_items: list[OverdueItem]
    overdue_total: int
    weeks: list[WeekFigures]
    often_overdue: list[OftenOverdueAgency]
    min_items: int
    often_overdue_periods: int
    often_overdue_window: int
    working_day_seconds: float

    @property
    def is_overdue_list_cut(self) -> bool:
        """Tell whether the overdue list holds fewer rows than there are overdue items."""
        return len(self.overdue_items) < self.overdue_total
