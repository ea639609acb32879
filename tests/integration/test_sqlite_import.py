"""A host that kept its keys, access log and password hashes in SQLite beside a PostgreSQL
log moves them into PostgreSQL once, and nothing personal is lost or left behind.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from domain.student import IdNumberRegistered
from registry.config import ConfigurationError, Settings
from registry.facade import Registry
from registry.stores.access_log import SQLiteAccessLog
from registry.stores.credentials import Passwords, SQLiteCredentialStore
from registry.stores.key_store import SQLiteKeyStore
from registry.stores.postgres.sqlite_import import Imported, import_side_stores, sqlite_side_stores
from tests.factories import school_user
from tests.integration.student_builders import AUDITOR, NUMBER, add_school, add_student
from tests.web.conftest import CLI

pytestmark = pytest.mark.postgres
PASSWORD = "a good long password"


def test_sqlite_side_stores_are_imported_once_and_their_files_deleted(
    postgres_url: str, tmp_path: Path
) -> None:
    # construct: a host on a PostgreSQL log with its side stores in SQLite files
    settings = Settings(data_dir=tmp_path / "var", event_store=postgres_url)
    old = Registry(settings)
    old.key_store = SQLiteKeyStore(settings.key_store_path)
    old.access_log = SQLiteAccessLog(settings.access_log_path)
    old.passwords = Passwords(SQLiteCredentialStore(settings.credentials_path))
    school_id = add_school(old)
    student_id = add_student(old, school_id)
    old.reveal_student(student_id, reader=AUDITOR, reason="抽查")
    old.reveal_student(student_id, reader=school_user(school_id))
    account_id = old.add_account(
        username="wang.min", display_name="王敏", role="province_admin", actor=CLI
    )
    old.set_password(account_id, password=PASSWORD, actor=CLI)
    old.end_session("signed-out-session", until=time.time() + 3600)
    old.close()
    # a node finding those files refuses to start rather than lose sight of them
    with pytest.raises(ConfigurationError, match="import-side-stores"):
        Registry(settings)

    # evolve
    assert import_side_stores(settings) == Imported(keys=1, access_log_entries=2, passwords=1)

    # query: the files are gone; keys, digests, reads and passwords carry on in PostgreSQL
    assert sqlite_side_stores(settings) == []
    new = Registry(settings)
    try:
        record = new.reveal_student(student_id, reader=AUDITOR, reason="迁移后核对")
        assert record.personal is not None and record.personal.id_number == NUMBER
        with pytest.raises(IdNumberRegistered):
            add_student(new, school_id, "张晓明", NUMBER)
        entries = new.access_log_entries(actor=AUDITOR, student_id=student_id)
        assert [(e.position, e.reason) for e in entries] == [
            (1, "抽查"),
            (2, ""),
            (3, "迁移后核对"),
        ]
        assert new.authenticate("wang.min", PASSWORD) is not None
        assert new.session_ended("signed-out-session")
    finally:
        new.close()
    # nothing left to import
    assert import_side_stores(settings) == Imported(keys=0, access_log_entries=0, passwords=0)


def test_a_sqlite_key_store_is_not_merged_into_postgres_keys(
    postgres_url: str, tmp_path: Path
) -> None:
    # construct: PostgreSQL holds keys already, and a host still has a SQLite key store
    settings = Settings(data_dir=tmp_path / "var", event_store=postgres_url)
    app = Registry(settings)
    add_student(app, add_school(app))
    app.close()
    SQLiteKeyStore(settings.key_store_path).close()
    # query: the import is refused, and the file kept for the operator to look at
    with pytest.raises(ConfigurationError, match="holds students' keys already"):
        import_side_stores(settings)
    assert settings.key_store_path.exists()
