"""The registry application assembled from its command mixins."""

from __future__ import annotations

from registry.commands.agreements import AgreementCommands
from registry.commands.enterprises import EnterpriseCommands
from registry.commands.schools import SchoolCommands
from registry.commands.student_reads import StudentReads


class Registry(SchoolCommands, EnterpriseCommands, AgreementCommands, StudentReads):
    """Every command of the registry; build one per process with ``Registry(settings)``."""

    name = "Registry"
