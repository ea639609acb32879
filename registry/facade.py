"""Every command of the registry in one object, assembled from its command mixins."""

from __future__ import annotations

from registry.commands.accounts import AccountCommands
from registry.commands.agreements import AgreementCommands
from registry.commands.enterprises import EnterpriseCommands
from registry.commands.groups import GroupCommands
from registry.commands.organisations import OrganisationCommands
from registry.commands.placements import PlacementCommands
from registry.commands.returns import ReturnCommands
from registry.commands.schools import SchoolCommands
from registry.commands.teachers import TeacherCommands


class Registry(
    SchoolCommands,
    EnterpriseCommands,
    AgreementCommands,
    OrganisationCommands,
    GroupCommands,
    TeacherCommands,
    ReturnCommands,
    PlacementCommands,
    AccountCommands,
):
    """Every command of the registry; build one per process with ``Registry(settings)``."""

    name = "Registry"
