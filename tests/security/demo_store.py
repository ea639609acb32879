"""The demo, loaded once into a data directory, and the facts the security tests need of it:
whom each demo account acts for, and a sample of every kind of record with the parties and
prefectures it belongs to.

Tests open web applications on copies of that directory: a copy per module for reads and
refused writes, a copy per test where a test means to record something.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.account import Account, account_id_for
from domain.actors import Actor, Role
from projections import read_models
from registry.config import Settings
from registry.demo import load_demo
from registry.demo.accounts import DEMO_PASSWORD
from registry.facade import Registry

SECRETARIAT = "secretariat"
USERNAMES = ("admin", "auditor", "officer", "school", "enterprise", SECRETARIAT)
PASSWORD = DEMO_PASSWORD
SYSTEM = Actor("system:security-tests", Role.SYSTEM)


@dataclass(frozen=True)
class Record:
    """One record of the demo: its kind, the URL parameters naming it, whom it belongs to."""

    kind: str
    params: dict[str, Any]
    parties: frozenset[str]
    prefectures: frozenset[str]

    @property
    def key(self) -> str:
        return f"{self.kind}:{'/'.join(str(v) for v in self.params.values())}"


@dataclass(frozen=True)
class Account_:
    username: str
    role: Role
    party: str | None
    prefecture: str | None


@dataclass
class Demo:
    """What the tests know of the loaded demo."""

    data_dir: Path
    accounts: dict[str, Account_]
    records: dict[str, list[Record]]
    party_names: dict[str, str]
    related: dict[str, set[str]] = field(default_factory=dict)

    def copy(self, target: Path) -> Settings:
        """A copy of the demo's data directory at ``target``, ready for an application."""
        shutil.copytree(self.data_dir, target)
        return Settings(data_dir=target)


def build(directory: Path) -> Demo:
    """Load the demo and a group secretariat's account into a fresh data directory."""
    settings = Settings(data_dir=directory)
    app = Registry(settings)
    try:
        load_demo(app)
        models = read_models(app)
        models.catch_up()
        with models.reading() as db:
            group = db.execute("SELECT id FROM groups ORDER BY name LIMIT 1").fetchone()[0]
        account = app.add_account(
            username=SECRETARIAT,
            display_name="周秘书",
            role="group_secretariat",
            party_id=UUID(group),
            actor=SYSTEM,
        )
        app.set_password(account, password=PASSWORD, actor=SYSTEM)
        models.catch_up()
        accounts = {}
        for username in USERNAMES:
            found = app.get(Account, account_id_for(username))
            accounts[username] = Account_(
                username,
                found.role,
                str(found.party_id) if found.party_id else None,
                found.prefecture,
            )
        with models.reading() as db:
            records, names, related = _facts(db.conn)
    finally:
        app.close()
    return Demo(directory, accounts, records, names, related)


def _rows(conn: Any, sql: str) -> list[dict[str, Any]]:
    cursor = conn.execute(sql)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _facts(conn: Any) -> tuple[dict[str, list[Record]], dict[str, str], dict[str, set[str]]]:
    prefecture: dict[str, str] = {}
    names: dict[str, str] = {}
    for table in ("schools", "enterprises", "organisations"):
        for row in _rows(conn, f"SELECT id, name, prefecture FROM {table}"):
            prefecture[row["id"]] = row["prefecture"]
            names[row["id"]] = row["name"]

    def of(kind: str, params: dict[str, Any], *parties: str | None) -> Record:
        known = frozenset(p for p in parties if p)
        where = frozenset(prefecture[p] for p in known if p in prefecture)
        return Record(kind, params, known, where)

    records: dict[str, list[Record]] = {k: [] for k in KINDS}
    related: dict[str, set[str]] = {}

    def relate(a: str, b: str) -> None:
        related.setdefault(a, set()).add(b)
        related.setdefault(b, set()).add(a)

    for r in _rows(conn, "SELECT id, school_id, enterprise_id FROM agreements"):
        records["agreement"].append(
            of("agreement", {"id": r["id"]}, r["school_id"], r["enterprise_id"])
        )
        relate(r["school_id"], r["enterprise_id"])
    hosts: dict[str, set[str]] = {}
    for r in _rows(conn, "SELECT id, student_id, school_id, enterprise_id FROM placements"):
        records["placement"].append(
            of("placement", {"id": r["id"]}, r["school_id"], r["enterprise_id"])
        )
        hosts.setdefault(r["student_id"], set()).add(r["enterprise_id"])
        relate(r["school_id"], r["enterprise_id"])
    # an officer reads a policy of its prefecture's holder or covering its placements
    covering: dict[str, set[str]] = {}
    for r in _rows(
        conn,
        "SELECT pp.policy_id, a.school_id, a.enterprise_id FROM policy_placements pp"
        " JOIN placements a ON a.id = pp.placement_id",
    ):
        covering.setdefault(r["policy_id"], set()).update((r["school_id"], r["enterprise_id"]))
    for r in _rows(conn, "SELECT id, holder_id FROM policies"):
        held = of("policy", {"id": r["id"]}, r["holder_id"])
        where = {prefecture[p] for p in covering.get(r["id"], ()) if p in prefecture}
        records["policy"].append(
            Record("policy", held.params, held.parties, held.prefectures | where)
        )
    for r in _rows(conn, "SELECT id, school_id FROM students"):
        parties = (r["school_id"], *sorted(hosts.get(r["id"], ())))
        records["student"].append(of("student", {"id": r["id"]}, *parties))
    for r in _rows(conn, "SELECT id, school_id FROM teachers"):
        records["teacher"].append(of("teacher", {"id": r["id"]}, r["school_id"]))
    for r in _rows(conn, "SELECT school_id, year FROM annual_returns"):
        params = {"school_id": r["school_id"], "year": r["year"]}
        records["return"].append(of("return", params, r["school_id"]))
    for kind, table in (("school", "schools"), ("enterprise", "enterprises")):
        for r in _rows(conn, f"SELECT id FROM {table}"):
            records[kind].append(of(kind, {"id": r["id"]}, r["id"]))
    for r in _rows(conn, "SELECT id FROM organisations"):
        records["organisation"].append(of("organisation", {"id": r["id"]}, r["id"]))
    for r in _rows(conn, "SELECT id, lead_id, prefectures FROM groups"):
        group = of("group", {"id": r["id"]}, r["id"], r["lead_id"])
        where = frozenset(json.loads(r["prefectures"] or "[]"))
        records["group"].append(Record("group", group.params, group.parties, where))
        names[r["id"]] = ""
    for r in _rows(conn, "SELECT group_id, party_id FROM group_members"):
        relate(r["group_id"], r["party_id"])
    for r in _rows(conn, "SELECT id FROM accounts"):
        records["account"].append(Record("account", {"id": r["id"]}, frozenset(), frozenset()))
    return records, {k: v for k, v in names.items() if v}, related


KINDS = (
    "agreement",
    "placement",
    "policy",
    "student",
    "teacher",
    "return",
    "school",
    "enterprise",
    "organisation",
    "group",
    "account",
)
