"""Opening input files: only regular files, and no read larger than a limit.

An input path is whatever a person (or a script) points at: a FIFO named ``b.txt``
blocks ``open`` until a writer comes, a symlink to ``/dev/zero`` never ends, and
stdin may be ``yes``.  So a file is opened with ``O_NONBLOCK`` (opening a FIFO then
returns at once), its type is checked with ``fstat`` on the open descriptor (no
race between checking and reading), and every read asks for at most ``limit + 1``
bytes, so "too large" is known before anything is decoded or kept in memory.

Multi-article files (JSONL, CoNLL) are read a line at a time, each line bounded the
same way; the size limit then applies to each article, not to the file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from annotate.formats.base import FormatError
from annotate.limits import MAX_ARTICLE_CHARS

MAX_TEXT_BYTES = 4 * MAX_ARTICLE_CHARS
"""A text or Markdown file: UTF-8 needs at most 4 bytes a character, so a bigger file
cannot hold an article within :data:`MAX_ARTICLE_CHARS`."""
MAX_HTML_BYTES = 20 * 1024 * 1024
"""A saved web page: markup, inline scripts and styles run to megabytes around the text."""
MAX_JSON_BYTES = 256 * 1024 * 1024
"""A Label Studio export: one JSON list of tasks, parsed whole, so read whole."""
MAX_LINE_BYTES = 8 * MAX_ARTICLE_CHARS
"""A JSONL line (an article, JSON escapes and its annotations) or a CoNLL line."""
_CHUNK = 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(FormatError):
    """The path is a FIFO, device, socket or folder: never read as an article."""


def file_type(mode: int) -> str:
    """What a non-regular file is, in words (for the one-line error)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def is_regular(path: Path) -> bool:
    """True when ``path`` (a symlink followed) is a regular file; never blocks."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def open_regular(path: Path) -> IO[bytes]:
    """``path`` opened for binary reading, or :class:`NotRegularFile` / ``OSError``.

    ``O_NONBLOCK`` keeps a FIFO from blocking the open; the check is on the open
    descriptor, so a file swapped for a FIFO after a listing is still refused.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"{file_type(mode)}, not a regular file; skipped")
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def too_large(limit: int) -> str:
    """The reason given for an input over ``limit`` bytes."""
    return (
        f"too large (over {limit:,} bytes); an article may have at most "
        f"{MAX_ARTICLE_CHARS:,} characters, split it into articles first"
    )


def read_limited(handle: IO[bytes], limit: int) -> bytes:
    """All of ``handle``, or :class:`FormatError` as soon as it passes ``limit`` bytes."""
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        part = handle.read(min(_CHUNK, limit + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    if size > limit:
        raise FormatError(too_large(limit))
    return b"".join(parts)


def bounded_lines(handle: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """The lines of ``handle``; ``None`` in place of a line longer than ``limit``.

    A too-long line is skipped in chunks up to its newline, so it never sits in
    memory whole, and the line numbers of the following lines stay right.
    """
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while True:
            rest = handle.readline(_CHUNK)
            if not rest or rest.endswith(b"\n"):
                break
        yield None


def without_bom(lines: Iterable[bytes | None]) -> Iterator[bytes | None]:
    """``lines`` with a UTF-8 byte-order mark dropped from the first (Windows editors add it)."""
    for number, line in enumerate(lines):
        if number == 0 and line is not None and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        yield line


def decoded_lines(lines: Iterator[bytes | None]) -> Iterator[str | None]:
    """UTF-8 lines (a leading BOM dropped); ``FormatError`` naming the line otherwise."""
    for number, line in enumerate(lines, start=1):
        if line is None:
            yield None
            continue
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(
                f"line {number} is not UTF-8 text (byte 0x{line[exc.start]:02x}); import stopped"
            ) from None
        yield text
