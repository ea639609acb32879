"""The province dashboard's charts, drawn on the server as SVG with matplotlib.

The same data gives the same bytes (a constant hash salt, no date in the metadata), and text
stays text (``svg.fonttype: none``), in a Chinese font where one is installed (Debian's
fonts-wqy-microhei). Without it, text is still emitted as text for the browser to draw, so
layout warnings about glyphs the fallback font lacks are silenced here.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC")
INK, MUTED, BRAND, OK, WARN = "#1d2733", "#5b6775", "#0b5394", "#1e7b34", "#9a6700"


def _installed(family: str) -> bool:
    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True


STYLE: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "sichuan-coop-registry",
    "font.family": [f for f in CJK_FONTS if _installed(f)] + ["DejaVu Sans"],
    "font.size": 10,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def _drawn(draw: object) -> bytes:
    with matplotlib.rc_context(STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", message="findfont")
        figure = draw()  # type: ignore[operator]
        return _svg(figure)


@dataclass(frozen=True)
class Progress:
    """One indicator: how far it has come from its 2020 baseline toward its 2025 target."""

    name: str
    value: Decimal | None
    baseline: Decimal
    target: Decimal

    @property
    def share_of_target(self) -> float:
        if self.value is None or not self.target:
            return 0.0
        return float(self.value / self.target * 100)

    @property
    def baseline_share(self) -> float:
        return float(self.baseline / self.target * 100) if self.target else 0.0


def indicator_progress(items: Sequence[Progress], title: str, target_label: str) -> bytes:
    """Each indicator as a percentage of its 2025 target, with its 2020 baseline marked."""

    def draw() -> Figure:
        figure = Figure(figsize=(7.2, 0.45 * len(items) + 1.2))
        axes = figure.add_subplot()
        rows = list(range(len(items)))[::-1]
        shares = [min(item.share_of_target, 130.0) for item in items]
        colours = [OK if item.share_of_target >= 100 else BRAND for item in items]
        axes.barh(rows, shares, color=colours, height=0.55)
        axes.scatter(
            [item.baseline_share for item in items], rows, marker="|", s=220, color=WARN, zorder=3
        )
        axes.axvline(100, color=INK, linewidth=1, linestyle="--")
        axes.text(100, len(items) - 0.4, f" {target_label}", color=INK, va="bottom")
        axes.set_yticks(rows, [item.name for item in items])
        axes.set_xlim(0, 130)
        axes.set_xlabel("%")
        for row, share, item in zip(rows, shares, items, strict=True):
            if item.value is not None:
                axes.text(share + 1, row, f"{item.share_of_target:.0f}%", va="center", color=INK)
        axes.set_title(title, loc="left", color=INK)
        return figure

    return _drawn(draw)


def prefecture_bars(
    names: Sequence[str], totals: Sequence[int], highlighted: Sequence[int], title: str,
    total_label: str, highlight_label: str,
) -> bytes:  # fmt: skip
    """Schools per prefecture, with the technician colleges among them."""

    def draw() -> Figure:
        figure = Figure(figsize=(7.2, 3.4))
        axes = figure.add_subplot()
        positions = list(range(len(names)))
        axes.bar(positions, totals, color="#bcd3ea", label=total_label)
        axes.bar(positions, highlighted, color=BRAND, label=highlight_label)
        axes.set_xticks(positions, names, rotation=60, ha="right")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(frameon=False, loc="upper right")
        axes.set_title(title, loc="left", color=INK)
        return figure

    return _drawn(draw)


def _years(day: date) -> float:
    """A day as a fractional year, for a time axis labelled by year."""
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def groups_toward_target(
    formed_on: Sequence[date], until: date, baseline: int, target: int | None, title: str,
    target_label: str,
) -> bytes:  # fmt: skip
    """Groups formed over time (a step each charter) against the plan's 2025 target (none
    for a prefecture: the target is the province's)."""

    def draw() -> Figure:
        figure = Figure(figsize=(7.2, 3.0))
        axes = figure.add_subplot()
        start = date(min([2019, *(d.year for d in formed_on)]), 1, 1)
        days = [_years(d) for d in (start, *sorted(formed_on), until)]
        counts = [0, *range(1, len(formed_on) + 1), len(formed_on)]
        axes.step(days, counts, where="post", color=BRAND, linewidth=2)
        if target is not None:
            axes.axhline(target, color=INK, linestyle="--", linewidth=1)
            axes.text(days[0], target + 0.2, target_label, color=INK)
        axes.scatter([_years(date(2020, 12, 31))], [baseline], color=WARN, zorder=3)
        axes.set_xticks(range(start.year, until.year + 2))
        axes.set_ylim(0, max(target or 0, baseline, len(formed_on)) + 2)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_title(title, loc="left", color=INK)
        return figure

    return _drawn(draw)


def counts_against_2020(
    names: Sequence[str], in_2020: Sequence[int], now: Sequence[int], title: str,
    baseline_label: str, now_label: str,
) -> bytes:  # fmt: skip
    """A prefecture's counts (schools, technician colleges, groups) in 2020 and in the year
    chosen: the plan sets its targets for the province, so a prefecture is read against its
    own past rather than as a share of a province target."""

    def draw() -> Figure:
        figure = Figure(figsize=(7.2, 0.6 * len(names) + 1.2))
        axes = figure.add_subplot()
        rows = list(range(len(names)))[::-1]
        axes.barh(
            [r + 0.2 for r in rows], in_2020, height=0.4, color="#bcd3ea", label=baseline_label
        )
        axes.barh([r - 0.2 for r in rows], now, height=0.4, color=BRAND, label=now_label)
        for row, count in zip(rows, now, strict=True):
            axes.text(count, row - 0.2, f" {count}", va="center", color=INK)
        axes.set_yticks(rows, list(names))
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max([*in_2020, *now, 1]) + 1)
        axes.legend(frameon=False, loc="lower right")
        axes.set_title(title, loc="left", color=INK)
        return figure

    return _drawn(draw)
