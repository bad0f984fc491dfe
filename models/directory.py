"""The province's directory file: agencies, localities, categories and deadlines, validated on load."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rapidfuzz import fuzz, process, utils

from models.working_time import WorkingCalendar

LOCALITY_ROUTE = "locality"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
Code = Annotated[str, Field(pattern=CODE_PATTERN)]
# A province-level unit is a province (tỉnh) or a centrally governed city (thành phố trực thuộc trung ương).
ProvinceKind = Literal["tỉnh", "thành phố"]
_PROVINCE_KIND_PREFIX = re.compile(r"^\s*(tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)
FUZZY_LOCALITY_CUTOFF = 80  # rapidfuzz WRatio, 0-100: "ninh kieuu" and "phuong ninh kiu" still find Ninh Kiều


class DirectoryError(ValueError):
    """The directory file is unreadable or inconsistent; the message names the offending key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """A leader or officer known by Telegram user id."""

    telegram_user_id: int
    name: str = Field(min_length=1)


class Agency(_Strict):
    """A department, the provincial office, the police or a commune/ward People's Committee."""

    code: Code
    name: str = Field(min_length=2)
    name_en: str | None = None
    chat_id: int | None = None
    leaders: tuple[Person, ...] = ()
    officers: tuple[Person, ...] = ()  # optional roster: when given, only these may act for the agency

    def display_name(self, language: str) -> str:
        """Return the agency's name in the reader's language."""
        return self.name_en if language == "en" and self.name_en else self.name


class Supervisors(_Strict):
    """The provincial office / Department of Home Affairs group that decides disputes."""

    name: str = Field(default="Văn phòng UBND", min_length=2)  # the directory derives it from the province
    name_en: str | None = None
    chat_id: int | None = None
    members: tuple[Person, ...] = ()  # optional roster, as for agencies

    def display_name(self, language: str) -> str:
        """Return the supervisors' name in the reader's language."""
        return self.name_en if language == "en" and self.name_en else self.name


class Locality(_Strict):
    """A commune (xã) or ward (phường) and the agency that handles its matters."""

    code: Code
    name: str = Field(min_length=2)
    kind: Literal["phường", "xã", "đặc khu"] = "xã"
    agency: Code
    aliases: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        """Return the name as people say it, with its kind ("Phường Phan Đình Phùng")."""
        return f"{self.kind.capitalize()} {self.name}"


class Category(_Strict):
    """A subject area and where it routes."""

    code: Code
    name: str = Field(min_length=2)
    name_en: str | None = None
    route: str  # an agency code, or "locality" for the locality's own agency
    answer_days: int | None = Field(default=None, ge=1, le=60)
    is_urgent: bool = False

    def display_name(self, language: str) -> str:
        """Return the category's name in the reader's language."""
        return self.name_en if language == "en" and self.name_en else self.name


class Deadlines(_Strict):
    """Province-wide clock defaults (DESIGN §7), overridable per category."""

    claim_hours: float = Field(default=8, gt=0, le=80)
    transfer_window_days: int = Field(default=2, ge=1, le=5)  # Decree 20/2008 as amended: at most 5
    answer_days: int = Field(default=10, ge=1, le=60)
    urgent_answer_days: int = Field(default=1, ge=1, le=10)
    consultation_days: int = Field(default=5, ge=1, le=30)
    due_soon_hours: float = Field(default=8, gt=0, le=80)
    supervisor_escalation_days: int = Field(default=2, ge=1, le=30)
    auto_close_days: int = Field(default=7, ge=1, le=90)  # calendar days after the answer


class Reports(_Strict):
    """How the periodic reports rank agencies and whom they name as often overdue (DESIGN §14)."""

    report_min_items: int = Field(default=5, ge=1, le=10_000)  # fewer items in the period: not ranked
    often_overdue_periods: int = Field(default=2, ge=1, le=24)  # overdue at the end of this many …
    often_overdue_window: int = Field(default=3, ge=1, le=24)  # … of the last this many months

    @model_validator(mode="after")
    def _periods_fit_the_window(self) -> Reports:
        if self.often_overdue_periods > self.often_overdue_window:
            raise ValueError("often_overdue_periods cannot be more than often_overdue_window")
        return self


class WorkingTime(_Strict):
    """Office hours and the province's own days off and make-up working days."""

    periods: tuple[str, ...] = ("07:30-11:30", "13:00-17:00")
    extra_days_off: tuple[date, ...] = ()
    makeup_working_days: tuple[date, ...] = ()

    @field_validator("periods")
    @classmethod
    def _periods_are_ordered(cls, periods: tuple[str, ...]) -> tuple[str, ...]:
        previous_end: time | None = None
        for period in periods:
            start, end = _parse_period(period)
            if start >= end or (previous_end is not None and start < previous_end):
                raise ValueError(f"period {period!r} must be HH:MM-HH:MM, ordered, not overlapping")
            previous_end = end
        if not periods:
            raise ValueError("at least one working period is needed")
        return periods

    @model_validator(mode="after")
    def _days_off_are_not_working_days(self) -> WorkingTime:
        both = sorted(set(self.extra_days_off) & set(self.makeup_working_days))
        if both:
            days = ", ".join(day.isoformat() for day in both)
            raise ValueError(f"{days} cannot be both in extra_days_off and in makeup_working_days")
        return self

    def parsed_periods(self) -> tuple[tuple[time, time], ...]:
        """Return the periods as time pairs."""
        return tuple(_parse_period(period) for period in self.periods)


class Province(_Strict):
    """Which province (or centrally governed city) this directory describes."""

    code: Code
    name: str = Field(min_length=2)
    kind: ProvinceKind = "tỉnh"  # derived from the name when not written ("Thành phố Cần Thơ" → thành phố)
    name_en: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"

    @model_validator(mode="before")
    @classmethod
    def _kind_from_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data and isinstance(data.get("name"), str):
            prefix = _PROVINCE_KIND_PREFIX.match(data["name"])
            is_city = prefix is not None and prefix.group(1).lower() != "tỉnh"
            return {**data, "kind": "thành phố" if is_city else "tỉnh"}
        return data

    @property
    def short_name(self) -> str:
        """Return the name without its kind ("Cần Thơ")."""
        return _PROVINCE_KIND_PREFIX.sub("", self.name, count=1).strip() or self.name

    @property
    def full_name(self) -> str:
        """Return the name as written inside a sentence ("thành phố Cần Thơ", "tỉnh Thái Nguyên")."""
        return f"{self.kind} {self.short_name}"

    def display_name(self, language: str) -> str:
        """Return the name in the reader's language, as written inside a sentence."""
        if language != "en":
            return self.full_name
        if self.name_en:
            return self.name_en
        return f"{self.short_name} {'City' if self.kind == 'thành phố' else 'Province'}"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (use e.g. Asia/Ho_Chi_Minh)") from error
        return value


class Directory(_Strict):
    """The whole directory file."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    province: Province
    is_sample: bool = False
    triage_agency: Code
    supervisors: Supervisors = Supervisors()
    working_time: WorkingTime = WorkingTime()
    deadlines: Deadlines = Deadlines()
    reports: Reports = Reports()
    agencies: tuple[Agency, ...] = Field(min_length=1)
    localities: tuple[Locality, ...] = ()
    categories: tuple[Category, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _supervisors_named_after_the_province(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        supervisors = data.get("supervisors") or {}
        if not isinstance(supervisors, dict) or supervisors.get("name"):
            return data
        try:
            province = Province.model_validate(data.get("province"))
        except ValidationError:
            return data  # the province's own errors are reported by the field validation
        return {**data, "supervisors": {**supervisors, "name": f"Văn phòng UBND {province.full_name}"}}

    @model_validator(mode="after")
    def _references_resolve(self) -> Directory:
        agency_codes = _unique_codes("agencies", [agency.code for agency in self.agencies])
        _unique_codes("localities", [locality.code for locality in self.localities])
        _unique_codes("categories", [category.code for category in self.categories])
        if LOCALITY_ROUTE in agency_codes:
            raise ValueError(
                f"agencies: {LOCALITY_ROUTE!r} is reserved for routes and cannot be an agency code"
            )
        if self.triage_agency not in agency_codes:
            raise ValueError(f"triage_agency: unknown agency code {self.triage_agency!r}")
        for index, locality in enumerate(self.localities):
            if locality.agency not in agency_codes:
                raise ValueError(
                    f"localities[{index}] ({locality.code}).agency: unknown agency code {locality.agency!r}"
                )
        for index, category in enumerate(self.categories):
            if category.route != LOCALITY_ROUTE and category.route not in agency_codes:
                raise ValueError(
                    f"categories[{index}] ({category.code}).route: unknown agency code {category.route!r}"
                    f" (use an agency code or {LOCALITY_ROUTE!r})"
                )
        chat_owners: dict[int, str] = {}
        if self.supervisors.chat_id is not None:
            chat_owners[self.supervisors.chat_id] = "supervisors"
        for index, agency in enumerate(self.agencies):
            if agency.chat_id is None:
                continue
            if agency.chat_id in chat_owners:
                raise ValueError(
                    f"agencies[{index}] ({agency.code}).chat_id: {agency.chat_id} is already used by "
                    f"{chat_owners[agency.chat_id]}"
                )
            chat_owners[agency.chat_id] = agency.code
        return self

    @cached_property
    def agencies_by_code(self) -> dict[str, Agency]:
        """Index agencies by code."""
        return {agency.code: agency for agency in self.agencies}

    @cached_property
    def localities_by_code(self) -> dict[str, Locality]:
        """Index localities by code."""
        return {locality.code: locality for locality in self.localities}

    @cached_property
    def categories_by_code(self) -> dict[str, Category]:
        """Index categories by code."""
        return {category.code: category for category in self.categories}

    def agency(self, code: str) -> Agency:
        """Return an agency by code, or raise KeyError."""
        return self.agencies_by_code[code]

    def calendar(self) -> WorkingCalendar:
        """Build the working-time calendar the province's deadlines are counted in."""
        return WorkingCalendar(
            timezone=ZoneInfo(self.province.timezone),
            periods=self.working_time.parsed_periods(),
            extra_days_off=frozenset(self.working_time.extra_days_off),
            makeup_working_days=frozenset(self.working_time.makeup_working_days),
        )

    def answer_days_for(self, category: Category | None) -> int:
        """Return the answer time in working days for a category."""
        if category is None:
            return self.deadlines.answer_days
        if category.answer_days is not None:
            return category.answer_days
        return self.deadlines.urgent_answer_days if category.is_urgent else self.deadlines.answer_days

    def find_localities(self, query: str, *, limit: int = 8) -> list[Locality]:
        """Match localities by name, ignoring case, diacritics and a leading phường/xã."""
        folded = fold_for_search(query)
        without_kind = re.sub(r"^(phuong|xa|p|x|dac khu)[ .]+", "", folded).strip()
        queries = {candidate for candidate in (folded, without_kind) if candidate}
        if not queries:
            return []
        exact: list[Locality] = []
        prefix: list[Locality] = []
        partial: list[Locality] = []
        for locality in self.localities:
            names = [fold_for_search(name) for name in (locality.name, locality.full_name, *locality.aliases)]
            if any(wanted == name for wanted in queries for name in names):
                exact.append(locality)
            elif any(name.startswith(wanted) for wanted in queries for name in names):
                prefix.append(locality)
            elif any(wanted in name for wanted in queries for name in names):
                partial.append(locality)
        return (exact + prefix + partial)[:limit]

    def suggest_localities(self, query: str, *, limit: int = 5) -> list[Locality]:
        """Rank localities whose names look like a mistyped query, best first (for "did you mean")."""
        folded = fold_for_search(query)
        without_kind = re.sub(r"^(phuong|xa|p|x|dac khu)[ .]+", "", folded).strip()
        if len(without_kind) < 3:
            return []
        choices: list[str] = []
        owners: list[Locality] = []
        for locality in self.localities:
            for name in (locality.name, *locality.aliases):
                choices.append(fold_for_search(name))
                owners.append(locality)
        ranked = process.extract(
            without_kind,
            choices,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=FUZZY_LOCALITY_CUTOFF,
            limit=None,
        )
        suggestions: list[Locality] = []
        for _choice, _score, index in ranked:
            if owners[index] not in suggestions:
                suggestions.append(owners[index])
        return suggestions[:limit]

    def example_locality_query(self) -> str | None:
        """Return how a citizen might type a real locality of this province ("ninh kieu"), if any."""
        return fold_for_search(self.localities[0].name) if self.localities else None

    @cached_property
    def proper_names(self) -> tuple[str, ...]:
        """Return the names of the province, its supervisors, agencies and localities, longest first."""
        names: set[str] = {
            self.province.name,
            self.province.full_name,
            self.province.short_name,
            self.supervisors.name,
        }
        province_suffix = re.compile(
            rf"\s+(?:{re.escape(self.province.full_name)}|{re.escape(self.province.name)})$", re.IGNORECASE
        )
        for agency in self.agencies:
            names.update(
                (agency.name, province_suffix.sub("", agency.name))
            )  # "Sở Xây dựng [thành phố Cần Thơ]"
        for locality in self.localities:
            names.update((locality.name, locality.full_name, *locality.aliases))
        return tuple(sorted((name for name in names if name.strip()), key=len, reverse=True))


def fold_for_search(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics (đ → d) so "Phan Dinh Phung" finds "Phan Đình Phùng"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return re.sub(r"\s+", " ", stripped).strip().lower()


def load_directory(path: Path | str) -> Directory:
    """Read and validate a directory file, raising DirectoryError that names the offending key."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DirectoryError(f"{path}: file not found") from error
    except yaml.YAMLError as error:
        raise DirectoryError(f"{path}: not valid YAML: {error}") from error
    return parse_directory(raw, source=str(path))


def parse_directory(raw: Any, *, source: str = "directory") -> Directory:
    """Validate an already-parsed directory mapping."""
    if not isinstance(raw, dict):
        raise DirectoryError(f"{source}: the top level must be a mapping (province:, agencies:, …)")
    try:
        return Directory.model_validate(raw)
    except ValidationError as error:
        raise DirectoryError(f"{source}: " + _describe_validation_error(error, raw)) from error


def _describe_validation_error(error: ValidationError, raw: dict[str, Any]) -> str:
    lines = []
    for problem in error.errors():
        location = _readable_location(problem["loc"], raw)
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{location}: {message}" if location else message)
    return "; ".join(lines)


def _readable_location(location: tuple[int | str, ...], raw: Any) -> str:
    parts: list[str] = []
    node = raw
    for key in location:
        if isinstance(key, int):
            code = node[key].get("code") if isinstance(node, list) and isinstance(node[key], dict) else None
            parts[-1] = f"{parts[-1]}[{key}]" + (f" ({code})" if code else "") if parts else f"[{key}]"
        else:
            parts.append(str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts)


def _unique_codes(section: str, codes: list[str]) -> set[str]:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{section}: code {code!r} appears twice")
        seen.add(code)
    return seen


def _parse_period(period: str) -> tuple[time, time]:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", period)
    if not match:
        raise ValueError(f"period {period!r} must look like 07:30-11:30")
    start_hour, start_minute, end_hour, end_minute = (int(group) for group in match.groups())
    try:
        return time(start_hour, start_minute), time(end_hour, end_minute)
    except ValueError as error:
        raise ValueError(f"period {period!r}: {error}") from error
