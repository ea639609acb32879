"""The read-side engine: it keeps read models from the event log; the views only say what to keep.

A view module (projections/agreements.py is the model) declares a ``View`` with its tables'
migrations, a code version and one handler per event topic, and its queries beside it. It
imports only what this module exports; everything else here is the engine's own business.

What the engine guarantees to every view it is given:

- **Exactly once.** Each view's position (the last notification applied) is kept in the
  read-model file it writes, and a batch's rows and new positions commit in one
  transaction. A crash before the commit leaves both as they were; a notification fed twice
  changes nothing; two processes applying the same batch serialise on SQLite's write lock
  and the second finds nothing to do. The follower asks for notifications *after* its
  position, never for ``position + 1``, so the gaps of a PostgreSQL log are harmless
  (projector.py).
- **Row versions.** Every view table keeps its past as row versions, written at the
  position of each event with no help from the view (versions.py, rows.py), so every query
  can answer as of a position or as recorded by a day (asof.py). Tables declared logs or
  internal keep none.
- **Generations.** The read models live in one file named by a small pointer file. When a
  view's code version or the engine's file format changes, a new file is built from the log
  beside the live one, caught up, and switched to by replacing the pointer: readers never see
  a half-built file, and no open file is ever renamed (pointer.py, rebuilds.py).
- **Read-your-writes.** Once attached to the application (``projections.attach``), a command
  returns only after the read models include its events; a process that needs a position
  another process is writing waits for it and then finds it reached.
- **Followers keep their own files.** A reader of the log whose file must outlive rebuilds
  (a ``Follower``) gets the same exactly-once guarantee in a file of its own beside the
  generations, is caught up with the views after every command, and is never rebuilt
  (followers.py).
- **Damaged events stop a catch-up.** A stored event that does not decode stops the views
  just before it: the events before it are applied, and ``CorruptEvent`` names the event
  and the position kept (docs/reliability.md, "A damaged event"). Nothing after it is
  skipped silently.

The views' handlers receive each event as a ``Recorded`` (events.py) and change rows only
through the ``Rows`` of the transaction they run in; queries read through ``source`` and
``as_stood`` (as of a position) and page with ``Where``/``page``.
"""

from __future__ import annotations

from projections.engine.asof import as_stood, position_on, source
from projections.engine.events import Recorded, SealedText
from projections.engine.followers import Follower, FollowerOutdated
from projections.engine.paging import MAX_LIMIT, Page, Where, counts, page
from projections.engine.projector import EventLog, Notification
from projections.engine.rows import Rows, json_text
from projections.engine.view import Handler, View, topic

__all__ = [
    "MAX_LIMIT",
    "EventLog",
    "Follower",
    "FollowerOutdated",
    "Handler",
    "Notification",
    "Page",
    "Recorded",
    "Rows",
    "SealedText",
    "View",
    "Where",
    "as_stood",
    "counts",
    "json_text",
    "page",
    "position_on",
    "source",
    "topic",
]
