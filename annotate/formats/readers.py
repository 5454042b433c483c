"""From a path (or stdin's bytes) to imported articles: detect the kind, decode safely.

Kinds: plain text, Markdown, HTML, JSONL (one article, Prodigy task or doccano record
per line), CoNLL/IOB (and CoNLL-U-like), Label Studio JSON and brat standoff (the last
two chosen by ``annotated.read_annotated``).  The extension decides, except that a
``.txt`` file that reads as CoNLL (wikigold ships as ``wikigold.conll.txt``) is read
as CoNLL, and content with no telling extension (stdin) is sniffed.  Every problem is
a :class:`Failure` naming the file (and line): binary content, an empty file, bytes
that are not UTF-8, a file too large to be one article.  JSONL and CoNLL files are
streamed, so a big file never sits in memory whole.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from annotate.clean import clean_article
from annotate.formats.annotated import read_annotated
from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.conll import looks_like_conll, read_conll
from annotate.formats.doccano import read_json_lines as read_jsonl
from annotate.formats.html import article_from_html
from annotate.formats.label_studio import is_json_list, read_label_studio
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
    ".json": JSON,
    ".conllu": CONLL,
    ".conll": CONLL,
    ".conll03": CONLL,
    ".iob": CONLL,
    ".iob2": CONLL,
    ".bio": CONLL,
    ".bioes": CONLL,
}
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
"""A single-article file larger than this is refused (nobody annotates 20 MB of text)."""
SNIFF_BYTES = 64 * 1024


def kind_from_name(name: str) -> str | None:
    """The kind an extension says, or ``None`` when it says nothing we read."""
    return EXTENSIONS.get(Path(name).suffix.lower())


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM dropped); :class:`FormatError` for binary or other encodings."""
    if b"\x00" in data[:SNIFF_BYTES]:
        raise FormatError("binary file (it contains NUL bytes), not text")
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
    """Files to import, folders walked recursively in name order; ``-`` stays as is.

    Inside a folder only files with a known extension are taken (hidden ones are
    skipped); a file named on the command line is taken whatever its name.
    """
    for name in paths:
        if name == "-":
            yield Path("-")
            continue
        path = Path(name).expanduser()
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file in sorted(files):
                    if not file.startswith(".") and kind_from_name(file):
                        yield Path(root) / file
        elif path.is_file():
            yield path
        elif path.exists():
            yield Failure(str(path), "not a regular file")
        else:
            yield Failure(str(path), "no such file or folder")


def read_path(
    path: Path,
    *,
    as_suggestions: bool = False,
    annotator: str | None = None,
    tag_column: int | None = None,
) -> Iterator[Imported | Failure]:
    """The articles of one file (or failures naming it); never raises for bad content."""
    where = str(path)
    now = time.time()
    try:
        annotated = read_annotated(
            path, as_suggestions=as_suggestions, annotator=annotator, now=now
        )
        if annotated is not None:
            yield from annotated
            return
        kind = kind_from_name(path.name)
        if kind == JSONL:
            with path.open("rb") as handle:
                yield from read_jsonl(
                    handle, where, as_suggestions=as_suggestions, annotator=annotator, now=now
                )
            return
        if kind in (CONLL, TEXT, None):
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
            if _head_is_conll(head) or kind == CONLL:
                yield from _read_conll_file(path, as_suggestions, annotator, now, tag_column)
                return
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            yield Failure(where, f"too large for one article (over {MAX_ARTICLE_BYTES} bytes)")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(where, f"cannot read it ({exc.strerror or exc})")
        return
    yield from read_bytes(
        data, where, kind=kind, as_suggestions=as_suggestions, annotator=annotator, now=now,
        tag_column=tag_column,
    )  # fmt: skip


def _head_is_conll(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="ignore")
    lines = text.splitlines()
    if len(head) == SNIFF_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut
    return looks_like_conll(lines)


def _read_conll_file(
    path: Path, as_suggestions: bool, annotator: str | None, now: float, tag_column: int | None
) -> Iterator[Imported | Failure]:
    where = str(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            yield from read_conll(
                handle, where, as_suggestions=as_suggestions, annotator=annotator, now=now,
                tag_column=tag_column,
            )  # fmt: skip
    except UnicodeDecodeError as exc:
        yield Failure(where, f"not UTF-8 text (offset {exc.start} of a chunk); import stopped")


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
    """The articles held in ``data`` (a whole file or stdin), of ``kind`` or sniffed."""
    stamp = time.time() if now is None else now
    if kind == JSON or (kind is None and is_json_list(data)):
        yield from read_label_studio(
            data, where, as_suggestions=as_suggestions, annotator=annotator, now=stamp
        )
        return
    if kind == JSONL:
        yield from read_jsonl(
            data.splitlines(), where, as_suggestions=as_suggestions, annotator=annotator, now=stamp
        )
        return
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
            data.splitlines(), where, as_suggestions=as_suggestions, annotator=annotator, now=stamp
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
    except ValueError as exc:
        raise FormatError(f"no article text ({exc})") from exc


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
