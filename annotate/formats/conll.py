"""CoNLL / IOB files: token-per-line NER data, both ways.

Import reads the common shapes of the format: one token per line with its tag in
the last column (CoNLL-2003's four columns, or just ``token tag``), a blank line
between sentences, ``-DOCSTART-`` lines between documents, and IO, IOB1, IOB2 or
BILOU/IOBES tags.  One rule decodes all of them: ``B-``/``S-``/``U-`` always start an
entity, ``I-``/``E-``/``L-`` continue the open entity of the same type or start one.
(IO cannot mark two adjacent entities of one type apart; no decoder can.)

CoNLL-U-like files are read too: ``#`` comment lines (``# newdoc id = …`` starts a
document, ``# text = …`` and ``# sent_id`` are skipped), a token-index first column
(multi-word ranges such as ``1-2`` are skipped) and the tag in any column: the last
column whose values all read as tags in the first lines, or ``tag_column`` (1-based,
``--tag-column N``).  One decoder serves every shape.

Each document becomes one article whose text is its tokens joined by spaces and its
sentences joined by newlines; ``meta["tokenization"] = "whitespace"`` keeps those
exact tokens for every later export, which is what makes a round trip give back
the same tokens and entities.  Export writes CoNLL-2003 columns
(``token -X- _ TAG``, as Label Studio and ``spacy convert`` read them) with IOB2 tags.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from annotate.control import strip_control
from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.gold import check_label, complete
from annotate.formats.tokens import TOKENIZATION_KEY, WHITESPACE, is_pretokenized, make_doc
from annotate.limits import MAX_ARTICLE_CHARS
from annotate.model import Annotations, Article, Origin, Span, Status

Report = Callable[[str], None]

DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"^(O|[BIESLU]-\S+)$")
_COLUMNS = re.compile(r"\S+")
_INDEX = re.compile(r"^\d+$")
_MULTIWORD = re.compile(r"^\d+[-.]\d+$")
_NEWDOC = re.compile(r"^#\s*newdoc\b")
LAYOUT_SAMPLE = 200
"""Token lines looked at to find the index and tag columns of a file."""
FORMAT = "conll"


def _ignore(_: str) -> None:
    return None


def looks_like_conll(lines: Iterable[str], sample: int = 40) -> bool:
    """True when the first non-blank lines read as CoNLL (``-DOCSTART-`` or token + tag)."""
    seen = 0
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(DOCSTART):
            return True
        if not stripped or stripped.startswith("#"):
            continue  # CoNLL-U comments (# text = …), and blank lines between sentences
        columns = stripped.split()
        indexed = len(columns) >= 3 and (_INDEX.match(columns[0]) or _MULTIWORD.match(columns[0]))
        tagged = any(_TAG.match(c) for c in columns[2:]) if indexed else False
        if len(columns) < 2 or not (_TAG.match(columns[-1]) or tagged):
            return False
        seen += 1
        if seen >= sample:
            break
    return seen > 0


# -- import -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a file keeps its token and tag (0-based columns), and whether the first
    column is a token index (CoNLL-U-like) rather than the token."""

    indexed: bool = False
    token: int = 0
    tag: int = -1


def find_layout(sample: Iterable[str], tag_column: int | None = None) -> Layout:
    """The layout of a file from its first token lines (see the module docstring)."""
    rows = []
    for line in sample:
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", DOCSTART)):
            rows.append(stripped.split())
    indexed = bool(rows) and all(len(r) >= 3 and (_INDEX.match(r[0]) or _MULTIWORD.match(r[0]))
                                 for r in rows)  # fmt: skip
    rows = [r for r in rows if not _MULTIWORD.match(r[0])] if indexed else rows
    token = 1 if indexed else 0
    if tag_column is not None:
        return Layout(indexed, token, tag_column - 1)
    # The column most of whose values are tags (a broken line must not move it; of equal
    # columns the last, as CoNLL-2003's chunk tags B-NP come before its NER tags).
    width = min((len(r) for r in rows), default=2)
    scores = [(sum(1 for r in rows if _TAG.match(r[c])), c) for c in range(token + 1, width)]
    best, column = max(scores, default=(0, -1))
    return Layout(indexed, token, column if best * 2 > len(rows) else -1)


@dataclass
class _Document:
    first_line: int
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=list)
    current: list[tuple[str, str, int]] = field(default_factory=list)
    error: str | None = None
    chars: int = 0
    """Characters of the article so far: a document over the limit stops growing."""

    def add(self, token: str, tag: str, number: int) -> None:
        self.chars += len(token) + 1
        if self.chars > MAX_ARTICLE_CHARS:
            self.error = (
                f"document too large (over {MAX_ARTICLE_CHARS:,} characters); "
                "split it into documents with -DOCSTART- lines"
            )
            self.sentences, self.current = [], []  # free it: nothing of it is imported
            return
        self.current.append((token, tag, number))

    def end_sentence(self) -> None:
        if self.current:
            self.sentences.append(self.current)
            self.current = []


def read_conll(
    lines: Iterable[str | None],
    where: str,
    *,
    as_suggestions: bool = False,
    annotator: str | None = None,
    now: float | None = None,
    tag_column: int | None = None,
) -> Iterator[Imported | Failure]:
    """Each document of a CoNLL file as an article with gold entities (or a failure).

    A ``None`` line stands for one too long to read (see ``formats.opening``): it
    spoils its document, like any other bad line.  Gold documents are complete (every
    token tagged): they are marked done, so the model's suggestions are not laid over
    them; ``as_suggestions`` leaves them to it.
    """
    stamp = time.time() if now is None else now
    lines = iter(lines)
    head = list(islice(lines, LAYOUT_SAMPLE * 2))
    layout = find_layout([line for line in head if line is not None], tag_column)
    lines = chain(head, lines)
    status = Status.PENDING if as_suggestions else Status.ACCEPTED
    doc: _Document | None = None

    def finish(document: _Document | None) -> Iterator[Imported | Failure]:
        if document is None:
            return
        document.end_sentence()
        place = f"{where}:{document.first_line}"
        if document.error:
            yield Failure(place, document.error)
        elif document.sentences:
            try:
                article, annotations = _document_article(document, place, status, annotator, stamp)
            except FormatError as exc:
                yield Failure(place, str(exc))
                return
            if not as_suggestions and annotations.entities:  # all-O: let the model suggest
                article = complete(article, FORMAT)
            yield Imported(article, annotations, place)

    for number, line in enumerate(lines, start=1):
        if line is None:
            doc = doc or _Document(first_line=number)
            doc.error = doc.error or f"line {number}: too long for a token line"
            continue
        stripped = line.strip()
        if stripped.startswith(DOCSTART) or _NEWDOC.match(stripped):
            if doc is not None and (doc.sentences or doc.current or doc.error):
                yield from finish(doc)
                doc = None
            if doc is None:
                doc = _Document(first_line=number)
            continue
        if doc is None:
            doc = _Document(first_line=number)
        if not stripped:
            doc.end_sentence()
            continue
        if doc.error or (stripped.startswith("#") and layout.indexed):
            continue
        columns = _COLUMNS.findall(strip_control(stripped))
        if layout.indexed and _MULTIWORD.match(columns[0]):
            continue
        if len(columns) < 2 or len(columns) <= max(layout.token, layout.tag):
            doc.error = f"line {number}: expected a token and a tag, found {stripped[:40]!r}"
            continue
        tag = columns[layout.tag]
        raw = _COLUMNS.findall(stripped)
        if len(raw) == len(columns) and raw[layout.tag] != tag:
            doc.error = f"line {number}: the tag {raw[layout.tag][:40]!r} holds control characters"
            continue
        if not _TAG.match(tag):
            doc.error = f"line {number}: {tag[:40]!r} is not an IO/IOB/BILOU tag"
            continue
        try:
            check_label(tag.partition("-")[2] or "O", f"line {number}: tag")
        except FormatError as exc:
            doc.error = str(exc)
            continue
        doc.add(columns[layout.token], tag, number)
    yield from finish(doc)


def _document_article(
    doc: _Document, where: str, status: Status, annotator: str | None, stamp: float
) -> tuple[Article, Annotations]:
    entities: list[Span] = []
    sentence_offsets: list[tuple[int, int]] = []
    pieces: list[str] = []
    offset = 0
    for sentence in doc.sentences:
        if pieces:
            pieces.append("\n")
            offset += 1
        sentence_start = offset
        open_label: str | None = None
        open_start = 0
        last_end = offset
        for i, (token, tag, _) in enumerate(sentence):
            if i:
                pieces.append(" ")
                offset += 1
            start, end = offset, offset + len(token)
            pieces.append(token)
            offset = end
            prefix, _, label = tag.partition("-")
            continues = prefix in ("I", "E", "L") and open_label == label
            if open_label is not None and not continues:
                entities.append(_gold(open_start, last_end, open_label, status, annotator, stamp))
                open_label = None
            if prefix != "O" and open_label is None:
                open_label, open_start = label, start
            if prefix in ("E", "L", "S", "U") and open_label is not None:
                entities.append(_gold(open_start, end, open_label, status, annotator, stamp))
                open_label = None
            last_end = end
        if open_label is not None:
            entities.append(_gold(open_start, last_end, open_label, status, annotator, stamp))
        sentence_offsets.append((sentence_start, offset))
    text = "".join(pieces)
    if len(text) > MAX_ARTICLE_CHARS:
        raise FormatError(
            f"document of {len(text):,} characters is more than the "
            f"{MAX_ARTICLE_CHARS:,} an article may have; split it with -DOCSTART- lines"
        )
    title = " ".join(token for token, _, _ in doc.sentences[0])[:120]
    article = Article.from_text(
        text, title=title, source=where, meta={TOKENIZATION_KEY: WHITESPACE}
    )
    return article, Annotations(entities=tuple(entities), sentences=tuple(sentence_offsets))


def _gold(
    start: int, end: int, label: str, status: Status, annotator: str | None, stamp: float
) -> Span:
    return Span(
        start, end, label, origin=Origin.USER, status=status, annotator=annotator, timestamp=stamp
    )


# -- export -----------------------------------------------------------------------


def conll_lines(
    article: Article, annotations: Annotations, *, report: Report = _ignore
) -> Iterator[str]:
    """The article as a CoNLL-2003 document with IOB2 tags (lines without newlines).

    ``annotations`` are the decisions to write (see ``select``).  Entities that
    overlap an earlier one or do not fall on token boundaries cannot be written as
    tags; each is reported through ``report`` instead of being dropped silently.
    """
    doc = make_doc(article)
    starts = [t.idx for t in doc]
    tags = ["O"] * len(doc)
    by_start = {t.idx: t.i for t in doc}
    by_end = {t.idx + len(t): t.i for t in doc}
    taken = [False] * len(doc)
    for entity in sorted(annotations.entities, key=lambda e: (e.start, -e.end, e.label)):
        first, last = by_start.get(entity.start), by_end.get(entity.end)
        covered = article.text[entity.start : entity.end]
        where = f"article {article.id}: entity {entity.label} {entity.start}:{entity.end}"
        if first is None or last is None or last < first:
            report(f"{where} {covered!r} does not fall on token boundaries; left out")
            continue
        if any(taken[first : last + 1]):
            report(f"{where} {covered!r} overlaps another entity; left out")
            continue
        for i in range(first, last + 1):
            taken[i] = True
            tags[i] = f"{'B' if i == first else 'I'}-{entity.label}"
    yield f"{DOCSTART} -X- -X- O"
    yield ""
    for sentence_start, sentence_end in _sentences(article, annotations, doc.text):
        lines = [
            f"{doc[i].text} -X- _ {tags[i]}"
            for i in range(bisect_left(starts, sentence_start), len(doc))
            if starts[i] < sentence_end and not doc[i].is_space and doc[i].text.strip()
        ]
        if lines:
            yield from lines
            yield ""


def _sentences(article: Article, annotations: Annotations, text: str) -> list[tuple[int, int]]:
    """Sentence ranges: the lines of a CoNLL import, else the analysis, else paragraphs."""
    if annotations.sentences and not is_pretokenized(article.meta):
        return list(annotations.sentences)
    ranges = []
    start = 0
    for match in re.finditer(r"\n", text):
        if match.start() > start:
            ranges.append((start, match.start()))
        start = match.end()
    if start < len(text):
        ranges.append((start, len(text)))
    return ranges
