"""The decision journal: an append-only, fsynced log that makes a keystroke durable.

``journal.jsonl`` holds one JSON object per line.  The first line is a header
``{"kind": "newsread-journal", "base": N}``; every following line is one operation on
one article, numbered on from ``N``::

    {"seq": 41, "article": "3f2a…", "op": "commit", "edit": {…}}
    {"seq": 42, "article": "3f2a…", "op": "undo"}

A decision is durable when :meth:`Journal.append` returns: the line was written with
one ``write`` and ``fdatasync``-ed.  Appending a few hundred bytes costs the same at
10 or 100,000 annotations, and unlike rewriting the article file it needs no rename and
no folder ``fsync`` (the file already exists), which is what keeps a decision well under
the 2 ms budget (``bench/store.py`` measures it).

The store folds the journal into the article files now and then (a *checkpoint*:
rewrite the touched articles, each recording the last ``seq`` it includes, then replace
the journal by a header with the new base).  Replay is idempotent -- an entry is applied
to an article only if its ``seq`` is above the one stored in the article file -- so a
crash at any point of a checkpoint loses nothing and applies nothing twice.

A torn last line (a write cut short by a crash, never acknowledged) is ignored; the
writer folds the journal and starts a fresh one when it opens the store.  Any other
damage is reported as :class:`~store.errors.StoreCorrupt`, and the file is left as it is.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from store.durable import fsync_dir, write_all
from store.errors import StoreCorrupt, StoreWriteError

JOURNAL_NAME = "journal.jsonl"
JOURNAL_KIND = "newsread-journal"


@dataclass(slots=True)
class JournalContent:
    """What a journal file holds: its base, its entries and where the valid part ends."""

    base: int = 0
    entries: list[dict[str, Any]] = field(default_factory=list)
    valid_size: int = 0
    torn_bytes: int = 0
    exists: bool = False

    @property
    def last_seq(self) -> int:
        """The number of the last entry (the base when there is none)."""
        return int(self.entries[-1]["seq"]) if self.entries else self.base


def datasync(fd: int) -> None:
    """Flush a file's data (and the size needed to read it back) to the disk.

    ``fdatasync`` skips the metadata a later read does not need, such as the
    modification time; where the system lacks it (macOS) ``fsync`` does the same job.
    """
    sync = getattr(os, "fdatasync", None) or os.fsync
    sync(fd)


def header(base: int) -> bytes:
    """The first line of a journal whose entries start after ``base``."""
    return orjson.dumps({"kind": JOURNAL_KIND, "base": base}) + b"\n"


def read_journal(path: Path) -> JournalContent:
    """Parse a journal file; a torn final fragment is reported, not treated as damage."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return JournalContent()
    except OSError as exc:
        raise StoreCorrupt(path, f"cannot read it: {exc.strerror or exc}") from exc
    content = JournalContent(exists=True)
    end = raw.rfind(b"\n") + 1  # everything after the last newline is a torn write
    content.valid_size, content.torn_bytes = end, len(raw) - end
    if end == 0:
        return content
    lines = raw[:end].split(b"\n")[:-1]
    for number, line in enumerate(lines, start=1):
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise StoreCorrupt(path, f"line {number} is not valid JSON ({exc})") from exc
        if number == 1:
            if not isinstance(data, dict) or data.get("kind") != JOURNAL_KIND:
                raise StoreCorrupt(path, "its first line is not a journal header")
            content.base = _int(data.get("base"), path, number)
            continue
        if not isinstance(data, dict) or not isinstance(data.get("article"), str):
            raise StoreCorrupt(path, f"line {number} is not a journal entry")
        expected = content.last_seq + 1
        if _int(data.get("seq"), path, number) != expected:
            raise StoreCorrupt(path, f"line {number} has seq {data.get('seq')}, not {expected}")
        content.entries.append(data)
    return content


def _locked_replacement(path: Path, payload: bytes) -> int:
    """Replace ``path`` by a new file holding ``payload`` (atomically, synced), locked
    (``flock``) before it takes the name and open for appending; returns its descriptor.

    The lock tells a writer started meanwhile that this journal is in use
    (``store.lock.journal_in_use``); taken before the rename, it leaves no moment when
    the journal at ``path`` is unlocked.  Raises :class:`StoreWriteError` (the old file
    is then untouched)."""
    fd, tmp_name = -1, ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
        write_all(fd, payload)
        os.fsync(fd)
        os.replace(tmp_name, path)
        tmp_name = ""
        fsync_dir(path.parent)
    except OSError as exc:
        if fd >= 0:
            os.close(fd)
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise StoreWriteError(
            f"cannot write {path}: {exc.strerror or exc}; the previous version is untouched"
        ) from exc
    return fd


def _int(value: Any, path: Path, line: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise StoreCorrupt(path, f"line {line} has no valid sequence number")
    return value


class Journal:
    """The writer's handle on ``journal.jsonl``: append durably, reset after a checkpoint.

    The writer always starts a fresh journal (after folding the old one into the
    article files), so it never appends after a torn or foreign tail.
    """

    def __init__(self, path: Path, base: int) -> None:
        """Replace the journal by an empty one whose entries will follow ``base``."""
        self.path = path
        self.base = base
        self.count = 0
        self._fd = -1
        self._size = 0
        self._failure: str | None = None
        self.reset(base)

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry and wait until it is on disk.

        On failure (disk full, I/O error) the partial line is cut off again and
        :class:`StoreWriteError` is raised: the entry was not saved.
        """
        if self._failure is not None:
            raise StoreWriteError(self._failure)
        line = orjson.dumps(entry) + b"\n"
        try:
            write_all(self._fd, line)
            datasync(self._fd)
        except OSError as exc:
            self._rollback()
            raise StoreWriteError(
                f"cannot save to {self.path}: {exc.strerror or exc}; "
                f"the last decision was NOT saved"
            ) from exc
        self._size += len(line)
        self.count += 1

    def _rollback(self) -> None:
        try:
            os.ftruncate(self._fd, self._size)
            datasync(self._fd)
        except OSError as exc:
            self._failure = (
                f"{self.path} could not be repaired after a failed write "
                f"({exc.strerror or exc}); nothing more can be saved: close newsread "
                f"and open it again"
            )

    def reset(self, base: int) -> None:
        """Replace the journal by an empty one starting after ``base``.

        It is a new file (atomic rename): the old one, possibly hard-linked from a
        backup, is never truncated in place.  Raises :class:`StoreWriteError`; if the
        new file cannot be opened after the rename, every later append fails too
        rather than writing to the replaced file.
        """
        payload = header(base)
        new_fd = _locked_replacement(self.path, payload)
        self.close()
        self._fd = new_fd
        self._size = len(payload)
        self.base, self.count = base, 0
        self._failure = None

    def replaced(self) -> bool:
        """Whether the file at :attr:`path` is no longer the one this journal appends
        to (removed or replaced by hand): appends would then reach no file."""
        try:
            return os.stat(self.path).st_ino != os.fstat(self._fd).st_ino
        except OSError:
            return True

    def close(self) -> None:
        """Close the file handle (every append is already on disk)."""
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = -1
