"""From a path (or stdin) to imported articles: detect the kind, decode safely.

The one reader of ``newsread import`` and ``newsread analyze``: both read the same
files the same way.  Files are opened by :mod:`annotate.formats.opening` (regular
files only, every read bounded before decoding) and every result passes
:mod:`annotate.formats.admit` (size limit per article, labels checked, at most
twenty errors a file).

Kinds: plain text, Markdown, HTML, JSONL (one article, Prodigy task or doccano record
per line), CoNLL/IOB (and CoNLL-U-like), Label Studio JSON and brat standoff (the last
two chosen by ``annotated.read_annotated``). The extension decides, except that a
``.txt`` file that reads as CoNLL (wikigold ships as ``wikigold.conll.txt``) is read
as CoNLL, and content with no telling extension (stdin) is sniffed. Every problem is a
:class:`Failure` naming the file (and line): binary content, an empty file, bytes that
are not UTF-8, a file too large to be one article. JSONL and CoNLL files are streamed
a bounded line at a time, so a big file never sits in memory whole.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO

from annotate.clean import ArticleTooLarge, EmptyArticle, clean_article
from annotate.formats.admit import capped, checked
from annotate.formats.annotated import read_annotated
from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.conll import looks_like_conll, read_conll
from annotate.formats.doccano import read_json_lines as read_jsonl
from annotate.formats.html import article_from_html
from annotate.formats.label_studio import is_json_list, read_label_studio
from annotate.formats.opening import (
    MAX_HTML_BYTES,
    MAX_JSON_BYTES,
    MAX_TEXT_BYTES,
    bounded_lines,
    decoded_lines,
    file_type,
    is_regular,
    open_regular,
    read_limited,
    without_bom,
)
from annotate.limits import MAX_ARTICLE_CHARS
from annotate.model import Article

TEXT, MARKDOWN, HTML, JSONL, CONLL = "text", "markdown", "html", "jsonl", "conll"
JSON = "json"
KINDS = (TEXT, MARKDOWN, HTML, JSONL, CONLL, JSON)
EXTENSIONS = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".jsonl": JSONL,
    ".ndjson": JSONL,
    ".conll": CONLL,
    ".conllu": CONLL,
    ".json": JSON,
    ".conll03": CONLL,
    ".iob": CONLL,
    ".iob2": CONLL,
    ".bio": CONLL,
    ".bioes": CONLL,
}
SNIFF_BYTES = 64 * 1024
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


def kind_from_name(name: str) -> str | None:
    """The kind an extension says, or ``None`` when it says nothing we read."""
    return EXTENSIONS.get(Path(name).suffix.lower())


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM dropped); :class:`FormatError` for binary or other encodings.

    Binary is told by a NUL byte or by more than one control byte in ten at the
    start (a PDF, an image, a stream of random bytes), before any decoding.
    """
    head = data[:SNIFF_BYTES]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if b"\x00" in head or controls > len(head) // 10:
        raise FormatError("binary file (it contains NUL or control bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"convert it to UTF-8 first"
        ) from exc
    if not text.strip():
        raise FormatError("empty file")
    return text


def sniff(text: str) -> str:
    """The kind of content without a telling name (stdin, unknown extensions)."""
    head = text.lstrip()[:SNIFF_BYTES]
    if head.startswith("{"):
        return JSONL
    if re.match(r"<(!doctype html|html|head|body|article|div|p)\b", head, re.IGNORECASE):
        return HTML
    if looks_like_conll(islice(head.splitlines(), 200)):
        return CONLL
    return TEXT


def iter_paths(paths: Iterable[str]) -> Iterator[Path | Failure]:
    """Files to read, folders walked recursively in name order; ``-`` stays as is.

    Inside a folder only regular files with a known extension are taken (hidden ones
    are skipped); a FIFO, device or socket with such a name is named as a failure,
    never opened.  Symlinks are followed to regular files only.  A file named on the
    command line is taken whatever its name, if it is a regular file.
    """
    for name in paths:
        if name == "-":
            yield Path("-")
            continue
        path = Path(name).expanduser()
        if path.is_dir():
            yield from _walk(path)
        elif is_regular(path):
            yield path
        elif path.exists():
            yield Failure(str(path), _not_regular(path))
        else:
            yield Failure(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Path | Failure]:
    found = False
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if file.startswith(".") or not kind_from_name(file):
                continue
            path = Path(root) / file
            found = True
            if is_regular(path):
                yield path
            elif path.exists():
                yield Failure(str(path), _not_regular(path))
            else:
                yield Failure(str(path), "a broken symlink; skipped")
    if not found:
        yield Failure(str(folder), f"folder holds no files to read ({', '.join(EXTENSIONS)})")


def _not_regular(path: Path) -> str:
    try:
        return f"{file_type(path.stat().st_mode)}, not a regular file; skipped"
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"


def read_path(
    path: Path,
    *,
    as_suggestions: bool = False,
    annotator: str | None = None,
    tag_column: int | None = None,
) -> Iterator[Imported | Failure]:
    """The articles of one file (or failures naming it); never raises for bad content.

    Only a regular file is read, and no read is larger than the kind's limit.
    Failures past :data:`MAX_ERRORS_SHOWN` are summed up in one last failure.
    """
    items = _read_path(path, as_suggestions, annotator, tag_column)
    yield from capped(checked(items), str(path))


def _read_path(
    path: Path, as_suggestions: bool, annotator: str | None, tag_column: int | None
) -> Iterator[Imported | Failure]:
    where = str(path)
    now = time.time()
    try:
        annotated = read_annotated(
            path, as_suggestions=as_suggestions, annotator=annotator, now=now
        )
        if annotated is not None:
            yield from annotated
            return
        with open_regular(path) as handle:
            kind = kind_from_name(path.name)
            if kind == JSONL:
                yield from read_jsonl(
                    without_bom(bounded_lines(handle)),
                    where,
                    as_suggestions=as_suggestions,
                    annotator=annotator,
                    now=now,
                )
                return
            if kind in (CONLL, TEXT, None):
                head = handle.read(SNIFF_BYTES)
                handle.seek(0)
                if kind == CONLL or _head_is_conll(head):
                    lines = decoded_lines(bounded_lines(handle))
                    yield from read_conll(
                        lines, where, as_suggestions=as_suggestions, annotator=annotator,
                        now=now, tag_column=tag_column,
                    )  # fmt: skip
                    return
            data = read_limited(handle, MAX_HTML_BYTES if kind == HTML else MAX_TEXT_BYTES)
    except FormatError as exc:
        yield Failure(where, str(exc))
        return
    except OSError as exc:
        yield Failure(where, f"cannot read it ({exc.strerror or exc})")
        return
    yield from read_bytes(
        data, where, kind=kind, as_suggestions=as_suggestions, annotator=annotator, now=now,
        tag_column=tag_column,
    )  # fmt: skip


def read_stream(
    stream: IO[bytes],
    where: str = "<stdin>",
    *,
    as_suggestions: bool = False,
    annotator: str | None = None,
    tag_column: int | None = None,
) -> Iterator[Imported | Failure]:
    """The articles of a stream (stdin): sniffed, and bounded like a file.

    JSONL and CoNLL are read a bounded line at a time (the limit is per article);
    anything else is one article, read to at most :data:`MAX_TEXT_BYTES` + 1 bytes,
    so ``yes | newsread import -`` stops with "too large" instead of eating memory;
    content that starts with ``[`` may be a Label Studio export, up to
    :data:`MAX_JSON_BYTES`.
    """
    now = time.time()

    def lines(first: bytes) -> Iterator[bytes | None]:
        yield first
        yield from bounded_lines(stream)

    try:
        head = stream.readline(SNIFF_BYTES)
        kind = sniff(head.decode("utf-8", errors="replace")) if head.strip() else TEXT
        if kind == JSONL:
            yield from capped(
                checked(
                    read_jsonl(
                        without_bom(lines(head)),
                        where,
                        as_suggestions=as_suggestions,
                        annotator=annotator,
                        now=now,
                    )
                ),
                where,
            )
            return
        limit = MAX_JSON_BYTES if head.lstrip().startswith(b"[") else MAX_TEXT_BYTES
        data = head + read_limited(stream, limit - len(head))
    except FormatError as exc:
        yield Failure(where, str(exc))
        return
    yield from capped(
        checked(
            read_bytes(
                data,
                where,
                as_suggestions=as_suggestions,
                annotator=annotator,
                now=now,
                tag_column=tag_column,
            )  # fmt: skip
        ),
        where,
    )


def _head_is_conll(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="ignore")
    lines = text.splitlines()
    if len(head) == SNIFF_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut
    return looks_like_conll(lines)


def read_bytes(
    data: bytes,
    where: str,
    *,
    kind: str | None = None,
    as_suggestions: bool = False,
    annotator: str | None = None,
    now: float | None = None,
    tag_column: int | None = None,
) -> Iterator[Imported | Failure]:
    """The articles held in ``data`` (already read within a limit), of ``kind`` or sniffed."""
    stamp = time.time() if now is None else now
    if kind == JSON or (kind is None and is_json_list(data)):
        yield from read_label_studio(
            data, where, as_suggestions=as_suggestions, annotator=annotator, now=stamp
        )
        return
    text = ""
    if kind != JSONL:  # JSONL is decoded line by line, each line on its own
        try:
            text = decode(data)
        except FormatError as exc:
            yield Failure(where, str(exc))
            return
        kind = kind or sniff(text)
        if kind == TEXT and looks_like_conll(islice(text.splitlines(), 200)):
            kind = CONLL
    if kind == JSONL:
        yield from read_jsonl(
            without_bom(data.splitlines()),
            where,
            as_suggestions=as_suggestions,
            annotator=annotator,
            now=stamp,
        )
    elif kind == CONLL:
        yield from read_conll(
            text.splitlines(), where, as_suggestions=as_suggestions, annotator=annotator,
            now=stamp, tag_column=tag_column,
        )  # fmt: skip
    else:
        try:
            yield Imported(article_from_text(text, kind, source=where), None, where)
        except FormatError as exc:
            yield Failure(where, str(exc))


def article_from_text(text: str, kind: str, *, source: str) -> Article:
    """One article from a text, Markdown or HTML file's content."""
    if kind == HTML:
        return article_from_html(text, source=source)
    meta: dict[str, str] = {}
    if kind == MARKDOWN:
        text, meta = markdown_to_text(text)
    try:
        return clean_article(text, source=source, meta=meta or None)
    except ArticleTooLarge:
        raise FormatError(
            f"too large ({len(text):,} characters); an article may have at most "
            f"{MAX_ARTICLE_CHARS:,} characters, split it into articles first"
        ) from None
    except EmptyArticle as exc:
        raise FormatError(str(exc)) from None


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_MD_RULES = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE), r"\1"),  # headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
)


def markdown_to_text(text: str) -> tuple[str, dict[str, str]]:
    """Markdown as the plain text a reader sees, plus ``title``/``date`` front matter."""
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip() in ("title", "date", "author"):
                meta[key.strip()] = value.strip().strip("\"'")
        text = text[match.end() :]
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    meta["format"] = MARKDOWN
    return text, meta
