"""The canonical bytes of one stored event: what a leaf of the ledger hashes.

In the notation of RFC 8446 §3 (TLS presentation language), big-endian::

    struct {
        uint64 position;          /* the event's notification id in the log */
        opaque record_id[16];     /* the aggregate's UUID, its 16 bytes */
        uint64 version;           /* the aggregate's version this event made */
        opaque topic<1..2^16-1>;  /* UTF-8, e.g. "domain.agreement:CooperationAgreement.Proposed" */
        opaque state<0..2^32-1>;  /* the stored state bytes exactly as recorded */
    } RegistryEvent;

The state is taken as the store holds it: personal data stays encrypted, so an erasure,
which destroys a key and writes nothing into old events, changes no leaf. The same stored
row gives the same bytes in SQLite and in PostgreSQL.
"""

from __future__ import annotations

import struct
from typing import Any, Protocol
from uuid import UUID

from registry.ledger.merkle import leaf_hash

FORMAT = "RegistryEvent/1"


class StoredEvent(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def originator_id(self) -> Any: ...
    @property
    def originator_version(self) -> int: ...
    @property
    def topic(self) -> str: ...
    @property
    def state(self) -> bytes: ...


def leaf_bytes(event: StoredEvent) -> bytes:
    topic = event.topic.encode()
    state = bytes(event.state)
    record = event.originator_id
    record_bytes = record.bytes if isinstance(record, UUID) else UUID(str(record)).bytes
    return b"".join(
        (
            struct.pack(">Q", event.id),
            record_bytes,
            struct.pack(">Q", event.originator_version),
            struct.pack(">H", len(topic)),
            topic,
            struct.pack(">I", len(state)),
            state,
        )
    )


def event_leaf_hash(event: StoredEvent) -> bytes:
    return leaf_hash(leaf_bytes(event))
