"""Who acts: every event records the acting user and their role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    ENTERPRISE_USER = "enterprise_user"
    SCHOOL_USER = "school_user"
    GROUP_SECRETARIAT = "group_secretariat"
    PREFECTURE_OFFICER = "prefecture_officer"
    AUDITOR = "auditor"
    PROVINCE_ADMIN = "province_admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """A user acting in a role, for a party where the role is bound to one.

    ``party_id`` is the school, enterprise or group the user acts for. The ``system`` role is
    the command line's named actor; it may act for a party when ``party_id`` says which.
    ``submission`` is the key of the form (or request) the user acted through, when it had
    one: the same key sent again is answered with its first result (docs/web.md).
    """

    user_id: str
    role: Role
    party_id: UUID | None = None
    submission: str | None = None

    def acts_for(self, party_id: UUID) -> bool:
        return self.party_id == party_id and self.role in (
            Role.SCHOOL_USER,
            Role.ENTERPRISE_USER,
            Role.GROUP_SECRETARIAT,
            Role.SYSTEM,
        )

    @property
    def is_administrator(self) -> bool:
        return self.role in (Role.PROVINCE_ADMIN, Role.SYSTEM)
