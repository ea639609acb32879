"""A registration killed between storing the student's key and saving its event leaves an
orphan key-store row; the ID number still registers, in a fresh process, and the orphan goes.

The process is really killed (SIGKILL), while paused at that moment: the child's script makes
the application's save wait on a file's appearance (the only hook), then the test kills it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import pytest

from domain.student import IdNumberRegistered, Student
from registry.commands.students import ID_NUMBER
from registry.config import Settings
from registry.facade import Registry
from tests.factories import ADMIN, registered_school, school_user
from tests.integration.placement_builders import ADULT

CHILD = """
import sys, time
from pathlib import Path
from uuid import UUID
from domain.actors import Actor, Role
from registry.config import Settings
from registry.facade import Registry

paused, data_dir, event_store, school = sys.argv[1:5]
app = Registry(Settings(data_dir=Path(data_dir), event_store=event_store))

def save_never(*aggregates, **options):
    # the key and the digest are stored; the event is not: wait here to be killed
    Path(paused).write_text("paused")
    time.sleep(600)

app.save_changes = save_never
app.register_student(
    school_id=UUID(school), name="李小华", id_number=sys.argv[5], gender="female",
    entry_year=2023, major="数控加工", actor=Actor("teacher", Role.SCHOOL_USER, UUID(school)),
)
"""


def register(app: Registry, school_id: UUID) -> UUID:
    return app.register_student(
        school_id=school_id,
        name="李小华",
        id_number=ADULT,
        gender="female",
        entry_year=2023,
        major="数控加工",
        actor=school_user(school_id),
    )


def killed_while_registering(settings: Settings, school_id: UUID, paused: Path) -> None:
    """Run a registration in another process and SIGKILL it between the key and the event."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(paused),
            str(settings.data_dir),
            settings.event_store,
            str(school_id),
            ADULT,
        ],
        cwd=Path(__file__).parents[2],
    )
    try:
        deadline = time.monotonic() + 60
        while not paused.exists():
            assert child.poll() is None, "the registration ended before its save"
            assert time.monotonic() < deadline, "the registration never reached its save"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def test_an_orphan_of_a_killed_registration_blocks_nothing_and_is_cleaned(
    store_settings: Settings, tmp_path: Path
) -> None:
    setup = Registry(store_settings)
    school_id = registered_school(setup, majors=["数控加工"])
    setup.close()
    killed_while_registering(store_settings, school_id, tmp_path / "paused")

    # what the crash left: a key and a digest whose student the log does not have
    app = Registry(store_settings)
    try:
        digest = app.key_store.digest(ID_NUMBER, ADULT)
        orphan = app.key_store.owner(digest)
        assert orphan is not None and not app.exists(orphan)
        assert app.key_store.key(orphan) is not None
        # the same ID number registers cleanly in this fresh process
        student_id = register(app, school_id)
        assert app.get(Student, student_id).school_id == school_id
        assert app.key_store.owner(digest) == student_id
        # the orphan is gone: no key, no digest of its own
        assert app.key_store.key(orphan) is None
        # and the number is taken now, by a student the log has
        with pytest.raises(IdNumberRegistered):
            register(app, school_id)
    finally:
        app.close()


def test_the_row_of_a_forgotten_student_whose_erasure_stopped_is_destroyed_on_reuse(
    registry: Registry,
) -> None:
    school_id = registered_school(registry, majors=["数控加工"])
    forgotten = register(registry, school_id)
    # an erasure that saved its event but died before destroying the key
    student = registry.get(Student, forgotten)
    student.forget(basis="本人申请", requested_by="student", actor=ADMIN)
    registry.save_changes(student)
    assert registry.key_store.key(forgotten) is not None
    # the number registers afresh, and the forgotten student's key is destroyed with it
    again = register(registry, school_id)
    assert registry.key_store.key(forgotten) is None
    assert registry.key_store.owner(registry.key_store.digest(ID_NUMBER, ADULT)) == again
