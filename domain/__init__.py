"""The registry's domain model: aggregates, their events and invariants.

Imports only the standard library and ``eventsourcing.domain``.
"""
