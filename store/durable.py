"""Atomic, durable file replacement, and a TinyDB storage built on it.

TinyDB's default ``JSONStorage`` truncates the file and writes it again in place, so a
crash in the middle leaves half a JSON document: the whole dataset lost.  Here a file
is replaced by writing the new content to a temporary file in the same folder,
``fsync``-ing it, renaming it over the old file (atomic on POSIX) and ``fsync``-ing the
folder so that the rename itself survives a power cut.  A reader therefore sees the
old or the new file, never a mix, and a file is never modified in place -- which is
also what makes hard-link backups (``store.backup``) safe and cheap.

Every file is identified by a *signature* ``(inode, mtime_ns, size)``: a replaced file
always has a new inode, so a cache keyed by signature (``index.json``) notices it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from annotate.disk import fsync_dir
from store.errors import StoreCorrupt, StoreWriteError

Signature = tuple[int, int, int]


def signature_of(st: os.stat_result) -> Signature:
    """The signature of a file from its ``stat``: changes whenever the file is replaced."""
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def write_all(fd: int, payload: bytes) -> None:
    """Write every byte of ``payload`` (``os.write`` may write less than asked)."""
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write_bytes(path: Path, payload: bytes) -> Signature:
    """Replace ``path`` with ``payload`` so that a crash leaves the old or the new file.

    Returns the new file's signature.  Raises :class:`StoreWriteError` (naming the file)
    when the disk is full or the folder is not writable; the old file is then untouched.
    """
    folder = path.parent
    tmp_name = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            write_all(fd, payload)
            os.fsync(fd)
            signature = signature_of(os.fstat(fd))
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
        tmp_name = None
        fsync_dir(folder)
    except OSError as exc:
        raise StoreWriteError(
            f"cannot write {path}: {exc.strerror or exc}; the previous version is untouched"
        ) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return signature


def remove_temp_files(folder: Path) -> int:
    """Delete the temporary files that writes killed half-way left in ``folder``.

    Only the writer may call this (a running write's temporary file would vanish
    otherwise).  Returns how many were removed.
    """
    removed = 0
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def read_json_file(path: Path) -> Any:
    """The parsed content of ``path`` (``None`` if missing); :class:`StoreCorrupt` naming
    the file if it cannot be read or parsed."""
    return read_json_with_signature(path)[0]


def read_json_with_signature(
    path: Path, prepare: Callable[[bytes], bytes] | None = None
) -> tuple[Any, Signature | None]:
    """The parsed content of ``path`` and the signature of the very file that was read;
    ``prepare`` may cut out of the bytes what the reader does not need parsed."""
    try:
        with open(path, "rb") as handle:
            signature = signature_of(os.fstat(handle.fileno()))
            raw = handle.read()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise StoreCorrupt(path, f"cannot read it: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise StoreCorrupt(path, "it is empty")
    try:
        return orjson.loads(prepare(raw) if prepare else raw), signature
    except orjson.JSONDecodeError as exc:
        raise StoreCorrupt(path, f"it is not valid JSON ({exc})") from exc


class DurableStorage(Storage):
    """TinyDB storage: one JSON file, replaced atomically and fsynced on every write.

    The content is read from disk once and then served from memory: an ``ArticleFile``
    lives for one operation, and only the writer process replaces the file.
    :attr:`signature` is the signature of the file last read or written.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        prepare: Callable[[bytes], bytes] | None = None,
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.prepare = prepare
        """Applied to the file's bytes before they are parsed (see ``read_json_with_signature``)."""
        self.signature: Signature | None = None
        self._data: dict[str, Any] | None = None

    def read(self) -> dict[str, Any] | None:
        """The whole database (``None`` when the file does not exist yet)."""
        if self._data is None:
            data, self.signature = read_json_with_signature(self.path, self.prepare)
            if data is not None and not isinstance(data, dict):
                raise StoreCorrupt(self.path, "it does not hold a JSON object")
            self._data = data
        return self._data

    def write(self, data: dict[str, Any], payload: bytes | None = None) -> None:
        """Replace the file with ``data`` now (on failure the old file is kept).

        ``payload``, when given, is written instead of ``orjson.dumps(data)``: ``data``
        serialised by the caller with what it adds after it (an article file's extra
        table, ``store.trailer.file_bytes``; held in memory as ``data`` alone)."""
        if self.readonly:
            raise StoreWriteError(f"{self.path} is open read-only")
        self.signature = atomic_write_bytes(self.path, payload or orjson.dumps(data))
        self._data = data

    def close(self) -> None:
        """Nothing to release: every write is complete when it returns."""
