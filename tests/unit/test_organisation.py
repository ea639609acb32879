"""Industry parks and associations: parties keyed by USCC like schools and enterprises."""

from __future__ import annotations

from typing import Any

import pytest

from domain.actors import Actor, Role
from domain.errors import InvalidUSCC, InvalidValue, NotCorrectable, NotPermitted
from domain.organisation import Organisation, OrganisationKind
from domain.uscc import party_id_for
from tests.factories import ADMIN, uscc


def register(**changes: Any) -> Organisation:
    values: dict[str, Any] = {
        "uscc": uscc("11", 3),
        "name": "成都高新技术产业开发区",
        "kind": "industry_park",
        "prefecture": "510100",
        "actor": ADMIN,
    }
    values.update(changes)
    return Organisation.register(**values)


def test_park_registered_under_the_id_its_code_gives_any_party() -> None:
    park = register()
    assert park.kind is OrganisationKind.INDUSTRY_PARK
    assert park.id == party_id_for(uscc("11", 3))


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"kind": "chamber"}, InvalidValue),
        ({"uscc": uscc("51", 3)[:-1] + "I"}, InvalidUSCC),
        ({"name": ""}, InvalidValue),
        ({"actor": Actor("u", Role.ENTERPRISE_USER)}, NotPermitted),
    ],
)
def test_registration_refuses_bad_facts_and_non_administrators(
    changes: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        register(**changes)


def test_correction_changes_kind_with_a_reason() -> None:
    organisation = register()
    organisation.correct(field="kind", value="association", reason="登记类型有误", actor=ADMIN)
    assert organisation.kind is OrganisationKind.ASSOCIATION
    with pytest.raises(NotCorrectable):
        organisation.correct(field="uscc", value="x", reason="y", actor=ADMIN)
