"""Erasure: once a student's key is destroyed, no file under ``var/`` can reveal their data.

Personal data is sealed before it reaches any file, so plaintext must never appear in the
bytes of the event store, the key store, the access log or their ``-wal`` files; after an
erasure the student's key and ID-number digest must be gone from those bytes as well.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from uuid import UUID

import psycopg
import pytest

from domain.actors import Actor, Role
from domain.errors import NotPermitted
from domain.id_number import with_check_character
from domain.student import Student
from registry.config import Settings
from registry.facade import Registry
from registry.history import aggregate_history
from registry.personal_data import ERASED
from tests.factories import ADMIN, school_user, uscc
from tests.integration.postgres_files import database_files

AUDITOR = Actor("auditor-1", Role.AUDITOR)
# (name, first 17 digits of the ID number); birth dates chosen to match no other date stored
PEOPLE = [
    ("欧阳晓燕", "51010419970812642"),
    ("司马志强", "51130319980923761"),
    ("诸葛雨涵", "51340119961104382"),
    ("上官浩宇", "51070319950217591"),
]


def encodings(text: str) -> set[bytes]:
    """The ways ``text`` could be written into a file: UTF-8, JSON escapes, UTF-16, GB 18030."""
    escaped = json.dumps(text, ensure_ascii=True)[1:-1]
    return {
        text.encode("utf-8"),
        escaped.encode("ascii"),
        escaped.lower().encode("ascii"),
        text.encode("utf-16-le"),
        text.encode("utf-16-be"),
        text.encode("gb18030"),
    }


def traces(name: str, number: str) -> dict[str, set[bytes]]:
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return {
        "name": encodings(name),
        "id_number": encodings(number),
        "birth_date": encodings(born.isoformat()) | encodings(number[6:14]),
    }


def files_holding(data_dir: Path, needles: set[bytes]) -> list[str]:
    found = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        content = path.read_bytes()
        found += [f"{path.name}: {needle!r}" for needle in needles if needle in content]
    return found


def database_holding(
    conn: psycopg.Connection[tuple[object, ...]], needles: set[bytes]
) -> list[str]:
    """What of ``needles`` the files of a PostgreSQL database hold, once flushed to disk."""
    conn.execute("CHECKPOINT")
    found = []
    for path in database_files(conn):
        content = path.read_bytes()
        found += [f"{path.name}: {needle!r}" for needle in needles if needle in content]
    return found


def register_people(app: Registry) -> tuple[UUID, list[UUID], list[str]]:
    school_id = app.register_school(
        uscc=uscc("12", 1),
        name="测试技师学院",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    app.open_major(school_id, name="数控加工", year=2018, actor=ADMIN)
    numbers = [with_check_character(first17) for _, first17 in PEOPLE]
    ids = [
        app.register_student(
            school_id=school_id,
            name=name,
            id_number=number,
            gender="female",
            entry_year=2015,
            major="数控加工",
            actor=school_user(school_id),
        )
        for (name, _), number in zip(PEOPLE, numbers, strict=True)
    ]
    return school_id, ids, numbers


def test_no_plaintext_reaches_any_file_and_an_erasure_leaves_nothing_readable(
    settings: Settings,
) -> None:
    # construct: four students, read, corrected, exported
    app = Registry(settings)
    school_id, ids, numbers = register_people(app)
    app.correct_student(ids[0], field="name", value="欧阳小燕", reason="更正姓名", actor=ADMIN)
    for student_id in ids:
        app.reveal_student(student_id, reader=AUDITOR, reason="年度督导抽查")
        app.export_student(student_id, reader=ADMIN, reason="学生申请副本")
    forgotten, kept = ids[:2], ids[2:]
    everyone = [traces(name, number) for (name, _), number in zip(PEOPLE, numbers, strict=True)]
    everyone[0]["name"] |= encodings("欧阳小燕")
    keys = {student_id: app.key_store.key(student_id) for student_id in forgotten}
    digests = {app.key_store.digest("id_number", number) for number in numbers[:2]}
    all_plaintext = set().union(*(needles for person in everyone for needles in person.values()))
    # no plaintext in any file, the -wal files included, while the application runs
    assert any(p.name.endswith("-wal") for p in settings.data_dir.iterdir())
    assert files_holding(settings.data_dir, all_plaintext) == []
    # (the scan does find what is there: the keys and digests, in the key store's files)
    stored = {key for key in keys.values() if key} | {d.encode() for d in digests}
    assert len(stored) == 4
    assert len(files_holding(settings.data_dir, stored)) >= 4

    # evolve: two students are forgotten
    for student_id in forgotten:
        app.forget_student(student_id, basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN)
    # their keys and ID-number digests are gone from every file, the key store's WAL included
    assert files_holding(settings.data_dir, stored) == []
    app.close()

    # query: everything reloaded from the log
    fresh = Registry(settings)
    try:
        for student_id in forgotten:
            assert fresh.get(Student, student_id).is_forgotten
            history = aggregate_history(fresh, student_id)
            assert {history[0].fields[f] for f in ("name", "id_number", "birth_date")} == {ERASED}
            exported = fresh.export_student(student_id, reader=ADMIN, reason="核对删除")
            assert exported["student"]["name"] == ERASED
            assert all(
                value != "欧阳晓燕" for entry in exported["history"] for value in entry["fields"]
            )
        for student_id, (name, _), number in zip(kept, PEOPLE[2:], numbers[2:], strict=True):
            record = fresh.reveal_student(student_id, reader=school_user(school_id))
            assert record.personal is not None
            assert (record.personal.name, record.personal.id_number) == (name, number)
        # the access log is not rewritten: the forgotten students' earlier reads remain
        reads = fresh.access_log_entries(actor=AUDITOR, student_id=forgotten[0])
        assert [e.outcome for e in reads] == ["revealed", "revealed", "erased"]
    finally:
        fresh.close()
    assert files_holding(settings.data_dir, all_plaintext | stored) == []


def test_restoring_a_key_store_backup_is_followed_by_reapplying_erasures(
    settings: Settings, tmp_path: Path
) -> None:
    # construct: a backup of the key store taken before the erasure
    app = Registry(settings)
    school_id, ids, _ = register_people(app)
    backup = tmp_path / "keys-backup.sqlite3"
    with sqlite3.connect(settings.key_store_path) as source, sqlite3.connect(backup) as copy:
        source.backup(copy)
    key = app.key_store.key(ids[0])
    app.forget_student(ids[0], basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN)
    app.close()
    # evolve: the backup is restored, bringing the forgotten student's key back
    for path in settings.data_dir.glob("keys.sqlite3*"):
        path.unlink()
    shutil.copy(backup, settings.key_store_path)
    app = Registry(settings)
    try:
        assert app.key_store.key(ids[0]) == key
        # views still show the erasure, since the log says so
        assert app.reveal_student(ids[0], reader=AUDITOR, reason="核对").erased
        with pytest.raises(NotPermitted):
            app.reapply_erasures(actor=school_user(school_id))
        # query: reapplying the log's erasures destroys the restored key, and only that one
        assert app.reapply_erasures(actor=ADMIN) == [ids[0]]
        assert app.reapply_erasures(actor=ADMIN) == []
        assert app.key_store.key(ids[0]) is None
        assert all(app.key_store.key(student_id) for student_id in ids[1:])
    finally:
        app.close()
    assert key is not None and files_holding(settings.data_dir, {key}) == []


# --- PostgreSQL: the key store's tables in the event store's database ------------------------


@pytest.mark.postgres
def test_on_postgres_an_erasure_leaves_no_key_digest_or_plaintext_in_the_database_files(
    postgres_url: str, tmp_path: Path
) -> None:
    # construct: four students on a PostgreSQL store, read and exported
    app = Registry(Settings(data_dir=tmp_path / "var", event_store=postgres_url))
    try:
        _, ids, numbers = register_people(app)
        for student_id in ids:
            app.export_student(student_id, reader=ADMIN, reason="学生申请副本")
        forgotten = ids[:2]
        keys = [app.key_store.key(student_id) for student_id in forgotten]
        digests = [app.key_store.digest("id_number", number).encode() for number in numbers[:2]]
        stored = {key for key in keys if key} | set(digests)
        people = [traces(name, number) for (name, _), number in zip(PEOPLE, numbers, strict=True)]
        plaintext = set().union(*(needles for person in people for needles in person.values()))
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            assert len(stored) == 4 and all(database_holding(conn, {n}) for n in stored)
            assert database_holding(conn, plaintext) == []
            # evolve
            for student_id in forgotten:
                app.forget_student(
                    student_id, basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN
                )
            # query: the keys and digests are in no file of the database any more
            assert database_holding(conn, stored | plaintext) == []
        assert all(app.reveal_student(i, reader=AUDITOR, reason="核对").erased for i in forgotten)
        assert not any(app.reveal_student(i, reader=AUDITOR, reason="核对").erased for i in ids[2:])
    finally:
        app.close()


@pytest.mark.postgres
def test_on_postgres_restoring_the_key_tables_is_followed_by_reapplying_erasures(
    postgres_url: str, tmp_path: Path
) -> None:
    # construct: a copy of the key tables taken before the erasure
    app = Registry(Settings(data_dir=tmp_path / "var", event_store=postgres_url))
    try:
        school_id, ids, _ = register_people(app)
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            keys = conn.execute("SELECT subject_id, key FROM subject_keys").fetchall()
            index = conn.execute("SELECT digest, subject_id FROM blind_index").fetchall()
            app.forget_student(ids[0], basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN)
            # evolve: the copy is restored, bringing the forgotten student's key back
            with conn.transaction():
                conn.execute("DELETE FROM blind_index")
                conn.execute("DELETE FROM subject_keys")
                with conn.cursor() as cursor:
                    cursor.executemany("INSERT INTO subject_keys VALUES (%s, %s)", keys)
                    cursor.executemany("INSERT INTO blind_index VALUES (%s, %s)", index)
        key = app.key_store.key(ids[0])
        assert key is not None
        # query: reapplying the log's erasures destroys the restored key, and only that one
        with pytest.raises(NotPermitted):
            app.reapply_erasures(actor=school_user(school_id))
        assert app.reapply_erasures(actor=ADMIN) == [ids[0]]
        assert app.reapply_erasures(actor=ADMIN) == []
        assert all(app.key_store.key(student_id) for student_id in ids[1:])
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            assert database_holding(conn, {key}) == []
    finally:
        app.close()
