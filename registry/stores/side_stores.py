"""The stores beside the log, of the kind the event store implies.

With the embedded SQLite event store each is a SQLite file of its own in the data directory.
With a PostgreSQL event store (several nodes sharing one log) each is a set of tables in the
same PostgreSQL database, so every node sees the same keys, reads and passwords.
"""

from __future__ import annotations

from registry.config import Settings
from registry.ledger.checkpoints import CheckpointStore, PostgresCheckpoints, SQLiteCheckpoints
from registry.stores.access_log import AccessLog, SQLiteAccessLog
from registry.stores.credentials import CredentialStore, SQLiteCredentialStore
from registry.stores.key_store import KeyStore, SQLiteKeyStore
from registry.stores.postgres import Database
from registry.stores.postgres.access_log import PostgresAccessLog
from registry.stores.postgres.credentials import PostgresCredentialStore
from registry.stores.postgres.key_store import PostgresKeyStore
from registry.stores.postgres.sign_in_attempts import PostgresFailedSignIns
from registry.stores.postgres.sqlite_import import refuse_sqlite_leftovers
from registry.stores.sign_in_attempts import FailedSignIns, SQLiteFailedSignIns


class SideStores:
    """Builds the stores beside the log; owns their shared connections."""

    def __init__(self, settings: Settings) -> None:
        if settings.uses_postgres:
            refuse_sqlite_leftovers(settings)
        self.settings = settings
        self._database: Database | None = None

    @property
    def database(self) -> Database | None:
        """The event store's PostgreSQL database, connected on first use; None on SQLite."""
        if self._database is None and self.settings.uses_postgres:
            self._database = Database(self.settings.event_store)
        return self._database

    def key_store(self) -> KeyStore:
        if database := self.database:
            return PostgresKeyStore(database)
        return SQLiteKeyStore(self.settings.key_store_path)

    def access_log(self) -> AccessLog:
        if database := self.database:
            return PostgresAccessLog(database)
        return SQLiteAccessLog(self.settings.access_log_path)

    def credential_store(self) -> CredentialStore:
        if database := self.database:
            return PostgresCredentialStore(database)
        return SQLiteCredentialStore(self.settings.credentials_path)

    def failed_sign_ins(self) -> FailedSignIns:
        """Counted beside the password hashes: in their SQLite file, or their database."""
        if database := self.database:
            return PostgresFailedSignIns(database)
        return SQLiteFailedSignIns(self.settings.credentials_path)

    def checkpoints(self) -> CheckpointStore:
        """The ledger's signed checkpoints, where every node sees them."""
        if database := self.database:
            return PostgresCheckpoints(database)
        return SQLiteCheckpoints(self.settings.checkpoints_path)

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None
