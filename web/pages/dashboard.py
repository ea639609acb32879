"""The province dashboard (专栏1): the eight indicators against their 2025 targets, per
prefecture, and the training groups toward ten with their formation dates, with charts
drawn on the server. A prefecture officer sees the dashboard of their prefecture.

What a dashboard shows changes only when the log does, so its figures and charts are
remembered per log position (``web.reads.remembered``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from sqlite_utils import Database

from domain.actors import Role
from domain.prefectures import PREFECTURES
from projections import accounts, indicators, returns
from registry.clock import today
from web import charts, figures, labels
from web.access import READERS
from web.auth import requires, user
from web.reads import read, remembered

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

FIRST_YEAR = 2020


def last_full_year() -> int:
    """The latest year that has ended: the current one is still being recorded."""
    return today().year - 1


def chosen_year() -> int:
    latest = last_full_year()
    try:
        year = int(request.args.get("year") or latest)
    except ValueError:
        year = latest
    return max(FIRST_YEAR, min(year, latest))


def prefecture_in_view() -> str | None:
    """An officer's own prefecture; anyone else may pick one (or none: the province)."""
    if user().role is Role.PREFECTURE_OFFICER:
        return user().prefecture
    asked = request.args.get("prefecture")
    return asked if asked in PREFECTURES else None


def year_end(year: int) -> date:
    return min(date(year, 12, 31), today())


def _data(db: Database, year: int, prefecture: str | None) -> dict[str, Any]:
    headline = indicators.indicators(db, year, prefecture=prefecture)
    table = indicators.indicator_table(db, year)["prefectures"]
    groups = indicators.group_formation(db, year_end(year), prefecture=prefecture)
    rows = {code: table[code] for code in PREFECTURES if code in table}
    if prefecture is not None:
        rows = {prefecture: rows[prefecture]} if prefecture in rows else {}
    deadline = returns.deadline_of(db, year)
    return {
        "headline": headline,
        "prefectures": rows,
        "groups": groups,
        "deadline": deadline.isoformat() if deadline else None,
    }


def page_data(db: Database, year: int, prefecture: str | None) -> dict[str, Any]:
    """The dashboard's figures, remembered for this snapshot (``web.reads.remembered``)."""
    return remembered(("dashboard", year, prefecture), lambda: _data(db, year, prefecture))


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    year, prefecture = chosen_year(), prefecture_in_view()
    with read() as db:
        data = page_data(db, year, prefecture)
        requested = 0
        if user().role is Role.PROVINCE_ADMIN:
            requested = accounts.list_accounts(db, status="requested", limit=1).total
    return render_template(
        "dashboard/index.html",
        year=year,
        years=list(range(last_full_year(), FIRST_YEAR - 1, -1)),
        prefecture=prefecture,
        officer=user().role is Role.PREFECTURE_OFFICER,
        requested=requested,
        columns=[item["key"] for item in data["headline"]["items"]],
        figure=figures.figure,
        planned=figures.planned,
        as_filed_note=figures.as_filed_note,
        **data,
    )


def indicator_name(item: dict[str, Any]) -> str:
    return f"{item['number']} {labels.label(labels.INDICATORS, item['key'])}"


def chart(key: tuple[Any, ...], draw: Callable[[Database], bytes]) -> Response:
    """A chart in the page's language, drawn once per snapshot in this process."""
    with read() as db:
        body = remembered((*key, str(get_locale())), lambda: draw(db))
    response = Response(body, mimetype="image/svg+xml")
    # the image's own styles are inline; nothing in it runs or loads anything
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.get("/charts/indicators.svg")
@requires(*READERS[bp.name])
def indicators_chart() -> ResponseReturnValue:
    year, prefecture = chosen_year(), prefecture_in_view()

    def draw(db: Database) -> bytes:
        items = page_data(db, year, prefecture)["headline"]["items"]
        if prefecture is not None:
            return prefecture_counts(items)
        progress = [
            charts.Progress(
                indicator_name(item),
                Decimal(item["value"]) if item["value"] is not None else None,
                Decimal(item["baseline_2020"] or 0),
                Decimal(item["target_2025"]),
            )
            for item in items
            if item["target_2025"] is not None
        ]
        return charts.indicator_progress(
            progress,
            gettext("%(year)s against the 2025 targets", year=year),
            gettext("2025 target"),
        )

    def prefecture_counts(items: list[dict[str, Any]]) -> bytes:
        counted = [item for item in items if item["unit"] in figures.COUNTS]
        return charts.counts_against_2020(
            [indicator_name(item) for item in counted],
            [int(item["baseline_2020"] or 0) for item in counted],
            [int(item["value"] or 0) for item in counted],
            gettext(
                "%(prefecture)s in %(year)s and in 2020",
                prefecture=labels.prefecture_name(prefecture or ""),
                year=year,
            ),
            "2020",
            str(year),
        )

    return chart(("indicators.svg", year, prefecture), draw)


@bp.get("/charts/prefectures.svg")
@requires(*READERS[bp.name])
def prefectures_chart() -> ResponseReturnValue:
    year = chosen_year()

    def draw(db: Database) -> bytes:
        rows = page_data(db, year, None)["prefectures"]
        values = {
            code: {item["key"]: item["value"] for item in row["items"]}
            for code, row in rows.items()
        }
        return charts.prefecture_bars(
            [PREFECTURES[code] for code in values],
            [int(Decimal(v["schools"] or 0)) for v in values.values()],
            [int(Decimal(v["technician_colleges"] or 0)) for v in values.values()],
            gettext("Schools by prefecture, %(year)s", year=year),
            gettext("Technical schools"),
            gettext("of which technician colleges"),
        )

    return chart(("prefectures.svg", year), draw)


@bp.get("/charts/groups.svg")
@requires(*READERS[bp.name])
def groups_chart() -> ResponseReturnValue:
    year, prefecture = chosen_year(), prefecture_in_view()

    def draw(db: Database) -> bytes:
        data = page_data(db, year, prefecture)
        formation = data["groups"]
        formed_on = [date.fromisoformat(g["formed_on"]) for g in formation["groups"]]
        if prefecture is not None:
            own = next(i for i in data["headline"]["items"] if i["key"] == "training_groups")
            return charts.groups_toward_target(
                formed_on,
                year_end(year),
                int(own["baseline_2020"] or 0),
                None,
                gettext(
                    "Training groups led from %(prefecture)s",
                    prefecture=labels.prefecture_name(prefecture),
                ),
                "",
            )
        return charts.groups_toward_target(
            formed_on,
            year_end(year),
            int(formation["baseline_2020"]),
            int(formation["target_2025"]),
            gettext("Training groups formed (target: %(n)s by 2025)", n=formation["target_2025"]),
            gettext("2025 target"),
        )

    return chart(("groups.svg", year, prefecture), draw)
