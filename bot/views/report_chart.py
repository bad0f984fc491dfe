"""Draw a report (models.statistics.Report) as a chart: per-agency bars and the weekly on-time rate.

PNG for Telegram, SVG for the public web page. matplotlib is imported when a chart is drawn, not at
start-up (it takes about a second to import).
"""

from __future__ import annotations

import io
import threading
from typing import Any

from bot.texts import text
from bot.views.render import agency_name
from bot.views.reports import format_number, format_rate, period_title, scope_name
from models.directory import Directory
from models.report_figures import DeadlineCounts, Report

PNG_CONTENT_TYPE = "image/png"


CHART_LOCK = threading.Lock()  # the report files and the public site draw charts in worker threads


STATUS_COLOURS = {  # đúng hạn, trễ hạn, quá hạn, chưa đến hạn: readable for colour-blind readers too
    "on_time": "#2e7d32",
    "late": "#f9a825",
    "overdue": "#c62828",
    "not_yet_due": "#90a4ae",
}


def render_chart(report: Report, directory: Directory, language: str, image_format: str = "png") -> bytes:
    """Draw the per-agency stacked bars (by on-time rate) and the weekly on-time rate, for a phone screen.

    `image_format` "png" for Telegram, "svg" for the public web page (text drawn as paths, no date).
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    agencies = sorted(
        (f for f in report.agencies if f.received),
        key=lambda f: (f.counts.on_time_rate or 0.0, -f.counts.overdue),
    )  # barh draws bottom-up: the best agency ends on top
    bar_rows = max(len(agencies), 1)
    bars_height = 1.6 + 0.55 * bar_rows
    weeks_height = 4.2
    # DejaVu Sans ships with matplotlib itself and has every Vietnamese glyph: nothing to install.
    style: Any = {"font.family": "DejaVu Sans", "font.size": 13, "axes.titlesize": 15, "svg.hashsalt": "pakn"}
    # rc_context changes matplotlib's process-wide settings: one chart at a time, whichever thread draws it
    with CHART_LOCK, rc_context(style):
        figure = Figure(figsize=(9, bars_height + weeks_height), dpi=120, layout="constrained")
        FigureCanvasAgg(figure)
        bars, weeks = figure.subplots(2, 1, height_ratios=[bars_height, weeks_height])
        title = period_title(report.period, language)
        bars.set_title(text(language, "report.chart_agencies", period=title), loc="left")
        if agencies:
            names = [_short(agency_name(directory, f.agency_code, language)) for f in agencies]
            left = [0] * len(agencies)
            for key in ("on_time", "late", "overdue", "not_yet_due"):
                values = [getattr(f.counts, key) for f in agencies]
                bars.barh(
                    names,
                    values,
                    left=left,
                    color=STATUS_COLOURS[key],
                    label=text(language, f"report.col.{key}"),
                )
                left = [a + b for a, b in zip(left, values, strict=True)]
            for position, figures in enumerate(agencies):
                bars.annotate(
                    format_rate(figures.counts.on_time_rate, language),
                    (left[position], position),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=12,
                )
            bars.set_xlim(0, max(left) * 1.18 + 1)
            bars.legend(loc="lower right", fontsize=11, ncols=2)
        else:
            bars.text(0.5, 0.5, text(language, "report.chart_no_data"), ha="center", transform=bars.transAxes)
            bars.set_yticks([])
        bars.set_xlabel(text(language, "report.chart_items_axis"))
        bars.grid(axis="x", alpha=0.3)

        weeks.set_title(
            text(language, "report.chart_weeks", scope=_short(scope_name(report, directory, language), 40)),
            loc="left",
        )
        labels = [f"{week.week.first_day:%d/%m}" for week in report.weeks]
        rates = [_rate_percent(week.counts) for week in report.weeks]
        positions = list(range(len(labels)))
        weeks.plot(positions, [rate if rate is not None else float("nan") for rate in rates], marker="o")
        for position, rate in zip(positions, rates, strict=True):
            if rate is not None:
                weeks.annotate(
                    format_number(rate, language, 0) + "%",
                    (position, rate),
                    xytext=(0, 8),
                    textcoords="offset points",
                    ha="center",
                )
        weeks.set_xticks(positions, labels)
        weeks.set_ylim(0, 110)
        weeks.set_ylabel(text(language, "report.chart_rate_axis"))
        weeks.grid(alpha=0.3)
        buffer = io.BytesIO()
        metadata = {"Software": None} if image_format == "png" else {"Date": None, "Creator": None}
        figure.savefig(buffer, format=image_format, metadata=metadata)
    return buffer.getvalue()


def _rate_percent(counts: DeadlineCounts) -> float | None:
    rate = counts.on_time_rate
    return None if rate is None else 100 * rate


def _short(name: str, limit: int = 32) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
