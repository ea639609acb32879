"""What the log holds, counted in one streamed pass (``registry stats``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from registry.application import RegistryApplication


@dataclass
class LogStats:
    events: int = 0
    position: int = 0
    records: Counter[str] = field(default_factory=Counter)
    event_types: Counter[str] = field(default_factory=Counter)


def log_stats(app: RegistryApplication) -> LogStats:
    stats = LogStats()
    for position, domain_event in app.read_log():
        kind = type(domain_event).__qualname__.rpartition(".")[0]
        stats.events += 1
        stats.position = position
        stats.event_types[type(domain_event).__qualname__] += 1
        if domain_event.originator_version == 1:
            stats.records[kind] += 1
    return stats
