"""How values that JSON lacks are stored in events: calendar dates, actors, sealed data."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Transcoding

from domain.actors import Actor, Role
from domain.sealed import Sealed


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, Any]:
        encoded = {
            "user_id": obj.user_id,
            "role": obj.role.value,
            "party_id": obj.party_id.hex if obj.party_id else None,
        }
        if obj.submission:
            encoded["submission"] = obj.submission
        return encoded

    def decode(self, data: dict[str, Any]) -> Actor:
        # events recorded before submission keys existed have none
        party = data["party_id"]
        return Actor(
            data["user_id"],
            Role(data["role"]),
            UUID(party) if party else None,
            data.get("submission"),
        )


class SealedAsText(Transcoding):
    """Sealed personal data is stored as its ciphertext text, never as plaintext."""

    type = Sealed
    name = "sealed"

    def encode(self, obj: Sealed) -> str:
        return obj.ciphertext

    def decode(self, data: str) -> Sealed:
        return Sealed(data)


TRANSCODINGS: tuple[Transcoding, ...] = (DateAsISO(), ActorAsDict(), SealedAsText())
