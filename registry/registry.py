"""The registry application assembled from its command mixins."""

from __future__ import annotations

from registry.commands.accounts import AccountCommands
from registry.commands.agreements import AgreementCommands
from registry.commands.enterprises import EnterpriseCommands
from registry.commands.schools import SchoolCommands


class Registry(SchoolCommands, EnterpriseCommands, AgreementCommands, AccountCommands):
    """Every command of the registry; build one per process with ``Registry(settings)``."""

    name = "Registry"
