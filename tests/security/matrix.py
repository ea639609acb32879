"""The isolation matrix's axes: which demo records stand for each kind, and what an answer
that refuses looks like."""

from __future__ import annotations

from tests.security.demo_store import Account_, Demo, Record

OFFICER = "officer"
PARTY_ACCOUNTS = ("school", "enterprise", "secretariat")


def sample(demo: Demo, kind: str) -> list[Record]:
    """A few records of ``kind``: one of each party account's own (where the demo has one),
    one of the officer's prefecture and one elsewhere, both of parties no account acts for."""
    records = sorted(demo.records[kind], key=lambda r: r.key)
    parties = {demo.accounts[name].party for name in PARTY_ACCOUNTS}
    home = demo.accounts[OFFICER].prefecture
    chosen: list[Record] = []

    def first(wanted: object) -> None:
        found = next((r for r in records if wanted(r) and r not in chosen), None)  # type: ignore[operator]
        if found is not None:
            chosen.append(found)

    for name in PARTY_ACCOUNTS:
        party = demo.accounts[name].party
        first(lambda r, p=party: p in r.parties)
    first(lambda r: not (r.parties & parties) and home in r.prefectures)
    first(lambda r: not (r.parties & parties) and home not in r.prefectures)
    return chosen


def refused(status: int, location: str, anonymous: bool) -> bool:
    """An answer that shows nothing: not found, forbidden, or (nobody signed in) sent to
    sign in."""
    if status in (403, 404):
        return True
    return anonymous and status == 302 and location.startswith("/login")


def unrelated_names(demo: Demo, account: Account_) -> dict[str, str]:
    """Names of the parties ``account``'s party has no record with, none of which is a part
    of a related party's name (so finding it in a page means the party was shown)."""
    party = account.party or ""
    related = demo.related.get(party, set()) | {party}
    shown = [demo.party_names[p] for p in related if p in demo.party_names]
    return {
        pid: name
        for pid, name in demo.party_names.items()
        if pid not in related and not any(name in other for other in shown)
    }
