"""Geometry of the home page's bar chart: one stacked bar per agency, drawn as inline SVG (no script)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.web.figures import RankedAgency

SEGMENTS = ("on_time", "late", "overdue", "not_due")  # the order of DESIGN §14, left to right
COLOURS = {  # each passes 4.5:1 against white text and 3:1 against the white page
    "on_time": "#1b6e3a",
    "late": "#9a4d00",
    "overdue": "#b3261e",
    "not_due": "#4f5b66",
}
WIDTH = 320
BAR_HEIGHT = 16
ROW_HEIGHT = 40
LABEL_GAP = 18


@dataclass(frozen=True)
class Segment:
    """One coloured part of a bar."""

    key: str
    count: int
    x: float
    width: float
    colour: str


@dataclass(frozen=True)
class Bar:
    """One agency's bar with its label position."""

    label: str
    label_y: float
    bar_y: float
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    """The whole chart: its bars and its size."""

    bars: list[Bar]
    width: int
    height: int


def build_chart(rows: list[RankedAgency], names: dict[str, str]) -> Chart:
    """Lay out one stacked bar per agency, scaled to the agency with most items."""
    largest = max((row.figures.received for row in rows), default=0) or 1
    bars: list[Bar] = []
    for index, row in enumerate(rows):
        figures = row.figures
        counts = {
            "on_time": figures.on_time,
            "late": figures.late,
            "overdue": figures.overdue,
            "not_due": figures.not_due,
        }
        x = 0.0
        segments: list[Segment] = []
        for key in SEGMENTS:
            width = WIDTH * counts[key] / largest
            if counts[key]:
                segments.append(Segment(key, counts[key], round(x, 2), round(width, 2), COLOURS[key]))
            x += width
        top = index * ROW_HEIGHT
        bars.append(
            Bar(
                label=names.get(figures.agency_code, figures.agency_code),
                label_y=top + 13,
                bar_y=top + LABEL_GAP,
                total=figures.received,
                segments=segments,
            )
        )
    return Chart(bars=bars, width=WIDTH, height=max(ROW_HEIGHT, len(rows) * ROW_HEIGHT))
