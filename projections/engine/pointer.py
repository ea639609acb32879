"""The read-model files ("generations") of one directory, and the pointer to the live one.

``<dir>/CURRENT`` names the live file, ``<dir>/views-<n>.sqlite3``. Every connection reads
the pointer when it opens, so a rebuild writes a fresh ``views-<n+1>.sqlite3`` beside the
live file, catches it up, and switches by replacing the small pointer file: no database
file is ever renamed or replaced while another process has it open. Processes that still
hold the old file finish what they are doing on it and open the new one next time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from registry.private_files import private_directory, private_file

POINTER = "CURRENT"
_GENERATION = re.compile(r"views-(\d+)\.(sqlite3|lock|part\.sqlite3)(-wal|-shm)?$")


class Generations:
    """The numbered read-model files under ``directory``, their lock files and the pointer."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, generation: int) -> Path:
        return self.directory / f"views-{generation}.sqlite3"

    def lock_path(self, generation: int) -> Path:
        """The lock a writer of that file holds for a whole catch-up."""
        return self.directory / f"views-{generation}.lock"

    def part_path(self, generation: int) -> Path:
        """Where a rebuild's second process builds its views."""
        return self.directory / f"views-{generation}.part.sqlite3"

    def rebuild_lock(self) -> Path:
        """The lock a rebuild holds, so that two processes never build at once."""
        private_directory(self.directory)
        return self.directory / "rebuild.lock"

    def live(self) -> int | None:
        """The live generation's number, as the pointer says now (None before the first build)."""
        try:
            name = (self.directory / POINTER).read_text().strip()
        except FileNotFoundError:
            return None
        match = _GENERATION.match(name)
        if match is None:
            raise RuntimeError(f"{self.directory / POINTER} names no read-model file: {name!r}")
        return int(match.group(1))

    def point_to(self, generation: int) -> None:
        """Make ``generation`` the live one: the pointer is replaced whole, on disk."""
        pointer = self.directory / POINTER
        temporary = pointer.with_name(f"{POINTER}.{os.getpid()}.tmp")
        with open(private_file(temporary), "w") as handle:
            handle.write(self.path(generation).name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, pointer)
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def on_disk(self) -> set[int]:
        found = (_GENERATION.match(p.name) for p in self.directory.iterdir())
        return {int(m.group(1)) for m in found if m}

    def remove(self, generation: int) -> None:
        for suffix in (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".lock", ".part.sqlite3"):
            self.directory.joinpath(f"views-{generation}{suffix}").unlink(missing_ok=True)
