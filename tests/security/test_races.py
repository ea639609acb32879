"""Races: two or three users answer the same record at the same moment, on SQLite and on
PostgreSQL, through the registry and through the web.

Each contender runs on an application of its own (as separate processes or nodes would), and
every save is held until all contenders have read the record (``in_lockstep``): the store
alone decides. Exactly one wins; the others are refused with ``ConflictingChange`` (through
the web: a 409 page, never a 500); the log holds exactly the winner's events.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

import pytest
from werkzeug.datastructures import MultiDict

from domain.errors import DomainError
from projections import read_models
from registry.config import Settings
from registry.errors import ConflictingChange
from registry.facade import Registry
from tests.integration.placement_builders import START
from tests.readmodels import dump, from_scratch
from tests.security.contenders import (
    AMENDED,
    RACES,
    Added,
    Race,
    Setting,
    added_between,
    amendment_pending,
    at_once,
    cohort,
    in_force,
    in_lockstep,
    proposal,
    recorded,
)
from tests.security.serving import filled, form_fields
from tests.web.conftest import PASSWORD, account, sign_in, web_app
from web.config import WebConfig


def winner(outcomes: list[object]) -> int:
    """The one contender that succeeded; every other was refused as a conflict."""
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, DomainError)
    ]
    assert unexpected == [], unexpected
    won = [n for n, outcome in enumerate(outcomes) if not isinstance(outcome, Exception)]
    assert len(won) == 1, outcomes
    assert all(isinstance(o, ConflictingChange) for n, o in enumerate(outcomes) if n != won[0])
    return won[0]


@pytest.mark.parametrize("race", RACES.values(), ids=RACES.keys())
def test_of_commands_raced_on_one_record_exactly_one_is_recorded(
    race: Race, any_store: Registry, store_settings: Settings
) -> None:
    # construct: the record, and one application per contender on the same store
    s = race.prepare(any_store)
    contenders = race.contenders(s)
    records = sorted({r for _, added in contenders for r in added}, key=str)
    before = recorded(any_store, records)
    nodes = [Registry(store_settings) for _ in contenders]
    try:
        # evolve: all read the record, then all save at once
        in_lockstep(nodes)
        outcomes = at_once(
            [lambda c=c, node=node: c(node) for (c, _), node in zip(contenders, nodes, strict=True)]
        )
    finally:
        for node in nodes:
            node.close()
    # query: one won, the others were refused, and the log holds the winner's events only
    won = winner(outcomes)
    assert added_between(before, recorded(any_store, records)) == contenders[won][1]


EXCLUSIVE = {name: race for name, race in RACES.items() if race.exclusive}


@pytest.mark.parametrize("race", EXCLUSIVE.values(), ids=EXCLUSIVE.keys())
def test_a_contender_that_reads_after_the_winner_is_refused_by_the_rule(
    race: Race, registry: Registry
) -> None:
    # construct: the record and its contenders
    s = race.prepare(registry)
    (first, added), *later = race.contenders(s)
    records = sorted(added, key=str)
    # evolve: the first wins; the others read the record only after it is recorded
    before = recorded(registry, records)
    first(registry)
    outcomes: list[DomainError] = []
    for command, _ in later:
        with pytest.raises(DomainError) as refused:
            command(registry)
        outcomes.append(refused.value)
    # query: each later one is refused by a rule of the domain, not as a conflict; the log
    # holds the first one's events only
    assert not any(isinstance(o, ConflictingChange) for o in outcomes), outcomes
    assert added_between(before, recorded(registry, records)) == added


# --- through the web: two workers of the same store, one request each ---------------------------

USERS = {
    "school-1": "school",
    "school-2": "school",
    "enterprise-1": "enterprise",
    "enterprise-2": "enterprise",
}
# a contender on the web: who, the page the form is on, where it posts, what is typed, and
# the events the command alone adds
Submission = tuple[str, str, str, dict[str, str | list[str]], Added]


def answers_on_the_web(s: Setting) -> list[Submission]:
    page = f"/agreements/{s.agreement}"
    return [
        # each the second step's answer, the submission that records
        (
            "school-1",
            page,
            f"{page}/countersign",
            {"confirm": "yes"},
            {s.agreement: ["Countersigned"]},
        ),
        (
            "school-2",
            page,
            f"{page}/decline",
            {"reason": "条件不符", "confirm": "yes"},
            {s.agreement: ["Declined"]},
        ),
    ]


def amendments_on_the_web(s: Setting) -> list[Submission]:
    page = f"/agreements/{s.agreement}"
    typed: dict[str, str | list[str]] = {
        "modes": AMENDED["modes"],
        "starts_on": AMENDED["starts_on"].isoformat(),
        "ends_on": AMENDED["ends_on"].isoformat(),
        "reason": "调整合作方式",
    }
    return [
        (user, page, f"{page}/act/amend", typed, {s.agreement: ["AmendmentProposed"]})
        for user in ("school-1", "enterprise-1")
    ]


def amendment_answers_on_the_web(s: Setting) -> list[Submission]:
    page = f"/agreements/{s.agreement}"
    return [
        (
            "enterprise-1",
            page,
            f"{page}/amendment/accept",
            {},
            {s.agreement: ["AmendmentAccepted"]},
        ),
        (
            "enterprise-2",
            page,
            f"{page}/amendment/decline",
            {"reason": "不同意"},
            {s.agreement: ["AmendmentDeclined"]},
        ),
    ]


def cover_on_the_web(s: Setting) -> list[Submission]:
    policy, placement = s.policies[0], s.placements[0]
    page, typed = f"/policies/{policy}", {"placements": [str(placement)], "on": START.isoformat()}
    added: Added = {policy: ["PlacementsAdded"], placement: ["PolicyLinked"]}
    return [(user, page, f"{page}/cover", typed, added) for user in ("school-1", "school-2")]


def uncover_on_the_web(s: Setting) -> list[Submission]:
    policy, placement = s.policies[0], s.placements[0]
    page, typed = f"/policies/{policy}", {"placements": [str(placement)], "on": START.isoformat()}
    added: Added = {policy: ["PlacementsRemoved"]}
    return [(user, page, f"{page}/uncover", typed, added) for user in ("school-1", "school-2")]


WEB_RACES = {
    "countersign or decline": (proposal, answers_on_the_web),
    "amendments from both sides": (in_force, amendments_on_the_web),
    "accept or decline an amendment": (amendment_pending, amendment_answers_on_the_web),
    "the same cover twice": (cohort, cover_on_the_web),
    "the same uncover twice": (lambda app: cohort(app, covered=True), uncover_on_the_web),
}


def add_users(app: Registry, s: Setting, usernames: set[str]) -> None:
    for username in sorted(usernames):
        side = USERS[username]
        party = s.school if side == "school" else s.enterprise
        account(app, username, f"{side}_user", party_id=party)


@pytest.mark.parametrize("race", WEB_RACES.values(), ids=WEB_RACES.keys())
def test_forms_sent_at_once_by_two_users_record_one_answer_and_refuse_the_other(
    race: tuple[Callable[[Registry], Setting], Callable[[Setting], list[Submission]]],
    store_settings: Settings,
) -> None:
    # construct: two web applications on one store (as two workers), the record, the users
    prepare, submissions = race
    config = WebConfig(settings=store_settings, secret_key="k" * 48)
    with ExitStack() as stack:
        apps = [stack.enter_context(web_app(config)) for _ in range(2)]
        registry: Registry = apps[0].extensions["registry"]
        s = prepare(registry)
        contenders = submissions(s)
        add_users(registry, s, {user for user, *_ in contenders})
        records = sorted({r for *_, added in contenders for r in added}, key=str)
        before = recorded(registry, records)
        sends = []
        for app, (user, page, action, typed, _) in zip(apps, contenders, strict=True):
            client = app.test_client()
            assert sign_in(client, user, PASSWORD).status_code == 302
            rendered = form_fields(client.get(page).get_data(as_text=True), action)
            form = MultiDict(filled(rendered, typed))
            sends.append(
                lambda client=client, action=action, form=form: client.post(action, data=form)
            )
        # evolve: both pages were read; both forms are sent, and both saves held till both came
        in_lockstep([app.extensions["registry"] for app in apps])
        responses = at_once(sends)
        # query: one 302, one 409 page asking to look again; the log has the winner's events
        statuses = [getattr(r, "status_code", r) for r in responses]
        assert sorted(statuses) == [302, 409], statuses  # type: ignore[type-var]
        won = contenders[statuses.index(302)]
        assert added_between(before, recorded(registry, records)) == won[4]
        with read_models(registry).reading() as db:
            assert dump(db.conn) == from_scratch(registry)
