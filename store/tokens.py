"""Token packs: the cached tokens of imported articles, one immutable file per import batch.

An export needs every article's tokens.  They are a pure function of the text, so the
store keeps them once made, as opaque bytes (made by its rewrite hook,
``store.trailer.RewriteHook``, whose format they are).
``tokens/<name>.pack`` holds the tokens of the articles of one ``add_articles`` batch::

    record, record, ...                the bytes kept for each article, back to back
    {"<article id>": [offset, size], ...}      the index, JSON
    b"NRTOKENS" + offset and size of the index (8-byte little-endian each)

Why packs and not a table of the article file or a file per article (both measured with
``bench/export.py``): inside the article's TinyDB file, ``orjson`` must unescape ~5 kB of
JSON-in-a-string per article and the exporter encode it back, which cost more than
reading the rest of the article; a file per article costs an ``open``/``read``/
``close`` per article, a tenth of an export's time.  A pack's index is read once, then
each article's record is one ``pread``.  (Mapping the packs into memory is a little
faster still, but every page read stays resident, so the export's memory would grow
with the store.)

A pack is a cache in the strict sense.  It is written once, atomically and synced (one
sync per import batch), never modified, and left out of backups; its reader checks its
trailer (a pack cut short is ignored) and every record (``CachedTokens.from_bytes``:
tokenizer, text length, layout).  A record that is missing, damaged or made by
another tokenizer version is simply not used, and the exporter tokenizes that article
again.  Nothing else reads the packs, so deleting ``tokens/`` loses nothing but speed.
"""

from __future__ import annotations

import contextlib
import os
import struct
import time
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import orjson

from store.durable import atomic_write_bytes
from store.errors import StoreWriteError

PACKS_DIR = "tokens"
PACK_SUFFIX = ".pack"


MAGIC = b"NRTOKENS"
_TRAILER = struct.Struct("<8sQQ")


def write_pack(root: Path, records: Iterable[tuple[str, bytes]]) -> Path | None:
    """Write one pack of ``(article id, bytes)`` records into ``root/tokens``; returns its
    path, or ``None`` when there was nothing to write or it could not be written (a
    full disk, say: nothing is lost, exports tokenize those articles again)."""
    chunks: list[bytes] = []
    index: dict[str, tuple[int, int]] = {}
    offset = 0
    for article_id, data in records:
        chunks.append(data)
        index[article_id] = (offset, len(data))
        offset += len(data)
    if not index:
        return None
    table = orjson.dumps(index)
    chunks += [table, _TRAILER.pack(MAGIC, offset, len(table))]
    path = root / PACKS_DIR / f"{time.time_ns():020d}-{os.getpid()}{PACK_SUFFIX}"
    try:
        atomic_write_bytes(path, b"".join(chunks))
    except StoreWriteError:
        return None
    return path


class TokenPacks:
    """The reading side: where each article's record is (the packs' indexes, read on
    first use: a few milliseconds for ten thousand articles) and a few open packs.

    Packs written later are not seen.  At most :attr:`OPEN_PACKS` packs are open at a
    time (the least recently read is closed), so a store imported in thousands of
    batches does not run out of file descriptors; an export reads the articles in the
    order they were imported, so it opens each pack about once.
    """

    OPEN_PACKS = 16

    def __init__(self, root: Path) -> None:
        self._paths: list[Path] = []
        self._where: dict[str, tuple[int, int, int]] = {}
        self._open: OrderedDict[int, int] = OrderedDict()
        folder = root / PACKS_DIR
        with contextlib.suppress(FileNotFoundError):
            # Oldest first, so that a later record for the same article wins.
            for name in sorted(os.listdir(folder)):
                if name.endswith(PACK_SUFFIX) and not name.startswith("."):
                    self._add(folder / name)

    def _add(self, path: Path) -> None:
        """Read a pack's index; a pack that cannot be read or is cut short is skipped."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            size = os.fstat(fd).st_size
            if size < _TRAILER.size:
                return
            magic, offset, length = _TRAILER.unpack(
                os.pread(fd, _TRAILER.size, size - _TRAILER.size)
            )
            if magic != MAGIC or offset + length + _TRAILER.size != size:
                return
            index = orjson.loads(os.pread(fd, length, offset))
            number = len(self._paths)
            found = {
                article_id: (number, start, count)
                for article_id, (start, count) in index.items()
                if type(start) is int
                and type(count) is int
                and 0 <= start <= offset - count
                and count >= 0
            }
        except (OSError, ValueError, TypeError, struct.error):  # JSONDecodeError is one
            return
        finally:
            os.close(fd)
        self._paths.append(path)
        self._where.update(found)

    def get(self, article_id: str) -> bytes | None:
        """The bytes kept for this article, if any (unchecked: see the module)."""
        found = self._where.get(article_id)
        if found is None:
            return None
        number, start, count = found
        try:
            return os.pread(self._fd(number), count, start)
        except OSError:
            return None

    def head(self, article_id: str, size: int = 256) -> bytes | None:
        """The first ``size`` bytes kept for this article (a record's header), if any."""
        found = self._where.get(article_id)
        if found is None:
            return None
        number, start, count = found
        try:
            return os.pread(self._fd(number), min(size, count), start)
        except OSError:
            return None

    def _fd(self, number: int) -> int:
        fd = self._open.get(number)
        if fd is not None:
            self._open.move_to_end(number)
            return fd
        fd = os.open(self._paths[number], os.O_RDONLY)
        self._open[number] = fd
        if len(self._open) > self.OPEN_PACKS:
            os.close(self._open.popitem(last=False)[1])
        return fd

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        """Close the open packs and forget the indexes."""
        self._where.clear()
        for fd in self._open.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._open.clear()
