"""Every registry command that records events answers a repeated submission with the first
result: it is declared with ``@once`` or ``@creates`` (``registry/submissions.py``)."""

from __future__ import annotations

import inspect

from registry.facade import Registry

# Commands a person runs before signing in carry no submission key; a repeat is refused by
# the record itself: a username is taken once, a reset link is spent once.
SIGNED_OUT = {"AccountCommands.request_account", "AccountCommands.reset_password"}


def recording_commands() -> dict[str, object]:
    found = {}
    for mixin in Registry.__mro__:
        if not mixin.__module__.startswith("registry.commands."):
            continue
        for name, member in vars(mixin).items():
            if name.startswith("_") or not callable(member):
                continue
            source = inspect.getsource(inspect.unwrap(member))
            if "save_changes(" in source or "self.save(" in source:
                found[f"{mixin.__name__}.{name}"] = member
    return found


def test_the_enumeration_finds_the_commands() -> None:
    names = recording_commands()
    assert "AgreementCommands.countersign_agreement" in names
    assert "PlacementCommands.remove_cross_party_placements" in names


def test_every_recording_command_is_keyed_by_its_submission() -> None:
    unkeyed = sorted(
        name
        for name, member in recording_commands().items()
        if not hasattr(member, "__wrapped__") and name not in SIGNED_OUT
    )
    assert unkeyed == []
