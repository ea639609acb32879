"""The list of agreements a user may see, as the agreements page and a party's own pages
show it."""

from __future__ import annotations

from typing import Any

from flask.typing import ResponseReturnValue

from domain.agreement import Mode
from domain.prefectures import PREFECTURES
from projections import agreement_queries
from web.access import agreement_scope
from web.auth import user
from web.labels import STATUSES
from web.lists import list_request, render_list
from web.reads import answer, read

PREFECTURE_CODES = tuple(PREFECTURES)


def agreement_list(template: str, endpoint: str, **context: Any) -> ResponseReturnValue:
    """A filtered, paginated list of the agreements this user may see, as recorded at the
    moment the date picker chose, with states on that day."""
    asked = list_request(
        {
            "status": agreement_queries.STATUSES,
            "mode": [m.value for m in Mode],
            "prefecture": PREFECTURE_CODES,
        }
    )
    scope = agreement_scope(user())
    wanted = {**asked.filters, **scope}
    day = asked.moment.effective_day
    with read(asked.moment) as db:
        found = answer(
            agreement_queries.list_agreements,
            db,
            prefecture=wanted.get("prefecture"),
            mode=wanted.get("mode"),
            status=wanted.get("status"),
            party=wanted.get("party"),
            on=day,
            limit=asked.limit,
            offset=asked.offset,
        )
        counts = answer(
            agreement_queries.count_agreements,
            db,
            by="status",
            prefecture=scope.get("prefecture"),
            party=scope.get("party"),
            on=day,
        )
    return render_list(
        template,
        asked,
        page=found,
        counts=counts,
        statuses=list(STATUSES),
        endpoint=endpoint,
        scope=scope,
        **context,
    )
