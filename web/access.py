"""Who may see what: enforced on the server, whatever the URL asks for.

Enterprise and school users see their own party's records only; prefecture officers see
their prefecture's; auditors and province administrators see everything. A record outside a
user's reach is answered with 404, the same as a record that does not exist, so an address
reveals nothing about another party.
"""

from __future__ import annotations

from typing import Any

from domain.actors import Role
from web.auth import SignedIn

PARTY_ROLES = (Role.ENTERPRISE_USER, Role.SCHOOL_USER, Role.GROUP_SECRETARIAT)


def agreement_scope(user: SignedIn) -> dict[str, str | None]:
    """Filters every agreement list applies for this user, overriding any the URL sets."""
    if user.role in PARTY_ROLES:
        return {"party": str(user.party_id)}
    if user.role is Role.PREFECTURE_OFFICER:
        return {"prefecture": user.prefecture}
    return {}


def may_see_agreement(user: SignedIn, agreement: dict[str, Any]) -> bool:
    if user.role in (Role.PROVINCE_ADMIN, Role.AUDITOR):
        return True
    if user.role is Role.PREFECTURE_OFFICER:
        return user.prefecture in (
            agreement["school_prefecture"],
            agreement["enterprise_prefecture"],
        )
    party = str(user.party_id)
    if user.role is Role.ENTERPRISE_USER:
        return bool(agreement["enterprise_id"] == party)
    if user.role is Role.SCHOOL_USER:
        return bool(agreement["school_id"] == party)
    return False


def side_of(user: SignedIn, agreement: dict[str, Any]) -> str | None:
    """Which party of the agreement the user acts for, if either."""
    if user.party_id is None:
        return None
    if user.role is Role.SCHOOL_USER and agreement["school_id"] == str(user.party_id):
        return "school"
    if user.role is Role.ENTERPRISE_USER and agreement["enterprise_id"] == str(user.party_id):
        return "enterprise"
    return None


def sees_everything(user: SignedIn) -> bool:
    return user.role in (Role.PROVINCE_ADMIN, Role.AUDITOR)


def party_scope(user: SignedIn) -> dict[str, str | None]:
    """Filters every list of parties applies: an officer's prefecture, a party's own id."""
    if user.role is Role.PREFECTURE_OFFICER:
        return {"prefecture": user.prefecture}
    if user.role in PARTY_ROLES:
        return {"id": str(user.party_id)}
    return {}


def may_see_party(user: SignedIn, party: dict[str, Any]) -> bool:
    """A school, enterprise or organisation: everyone reading the province, the officer of
    its prefecture, and its own users."""
    if sees_everything(user):
        return True
    if user.role is Role.PREFECTURE_OFFICER:
        return bool(party.get("prefecture") == user.prefecture)
    return user.party_id is not None and str(user.party_id) == party.get("id")
