"""Who may see what: enforced on the server, whatever the URL asks for.

``READERS`` says which roles may open each part of the site (a blueprint's pages, or one
page by its endpoint): every page's ``@requires`` and every record page read it, and so do
the menus (``MENUS``, ``STARTING_PAGES``), so a menu never offers a page its reader is
refused. The scopes below are the filters each role's lists apply.

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
ALL_ROLES: tuple[Role, ...] = tuple(r for r in Role if r is not Role.SYSTEM)
ADMIN = (Role.PROVINCE_ADMIN,)
_PROVINCE = (Role.PROVINCE_ADMIN, Role.AUDITOR)
_PREFECTURE = (*_PROVINCE, Role.PREFECTURE_OFFICER)
_PLACING = (*_PROVINCE, Role.SCHOOL_USER, Role.ENTERPRISE_USER)

# the roles that may open a blueprint's pages, or one page by its endpoint
READERS: dict[str, tuple[Role, ...]] = {
    "accounts": ADMIN,
    "agreements": ALL_ROLES,
    "audit": _PROVINCE,
    "dashboard": _PREFECTURE,
    "enterprise": (Role.ENTERPRISE_USER,),
    "enterprises": (*_PREFECTURE, Role.ENTERPRISE_USER),
    "findings": (*_PREFECTURE, Role.SCHOOL_USER, Role.ENTERPRISE_USER),
    "groups": (*_PREFECTURE, Role.SCHOOL_USER, Role.GROUP_SECRETARIAT),
    "ledger": _PROVINCE,
    "organisations": _PREFECTURE,
    "replay": (Role.AUDITOR,),
    # an officer reads a placement or policy of its prefecture a finding points at, not lists
    "placements": (*_PLACING, Role.PREFECTURE_OFFICER),
    "placements.index": _PLACING,
    "policies": (*_PLACING, Role.PREFECTURE_OFFICER),
    "policies.index": _PLACING,
    "policies.requirements": _PROVINCE,
    "returns": (*_PREFECTURE, Role.SCHOOL_USER),
    "school": (Role.SCHOOL_USER,),
    "schools": (*_PREFECTURE, Role.SCHOOL_USER),
    "students": _PLACING,
    "students.index": (*_PROVINCE, Role.SCHOOL_USER),
    "teachers": (*_PREFECTURE, Role.SCHOOL_USER),
}

# the roles offered a record's commands, besides any each command names itself
AGREEMENT_PARTIES = (Role.SCHOOL_USER, Role.ENTERPRISE_USER)
GROUP_ACTORS = (Role.GROUP_SECRETARIAT, Role.SCHOOL_USER)
PLACEMENT_PARTIES = (Role.SCHOOL_USER, Role.ENTERPRISE_USER, Role.PROVINCE_ADMIN)
POLICY_HOLDERS = PLACEMENT_PARTIES
RETURN_CORRECTORS = (Role.SCHOOL_USER, Role.PROVINCE_ADMIN)


def readers(endpoint: str) -> tuple[Role, ...]:
    """The roles that may open the page at ``endpoint`` (``schools.index``, say)."""
    found = READERS.get(endpoint)
    return found if found is not None else READERS[endpoint.partition(".")[0]]


STARTING_PAGES = {
    Role.ENTERPRISE_USER: "enterprise.home",
    Role.SCHOOL_USER: "school.inbox",
    Role.PROVINCE_ADMIN: "dashboard.index",
    Role.AUDITOR: "audit.index",
    Role.PREFECTURE_OFFICER: "dashboard.index",
    Role.GROUP_SECRETARIAT: "groups.index",
}


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


# each role's menu: its start page first, then the pages its work needs, in that order
MENUS: dict[Role, tuple[str, ...]] = {
    Role.ENTERPRISE_USER: (
        "enterprise.home",
        "enterprise.register_partnership",
        "placements.index",
        "policies.index",
        "findings.index",
        "enterprises.index",
    ),
    Role.SCHOOL_USER: (
        "school.inbox",
        "school.agreements",
        "students.index",
        "placements.index",
        "policies.index",
        "teachers.index",
        "returns.index",
        "groups.index",
        "findings.index",
        "schools.index",
    ),
    Role.GROUP_SECRETARIAT: ("groups.index",),
    Role.PREFECTURE_OFFICER: (
        "dashboard.index",
        "findings.index",
        "agreements.index",
        "schools.index",
        "enterprises.index",
        "groups.index",
        "teachers.index",
        "returns.index",
    ),
    Role.AUDITOR: (
        "audit.index",
        "audit.access_log",
        "ledger.index",
        "replay.index",
        "dashboard.index",
        "findings.index",
        "agreements.index",
        "schools.index",
        "enterprises.index",
        "groups.index",
        "students.index",
        "placements.index",
        "policies.index",
        "teachers.index",
        "returns.index",
    ),
    Role.PROVINCE_ADMIN: (
        "dashboard.index",
        "accounts.index",
        "findings.index",
        "agreements.index",
        "schools.index",
        "enterprises.index",
        "organisations.index",
        "groups.index",
        "students.index",
        "placements.index",
        "policies.index",
        "teachers.index",
        "returns.index",
        "returns.deadlines",
        "policies.requirements",
        "audit.index",
        "audit.access_log",
        "ledger.index",
    ),
}


def school_scope(user: SignedIn) -> dict[str, str | None]:
    """Filters a list of a school's records applies: the school's own, an officer's prefecture."""
    if user.role is Role.SCHOOL_USER:
        return {"school_id": str(user.party_id)}
    if user.role is Role.PREFECTURE_OFFICER:
        return {"prefecture": user.prefecture}
    return {}


def placement_scope(user: SignedIn) -> dict[str, str | None]:
    """The placements a user's lists keep: their school's or their enterprise's."""
    if user.role is Role.SCHOOL_USER:
        return {"school_id": str(user.party_id)}
    if user.role is Role.ENTERPRISE_USER:
        return {"enterprise_id": str(user.party_id)}
    return {}


def in_prefecture(user: SignedIn, parties: dict[str, dict[str, Any]], *ids: str | None) -> bool:
    """An officer's reach over a record of several parties: one of them is in its prefecture
    (as the findings' prefecture filter reads it). ``parties`` as ``names_of`` gives them."""
    return any(parties.get(i or "", {}).get("prefecture") == user.prefecture for i in ids)


def finding_scope(user: SignedIn) -> dict[str, str | None]:
    """The findings a user's role reaches: a school's, an enterprise's, a prefecture's."""
    if user.role is Role.SCHOOL_USER:
        return {"school": str(user.party_id)}
    if user.role is Role.ENTERPRISE_USER:
        return {"enterprise": str(user.party_id)}
    if user.role is Role.PREFECTURE_OFFICER:
        return {"prefecture": user.prefecture}
    return {}
