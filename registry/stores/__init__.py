"""The stores beside the log: students' keys, the access log, password hashes, failed sign-ins.

Each store is a protocol with a SQLite adapter here (a file of its own in the data directory)
and a PostgreSQL adapter in ``registry.stores.postgres`` (tables in the event store's database,
shared by every node); ``side_stores.SideStores`` picks the kind the event store implies.
"""
