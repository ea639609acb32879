"""A crash under load: ``registry serve`` on a fresh demo store is killed with SIGKILL (master and
workers at once) while users submit forms, then started again, again and again.

Every write the server acknowledged (a 302 naming the created record) must be in the log and
in the read models after the restart, the student's personal data must still decrypt, and the
live read models must equal views rebuilt from the whole log. ``REGISTRY_CRASH_TRIALS`` sets
the number of kills (3 here, 100 under ``make fuzz``).
"""

from __future__ import annotations

import http.client
import itertools
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from domain.account import Account, account_id_for
from domain.actors import Actor, Role
from domain.id_number import with_check_character
from domain.school import School
from projections import agreement_queries, read_models, students
from registry.config import Settings
from registry.demo.accounts import DEMO_PASSWORD
from registry.facade import Registry
from tests.readmodels import dump, from_scratch
from tests.security.demo_store import Demo
from tests.security.serving import Browser, Served

TRIALS = int(os.environ.get("REGISTRY_CRASH_TRIALS", "3"))
LOADERS_PER_FORM = 2
# each loader has this many writes acknowledged in a trial before the kill may come
ACKNOWLEDGED_BEFORE_KILL = 2


@dataclass
class Write:
    """One kind of form a loader submits again and again, each time creating a record."""

    username: str
    page: str
    action: str
    created: str  # the path the 302 leads to: /agreements/ or /students/
    values: Callable[[int], dict[str, str | list[str]]]


@dataclass
class Loader:
    """A user submitting one form in a loop; remembers every acknowledged record."""

    browser: Browser
    write: Write
    numbers: Iterator[int]
    acknowledged: list[tuple[UUID, dict[str, str | list[str]]]] = field(default_factory=list)
    server_errors: list[int] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            values = self.write.values(next(self.numbers))
            try:
                status, location = self.browser.submit(self.write.page, self.write.action, values)
            except (OSError, RuntimeError, http.client.HTTPException):
                # the server is down (killed, or not yet up): nothing was acknowledged
                time.sleep(0.02)
                continue
            if status == 302 and self.write.created in location:
                self.acknowledged.append((UUID(location.rsplit("/", 1)[1]), values))
            elif status >= 500:
                self.server_errors.append(status)


@pytest.fixture
def demo_store(demo: Demo, tmp_path: Path) -> tuple[Path, UUID, list[str]]:
    """A fresh copy of the demo: its directory, the demo school and its majors."""
    settings = demo.copy(tmp_path / "var")
    app = Registry(settings)
    try:
        school_id = app.get(Account, account_id_for("school")).party_id
        assert school_id is not None
        majors = app.get(School, school_id).open_majors()
    finally:
        app.close()
    return settings.data_dir, school_id, majors


def writes(school_id: UUID, majors: list[str]) -> list[Write]:
    today = date.today()

    def proposal(n: int) -> dict[str, str | list[str]]:
        return {
            "title": f"崩溃测试协议{n}",
            "modes": ["order_class"],
            "starts_on": (today + timedelta(days=30)).isoformat(),
            "ends_on": (today + timedelta(days=760)).isoformat(),
        }

    def student(n: int) -> dict[str, str | list[str]]:
        born = date(2008, 1, 1) + timedelta(days=n // 900)
        number = with_check_character(f"510104{born:%Y%m%d}{n % 900 + 100:03d}")
        return {
            "name": f"崩溃测试{n}",
            "id_number": number,
            "gender": "female",
            "entry_year": str(today.year - 1),
            "major": majors[0],
        }

    return [
        Write(
            "enterprise",
            f"/enterprise/partnerships/new?school={school_id}",
            "/enterprise/partnerships/new",
            "/agreements/",
            proposal,
        ),
        Write("school", "/students/new", "/students/new", "/students/", student),
    ]


def load_until_killed(server: Served, loaders: list[Loader], rng: random.Random) -> None:
    """Let every loader get its first acknowledgements of the trial, then kill mid-load."""
    before = [len(loader.acknowledged) for loader in loaders]
    threads = [threading.Thread(target=loader.run) for loader in loaders]
    for loader, thread in zip(loaders, threads, strict=True):
        loader.stop.clear()
        thread.start()
    deadline = time.monotonic() + 60
    while any(
        len(loader.acknowledged) - n < ACKNOWLEDGED_BEFORE_KILL
        for loader, n in zip(loaders, before, strict=True)
    ):
        assert time.monotonic() < deadline, "the loaders had nothing acknowledged for 60 s"
        time.sleep(0.02)
    time.sleep(rng.uniform(0, 0.3))
    server.kill()
    for loader in loaders:
        loader.stop.set()
    for thread in threads:
        thread.join(timeout=60)


def check_nothing_acknowledged_lost(data: Path, school_id: UUID, loaders: list[Loader]) -> None:
    """Every acknowledged record in the log and in the read models; the views equal a rebuild."""
    app = Registry(Settings(data_dir=data))
    try:
        acknowledged = [(loader.write, *ack) for loader in loaders for ack in loader.acknowledged]
        assert [i for _, i, _ in acknowledged if not app.exists(i)] == []
        finders = {"/agreements/": agreement_queries.agreement, "/students/": students.student}
        with read_models(app).reading() as db:
            missing = [i for w, i, _ in acknowledged if finders[w.created](db, str(i)) is None]
            live = dump(db.conn)
        assert missing == []
        assert live == from_scratch(app)
        teacher = Actor("crash-test", Role.SCHOOL_USER, school_id)
        for write, student_id, values in acknowledged:
            if write.created == "/students/":
                personal = app.reveal_student(student_id, reader=teacher).personal
                assert personal is not None and personal.id_number == values["id_number"]
    finally:
        app.close()


def test_no_acknowledged_write_is_lost_when_the_server_is_killed_under_load(
    demo_store: tuple[Path, UUID, list[str]],
) -> None:
    # construct: the demo served by gunicorn; two users of each form, signed in once
    data, school_id, majors = demo_store
    server = Served(data)
    server.start()
    numbers = itertools.count()
    loaders = []
    for write in writes(school_id, majors):
        signed_in = Browser(server.url, timeout=10)
        signed_in.sign_in(write.username, DEMO_PASSWORD)
        for _ in range(LOADERS_PER_FORM):
            loaders.append(Loader(signed_in.another_tab(), write, numbers))
    rng = random.Random(16)
    try:
        for trial in range(TRIALS):
            # evolve: the forms are submitted until the server is killed, then it restarts
            load_until_killed(server, loaders, rng)
            server.start()
            # query: nothing acknowledged is lost, and the views equal a rebuild
            check_nothing_acknowledged_lost(data, school_id, loaders)
            for loader in loaders:
                assert loader.server_errors == [], (trial, loader.write.action)
                for record_id, _ in loader.acknowledged[-ACKNOWLEDGED_BEFORE_KILL:]:
                    status, _, _ = loader.browser.request(f"{loader.write.created}{record_id}")
                    assert status == 200, (trial, loader.write.created, record_id)
    finally:
        server.stop()
    assert server.tracebacks() == []
    acknowledged = {w.created: 0 for w in writes(school_id, majors)}
    for loader in loaders:
        acknowledged[loader.write.created] += len(loader.acknowledged)
    assert sum(acknowledged.values()) >= TRIALS * len(loaders) * ACKNOWLEDGED_BEFORE_KILL
    print(f"\ncrash: {TRIALS} kills under load, acknowledged and kept: {acknowledged}")
