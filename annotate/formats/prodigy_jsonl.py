"""Prodigy-compatible JSONL: one task per article, and tasks back into articles.

Export record (keys in this order, so output is byte-stable)::

    text, meta {id, title, source, published?, extra?}, tokens [{text,start,end,id,ws}],
    spans [{start,end,label,token_start,token_end}]      accepted entities
    relations [{head, child, head_span, child_span, label: "SPEAKER"}]
    quotes [{start,end,token_start,token_end,label:"QUOTE",kind,speaker,cue,speaker_ref}]
    statements [{start,end,tags}], answer, _input_hash, _task_hash,
    _annotator_id, _timestamp

``token_end`` is inclusive, as in Prodigy.  A relation goes from the speaker (head)
to the quote (child); ``head``/``child`` are the last token of each span, which is
how Prodigy's ``rel.manual`` anchors a span relation.  ``quotes`` and ``statements``
are newsread's own keys (Prodigy keeps unknown keys), and they make the export
lossless: importing it into an empty store and exporting again gives the same bytes.

Hashes follow Prodigy's ``set_hashes``: ``_input_hash`` is the 32-bit murmurhash of
the sorted-key JSON of the input keys (``text``), ``_task_hash`` the murmurhash of the
input hash followed by the sorted-key JSON of the task keys (``spans``, ``label``,
``options``, ``arcs``).  They are stable across runs and machines; Prodigy's own
serialisation may differ in whitespace, and ``prodigy db-in --rehash`` recomputes
them in its own way if exact Prodigy values are needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

import orjson
from murmurhash import hash as murmur

from annotate.clean import clean_article
from annotate.control import clean_with_offsets
from annotate.formats.base import FormatError, Imported
from annotate.formats.gold import check_label, complete
from annotate.formats.select import Doc, SelectedDocs, Selection
from annotate.formats.tokens import CachedTokens, char_table, make_doc, token_records
from annotate.limits import MAX_ARTICLE_CHARS
from annotate.model import (
    Annotations,
    Article,
    Origin,
    Quote,
    QuoteKind,
    Span,
    Statement,
    Status,
)
from annotate.offsets import OffsetMap

Report = Callable[[str], None]

SPEAKER = "SPEAKER"
QUOTE = "QUOTE"
INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options", "arcs")
ANNOTATION_KEYS = ("spans", "quotes", "statements", "relations", "tokens", "answer")
META_KEYS = ("id", "title", "source", "published", "extra")


def _ignore(_: str) -> None:
    return None


# -- hashing ----------------------------------------------------------------------


def get_hash(task: Mapping[str, Any], keys: Iterable[str], prefix: str = "") -> int:
    """Murmurhash of ``prefix`` + the sorted-key JSON of ``task``'s values for ``keys``."""
    values = {key: task[key] for key in keys if key in task}
    # murmurhash hashes a str as its UTF-8 bytes: hashing the bytes gives the same
    # value without decoding the JSON and encoding it again.
    return int(murmur(prefix.encode() + orjson.dumps(values, option=orjson.OPT_SORT_KEYS)))


def set_hashes(task: dict[str, Any]) -> dict[str, Any]:
    """Add ``_input_hash`` and ``_task_hash`` to ``task`` (as Prodigy's set_hashes does)."""
    input_hash = get_hash(task, INPUT_KEYS)
    task["_input_hash"] = input_hash
    task["_task_hash"] = get_hash(task, TASK_KEYS, prefix=str(input_hash))
    return task


# -- export -----------------------------------------------------------------------
#
# One builder, on the items' ``to_dict`` documents: the JSONL export hands it what the
# store's fast read gives (``Store.docs``, no object per item) and ``task_from_article``
# converts its objects first, so both write the same bytes.  Values are converted as
# ``from_dict`` converts them, so a document gives what its object would.


def task_from_article(
    article: Article,
    annotations: Annotations,
    *,
    report: Report = _ignore,
    answer: str = "accept",
) -> dict[str, Any]:
    """The Prodigy task for an article; ``annotations`` are the decisions to export.

    Pass annotations through :meth:`annotate.formats.select.Selection.apply` first:
    this function writes every entity, quote and statement it is given.
    """
    tokens, index = token_records(make_doc(article), article.text)
    return task_from_docs(
        article.to_dict(),
        SelectedDocs(
            [e.to_dict() for e in annotations.entities],
            [q.to_dict() for q in annotations.quotes],
            [s.to_dict() for s in annotations.statements],
        ),
        tokens,
        char_table(index.starts, index.ends, len(article.text)),
        report=report,
        answer=answer,
    )


def line_from_docs(
    article: Doc,
    selected: SelectedDocs,
    cached: CachedTokens | None,
    *,
    report: Report = _ignore,
    answer: str = "accept",
) -> bytes:
    """One JSONL line for an article given as documents (``Article.to_dict`` form) with
    its selected decisions; ``cached`` tokens are used when they fit the text, else the
    text is tokenized now.  Same bytes as ``dumps(task_from_article(...))``.

    Raises ``KeyError``/``TypeError``/``ValueError`` on a document ``from_dict`` would
    refuse: the caller reads the article the slow way, which names the damaged file.
    """
    text = str(article["text"])
    meta = article.get("meta") or {}
    tokens: list[dict[str, Any]] | orjson.Fragment
    table: Sequence[int]
    if cached is not None and cached.fits(text, meta):
        tokens, table = cached.fragment(), cached.table
    else:
        tokens, index = token_records(make_doc(Article.from_dict(article)), text)
        table = char_table(index.starts, index.ends, len(text))
    task = task_from_docs(article, selected, tokens, table, report=report, answer=answer)
    return orjson.dumps(task, option=orjson.OPT_APPEND_NEWLINE)


LINE_FORMAT = 1
"""Version of the bytes :func:`task_from_docs` and :func:`line_from_docs` write for a
given article.  The store keeps each article's line of the default export
(``annotate.export.lines``) and exports it as it is while this, the tokens' version and orjson's
version are those it was made with: bump it whenever a change here (or in what feeds
it: the documents, the tokens, the selection) changes a line, so kept lines are built
again instead of exported stale.  ``tests/test_kept_lines.py`` holds the bytes of
version 1 for a fixed article and fails when they change without a bump."""


def line_version() -> str:
    """What a kept line depends on besides the article: :data:`LINE_FORMAT`, the
    tokenizer (spaCy's version, ``TOKENS_FORMAT``) and the JSON writer's version."""
    from annotate.formats.tokens import tokens_version

    return f"prodigy-line-{LINE_FORMAT} {tokens_version()} orjson-{orjson.__version__}"


class BuiltLine(NamedTuple):
    """One article's line of the default export, what it counts, and the warnings that
    building it reported (an export replays them, so a kept line warns as a built one)."""

    line: bytes
    total: int
    warnings: tuple[str, ...]


def default_line(
    article: Article, annotations: Annotations, cached: CachedTokens, *, answer: str
) -> BuiltLine | None:
    """The line ``newsread export --format jsonl`` writes for this article without
    ``--label``/``--annotator`` (every accepted decision): the bytes
    ``line_from_docs`` writes from the store's documents.

    ``None`` when ``cached`` does not fit the text: this never tokenizes (the store
    calls it when it rewrites an article, where loading spaCy is not wanted).
    """
    if not cached.fits(article.text, article.meta):
        return None
    chosen = Selection().apply(annotations)
    warnings: list[str] = []
    line = line_from_docs(
        article.to_dict(),
        SelectedDocs(
            [e.to_dict() for e in chosen.entities],
            [q.to_dict() for q in chosen.quotes],
            [s.to_dict() for s in chosen.statements],
        ),
        cached,
        report=warnings.append,
        answer=answer,
    )
    count = len(chosen.entities) + len(chosen.quotes) + len(chosen.statements)
    return BuiltLine(line, count, tuple(warnings))


def task_from_docs(
    article: Doc,
    selected: SelectedDocs,
    tokens: list[dict[str, Any]] | orjson.Fragment,
    table: Sequence[int],
    *,
    report: Report = _ignore,
    answer: str = "accept",
) -> dict[str, Any]:
    """The Prodigy task of :func:`task_from_article`, from documents: ``article`` in
    ``Article.to_dict`` form, ``selected`` the decisions to write (every one is written),
    ``tokens`` the token dicts (or their JSON) and ``table`` their
    :func:`~annotate.formats.tokens.char_table`.

    This runs once per exported article and is most of an export's own work, so it is
    written for speed: span dicts are built in one pass and then sorted with C-level
    keys, two look-ups in the character table give a span's tokens and whether it is
    aligned (what ``TokenIndex.token_span`` and ``.aligned`` answer), and the latest
    decision is one ``max``.
    """
    text = str(article["text"])
    article_id = str(article["id"])
    length = len(table) - 1

    def span(doc: Doc, label: str, checked: str | None) -> dict[str, Any]:
        start, end = int(doc["start"]), int(doc["end"])
        if start < 0 or end < start:
            raise ValueError(f"bad offsets {start}:{end}")
        at_start = table[start if start < length else length]
        if end > start:
            at_end = table[end - 1 if end <= length else length]
            aligned = at_start & 2 and at_end & 1
        else:
            at_end, aligned = at_start, 0
        result = {
            "start": start,
            "end": end,
            "label": label,
            "token_start": at_start >> 2,
            "token_end": at_end >> 2,
        }
        if checked is not None and not aligned:
            misaligned.append((result, checked))
        return result

    def warn_misaligned(in_order: bool) -> None:
        """Report the spans off token boundaries (entities: in the order they are
        written; a quote and its speaker: as they were checked)."""
        found = sorted(misaligned, key=_misaligned_order) if in_order else misaligned
        for result, checked in found:
            start, end = result["start"], result["end"]
            report(
                f"article {article_id}: {checked} {start}:{end} {text[start:end]!r} does not "
                f"fall on token boundaries; token_start/token_end cover the tokens it touches"
            )
        misaligned.clear()

    misaligned: list[tuple[dict[str, Any], str]] = []
    spans = []
    for entity in selected.entities:
        label = str(entity["label"])
        spans.append(span(entity, label, f"entity {label}"))
    # Order (start, longest first, label): stable sorts from the last key to the first.
    spans.sort(key=_LABEL)
    spans.sort(key=_END, reverse=True)
    spans.sort(key=_START)
    if misaligned:
        warn_misaligned(in_order=True)
    relations = []
    quotes = []
    for quote in sorted(selected.quotes, key=_quote_order):
        quote_span = span(quote, QUOTE, "quote")
        speaker_doc, cue, speaker_ref = (
            quote.get("speaker"),
            quote.get("cue"),
            quote.get("speaker_ref"),
        )
        speaker = None
        if speaker_doc:
            speaker = span(speaker_doc, str(speaker_doc["label"]), "speaker")
            relations.append(
                {
                    "head": speaker["token_end"],
                    "child": quote_span["token_end"],
                    "head_span": speaker,
                    "child_span": quote_span,
                    "label": SPEAKER,
                }
            )
        entry = dict(quote_span)
        entry["kind"] = _KINDS[quote.get("kind", "direct")]
        entry["speaker"] = speaker
        entry["cue"] = span(cue, str(cue["label"]), None) if cue else None
        entry["speaker_ref"] = (
            span(speaker_ref, str(speaker_ref["label"]), None) if speaker_ref else None
        )
        if quote.get("quoted"):  # a mixed attribution's quoted stretches
            entry["quoted"] = [{"start": q["start"], "end": q["end"]} for q in quote["quoted"]]
        quotes.append(entry)
        if misaligned:
            warn_misaligned(in_order=False)
    statements = [_statement(s) for s in selected.statements]
    if len(statements) > 1:
        statements.sort(key=_TAGS)
        statements.sort(key=_END, reverse=True)
        statements.sort(key=_START)
    task: dict[str, Any] = {
        "text": text,
        "meta": _export_meta(article, article_id),
        "tokens": tokens,
        "spans": spans,
        "relations": relations,
        "quotes": quotes,
        "statements": statements,
        "answer": answer,
    }
    # set_hashes, for a task whose only input key is "text" (see get_hash).
    input_hash = int(murmur(b'{"text":' + orjson.dumps(text) + b"}"))
    task["_input_hash"] = input_hash
    task["_task_hash"] = int(
        murmur(str(input_hash).encode() + orjson.dumps({"spans": spans}, option=_SORTED))
    )
    task["_annotator_id"], task["_timestamp"] = _last_decision(selected)
    return task


_START, _END, _LABEL, _TAGS = (itemgetter(key) for key in ("start", "end", "label", "tags"))


def _misaligned_order(found: tuple[dict[str, Any], str]) -> tuple[int, int, str]:
    span = found[0]
    return (span["start"], -span["end"], span["label"])


def _quote_order(doc: Doc) -> tuple[int, int, str, str]:
    """(start, longest first, kind), then id: the order of ``Store.get`` whatever the
    order of the documents, so that two quotes of the same words come out the same way."""
    return (
        int(doc["start"]),
        -int(doc["end"]),
        _KINDS[doc.get("kind", "direct")],
        str(doc.get("id", "")),
    )


def _statement(doc: Doc) -> dict[str, Any]:
    start, end = int(doc["start"]), int(doc["end"])
    if start < 0 or end < start:
        raise ValueError(f"bad offsets {start}:{end}")
    return {"start": start, "end": end, "tags": [str(t) for t in doc.get("tags", ())]}


_STAMPED = itemgetter("timestamp", "annotator")


def _last_decision(selected: SelectedDocs) -> tuple[str | None, int | None]:
    """Who made the most recent exported decision, and when (whole seconds, as Prodigy):
    the greatest (timestamp, annotator); with no time at all, the first annotator in
    reading order (the order of ``Store.get``)."""
    items = [*selected.entities, *selected.quotes, *selected.statements]
    if not items:
        return None, None
    try:  # every item stamped and named: the whole comparison in C
        last = max(items, key=_STAMPED)
        if last["timestamp"] is None:  # only explicit nulls: no time known after all
            raise TypeError
    except (KeyError, TypeError):
        stamped = [i for i in items if i.get("timestamp") is not None]
        if not stamped:
            return _first_annotator(selected), None
        last = max(stamped, key=lambda i: (i["timestamp"] or 0.0, i.get("annotator") or ""))
    return last.get("annotator"), int(last["timestamp"] or 0)


_SORTED = orjson.OPT_SORT_KEYS

_KINDS = {str(kind): str(kind) for kind in QuoteKind}
"""Quote kinds by name (a lookup, cheaper than ``QuoteKind(name)``; ``KeyError`` when
unknown, where ``from_dict`` raises ``ValueError``)."""


def _export_meta(article: Doc, article_id: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "id": article_id,
        "title": str(article.get("title", "")),
        "source": str(article.get("source", "")),
    }
    published = article.get("published")
    if published is not None:
        meta["published"] = published
    extra = article.get("meta")
    if extra:
        meta["extra"] = dict(extra)
    return meta


def _first_annotator(selected: SelectedDocs) -> str | None:
    """With no decision time known: the first annotator in reading order (the order of
    ``Store.get``), entities first, then quotes, then statements."""
    for group in selected:
        named = [i for i in group if i.get("annotator")]
        if named:
            annotator: str | None = min(named, key=_item_order).get("annotator")
            return annotator
    return None


def _item_order(doc: Doc) -> tuple[int, int, str]:
    return (int(doc["start"]), -int(doc["end"]), str(doc.get("id", "")))


def dumps(task: Mapping[str, Any]) -> bytes:
    """One JSONL line (with its newline)."""
    return orjson.dumps(task, option=orjson.OPT_APPEND_NEWLINE)


# -- import -----------------------------------------------------------------------


def item_from_task(
    task: Mapping[str, Any],
    *,
    where: str,
    as_suggestions: bool = False,
    annotator: str | None = None,
    now: float | None = None,
) -> Imported:
    """An article from a JSONL object: a plain ``{"text", "meta"?}`` or a Prodigy task.

    Annotations in a task are gold: accepted decisions, or pending suggestions with
    ``as_suggestions``.  A task answered ``reject`` brings its spans in as rejected;
    one answered ``ignore`` brings in the text only.
    """
    text = task.get("text")
    if not isinstance(text, str):
        raise FormatError("'text' is missing or not a string")
    if len(text) > MAX_ARTICLE_CHARS:
        raise FormatError(f"'text' is longer than the {MAX_ARTICLE_CHARS:,} characters allowed")
    meta = task.get("meta") or {}
    if not isinstance(meta, dict):
        raise FormatError("'meta' is not a JSON object")
    if not any(key in task for key in ANNOTATION_KEYS):
        return Imported(_plain_article(text, meta, where), None, where)
    try:
        cleaned, offsets = clean_with_offsets(text)
    except ValueError as exc:
        raise FormatError(str(exc)) from None
    if not cleaned.strip():
        raise FormatError("'text' is empty")
    answer = task.get("answer", "accept")
    if answer not in ("accept", "reject", "ignore"):
        raise FormatError(f"'answer' is {answer!r}, not accept, reject or ignore")
    decider = task.get("_annotator_id")
    stamp = task.get("_timestamp")
    reader = _TaskReader(
        text,
        offsets,
        status=_import_status(answer, as_suggestions),
        annotator=decider if isinstance(decider, str) and decider else annotator,
        timestamp=float(stamp) if isinstance(stamp, int | float) else now,
    )
    annotations = None if answer == "ignore" else reader.annotations(task)
    article = _task_article(cleaned, meta, where)
    if answer == "accept" and not as_suggestions and annotations is not None:
        article = complete(article, "prodigy")  # an accepted task is whole: done, no model
    return Imported(article, annotations, where)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _import_status(answer: str, as_suggestions: bool) -> Status:
    if as_suggestions:
        return Status.PENDING
    return Status.REJECTED if answer == "reject" else Status.ACCEPTED


def _meta_str(meta: Mapping[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(f"'meta.{key}' is not a string")
    return value


def _article_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    extra = meta.get("extra") or {}
    if not isinstance(extra, dict):
        raise FormatError("'meta.extra' is not a JSON object")
    others = {k: v for k, v in meta.items() if k not in META_KEYS}
    return {**others, **extra}


def _plain_article(text: str, meta: Mapping[str, Any], where: str) -> Article:
    try:
        article = clean_article(
            text, source=_meta_str(meta, "source") or where, meta=_article_meta(meta)
        )
    except ValueError as exc:
        raise FormatError(f"'text' cannot be used ({exc})") from exc
    title, published = _meta_str(meta, "title"), _meta_str(meta, "published")
    return Article.from_dict(
        {
            **article.to_dict(),
            "title": title or article.title,
            "published": published or article.published,
        }
    )


def _task_article(text: str, meta: Mapping[str, Any], where: str) -> Article:
    return Article.from_text(
        text,
        title=_meta_str(meta, "title") or "",
        source=_meta_str(meta, "source") or where,
        published=_meta_str(meta, "published"),
        meta=_article_meta(meta),
    )


class _TaskReader:
    """Reads the annotations of one task, checking each offset against its text."""

    def __init__(
        self,
        text: str,
        offsets: OffsetMap,
        *,
        status: Status,
        annotator: str | None,
        timestamp: float | None,
    ) -> None:
        self.text = text
        self.offsets = offsets
        self.status = status
        self.annotator = annotator
        self.timestamp = timestamp

    def annotations(self, task: Mapping[str, Any]) -> Annotations:
        entities = tuple(
            self.span(s, f"spans[{i}]") for i, s in enumerate(self._list(task, "spans"))
        )
        if "quotes" in task:
            quotes = tuple(
                self.quote(q, f"quotes[{i}]") for i, q in enumerate(self._list(task, "quotes"))
            )
        else:
            quotes = self.quotes_from_relations(self._list(task, "relations"))
        statements = tuple(
            self.statement(s, f"statements[{i}]")
            for i, s in enumerate(self._list(task, "statements"))
        )
        return Annotations(
            entities=_unique(entities), quotes=_unique(quotes), statements=_unique(statements)
        )

    @staticmethod
    def _list(task: Mapping[str, Any], key: str) -> list[Any]:
        value = task.get(key) or []
        if not isinstance(value, list):
            raise FormatError(f"'{key}' is not a list")
        return value

    def offsets_of(self, data: Any, where: str) -> tuple[int, int]:
        if not isinstance(data, dict):
            raise FormatError(f"'{where}' is not a JSON object")
        start, end = data.get("start"), data.get("end")
        if not _is_int(start) or not _is_int(end):
            raise FormatError(f"'{where}' needs integer 'start' and 'end'")
        assert isinstance(start, int) and isinstance(end, int)
        if not 0 <= start < end <= len(self.text):
            raise FormatError(
                f"'{where}' offsets {start}:{end} are outside the text (length {len(self.text)})"
            )
        covered = data.get("text")
        if isinstance(covered, str) and covered != self.text[start:end]:
            raise FormatError(
                f"'{where}' text {covered!r} differs from the text at {start}:{end} "
                f"({self.text[start:end]!r})"
            )
        new_start, new_end = self.offsets.span_to_clean(start, end)
        if new_start >= new_end:
            raise FormatError(f"'{where}' covers only control characters")
        return new_start, new_end

    def span(self, data: Any, where: str, default_label: str | None = None) -> Span:
        start, end = self.offsets_of(data, where)
        label = check_label(data.get("label") or default_label, f"'{where}'")
        return Span(
            start,
            end,
            label,
            origin=Origin.USER,
            status=self.status,
            annotator=self.annotator,
            timestamp=self.timestamp,
        )

    def optional_span(self, data: Any, where: str, default_label: str) -> Span | None:
        return None if data is None else self.span(data, where, default_label)

    def quote(self, data: Any, where: str) -> Quote:
        start, end = self.offsets_of(data, where)
        kind = data.get("kind", QuoteKind.DIRECT)
        if kind not in tuple(QuoteKind):
            raise FormatError(f"'{where}.kind' is {kind!r}, not direct, mixed, indirect or partial")
        quoted = tuple(self.offsets_of(q, f"{where}.quoted") for q in data.get("quoted") or ())
        return Quote(
            start,
            end,
            kind=QuoteKind(kind),
            speaker=self.optional_span(data.get("speaker"), f"{where}.speaker", SPEAKER),
            cue=self.optional_span(data.get("cue"), f"{where}.cue", "CUE"),
            speaker_ref=self.optional_span(
                data.get("speaker_ref"), f"{where}.speaker_ref", SPEAKER
            ),
            origin=Origin.USER,
            status=self.status,
            speaker_status=self.status,
            annotator=self.annotator,
            timestamp=self.timestamp,
            quoted=quoted,
        )

    def quotes_from_relations(self, relations: list[Any]) -> tuple[Quote, ...]:
        """Quotes from Prodigy relations labelled SPEAKER (speaker head -> quote child)."""
        quotes = []
        for i, relation in enumerate(relations):
            where = f"relations[{i}]"
            if not isinstance(relation, dict):
                raise FormatError(f"'{where}' is not a JSON object")
            if str(relation.get("label", "")).upper() != SPEAKER:
                label = relation.get("label")
                raise FormatError(  # refused, never imported without it
                    f"'{where}' is a {label!r} relation; newsread keeps only SPEAKER relations"
                )
            speaker = self.span(relation.get("head_span"), f"{where}.head_span", SPEAKER)
            start, end = self.offsets_of(relation.get("child_span"), f"{where}.child_span")
            quotes.append(
                Quote(
                    start,
                    end,
                    speaker=speaker,
                    origin=Origin.USER,
                    status=self.status,
                    speaker_status=self.status,
                    annotator=self.annotator,
                    timestamp=self.timestamp,
                )
            )
        return tuple(quotes)

    def statement(self, data: Any, where: str) -> Statement:
        start, end = self.offsets_of(data, where)
        tags = data.get("tags")
        if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
            raise FormatError(f"'{where}.tags' is not a list of tag names")
        for tag in tags:
            check_label(tag, f"'{where}.tags'")
        return Statement(
            start, end, tags=tuple(tags), annotator=self.annotator, timestamp=self.timestamp
        )


T = TypeVar("T", Span, Quote, Statement)


def _unique(items: Iterable[T]) -> tuple[T, ...]:
    """Items in reading order, a repeated one (same id: same offsets and label) kept once."""
    seen: dict[str, T] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return tuple(sorted(seen.values(), key=lambda i: (i.start, -i.end, i.id)))
