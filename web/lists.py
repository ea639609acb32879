"""What list pages share: filters read from the URL (only values offered count), the
moment chosen with the date picker, and the arguments that keep both across pages.

A filter is never silently dropped: a value that is not among a filter's choices (an old
link, an edited address) is refused with a sentence beside the filter (``refused``, which
``_filters.html`` reads from ``g``), and the list shows nothing rather than everything."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import g, render_template, request
from flask_babel import gettext

from projections.engine import Page
from web.moments import AsOf, asked_moment
from web.paging import PAGE_SIZE, offset, page_number

SIZES = (PAGE_SIZE, 50, 100)


@dataclass(frozen=True)
class ListRequest:
    """A list page's request: its filters, the moment, the page number and size."""

    filters: dict[str, str | None]
    moment: AsOf
    number: int
    size: int = PAGE_SIZE

    @property
    def refused(self) -> dict[str, str]:
        """The filters whose values were refused, each with its sentence."""
        found: dict[str, str] = g.get("refused_filters", {})
        return found

    @property
    def limit(self) -> int:
        return self.size

    @property
    def offset(self) -> int:
        return offset(self.number, self.size)

    def args(self, **fixed: str | None) -> dict[str, str]:
        """URL arguments for the same list on another page."""
        found = {k: v for k, v in {**self.filters, **fixed}.items() if v}
        if self.size != PAGE_SIZE:
            found["size"] = str(self.size)
        return {**found, **self.moment.args()}


def choice(value: str | None, allowed: Iterable[str], name: str | None = None) -> str | None:
    """``value`` if it is one of ``allowed``; with the filter's ``name``, any other value
    typed is refused (see the module's docstring)."""
    if value in set(allowed):
        return value
    if name is not None and value and value.strip():
        refused: dict[str, str] = g.setdefault("refused_filters", {})
        refused[name] = gettext(
            "“%(value)s” is not one of this filter's choices, so nothing is listed."
            " Choose one of the choices offered.",
            value=" ".join(value.split())[:50],
        )
    return None


def nothing_refused() -> bool:
    """Whether every filter of this request was understood (a list is shown only then)."""
    return not g.get("refused_filters")


def text(value: str | None, length: int = 50) -> str | None:
    return (value or "").strip()[:length] or None


def list_request(allowed: Mapping[str, Iterable[str] | None]) -> ListRequest:
    """The filters of ``request.args`` named in ``allowed``: a value among the choices given,
    or for ``None`` a short piece of text."""
    filters: dict[str, str | None] = {}
    for name, choices in allowed.items():
        raw = request.args.get(name)
        filters[name] = text(raw) if choices is None else choice(raw, choices, name)
    size = request.args.get("size", type=int)
    return ListRequest(
        filters,
        asked_moment(request.args),
        page_number(request.args.get("page")),
        size if size in SIZES else PAGE_SIZE,
    )


def blank(filters: Mapping[str, Any]) -> dict[str, Any]:
    """Filters as a form shows them: empty text for a filter not set."""
    return {k: v or "" for k, v in filters.items()}


def render_list(template: str, asked: ListRequest, **context: Any) -> str:
    """A list page: ``template`` with the request's filters (as the form shows them), the
    moment chosen and the arguments that keep both across pages, besides ``context``;
    with a filter refused, its ``page`` and ``rows`` are empty."""
    if asked.refused:
        context["page"] = Page([], 0, asked.limit, asked.offset)
        context.update({"rows": []} if "rows" in context else {})
    return render_template(
        template, filters=blank(asked.filters), as_of=asked.moment, args=asked.args(), **context
    )
