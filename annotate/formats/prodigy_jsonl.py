"""Prodigy-compatible JSONL: one task per article (the import is ``prodigy_import``).

Export record (keys in this order, so output is byte-stable)::

    text, meta {id, title, source, published?, extra?}, tokens [{text,start,end,id,ws}],
    spans [{start,end,label,token_start,token_end}]      accepted entities
    relations [{head, child, head_span, child_span, label: "SPEAKER" | "COREF"}]
    quotes [{start,end,token_start,token_end,label:"QUOTE",kind,speaker,cue,speaker_ref}]
    statements [{start,end,tags}], answer, _input_hash, _task_hash,
    _annotator_id, _timestamp

``answer`` follows the article's status (:func:`answer_for`): ``accept`` for a *done*
article (complete: text outside the spans holds no entity), ``ignore`` for one *in
progress* or *new* (nothing may be concluded about its unreviewed text), with
``meta.status`` naming which; an import gives such an article back in progress.

``token_end`` is inclusive, as in Prodigy.  A ``SPEAKER`` relation goes from the
speaker (head) to the quote (child) -- from the exported entity the speaker phrase
overlaps, when there is one, and a pronoun speaker adds a ``COREF`` relation to the
entity it resolves to (``prodigy_rel``); ``head``/``child`` are the last token of each
span, which is how Prodigy's ``rel.manual`` anchors a span relation.  ``quotes`` and ``statements``
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
from typing import Any, NamedTuple

import orjson
from murmurhash import hash as murmur

from annotate.formats.prodigy_rel import speaker_relations
from annotate.formats.select import Doc, SelectedDocs, Selection
from annotate.formats.tokens import CachedTokens, char_table, make_doc, token_records
from annotate.model import (
    Annotations,
    Article,
    ArticleStatus,
    QuoteKind,
)

Report = Callable[[str], None]

SPEAKER = "SPEAKER"
QUOTE = "QUOTE"
INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options", "arcs")
ANNOTATION_KEYS = ("spans", "quotes", "statements", "relations", "tokens", "answer")
META_KEYS = ("id", "title", "source", "published", "extra", "status")


def _ignore(_: str) -> None:
    return None


def answer_for(status: str) -> str:
    """The task's ``answer`` for an article of this status: ``accept`` only when it is
    done, because Prodigy (``train --ner``, ``data-to-spacy``) reads an accepted manual
    task as complete, every token outside its spans an ``O``."""
    return "accept" if status == ArticleStatus.DONE else "ignore"


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
    status: str | None = None,
) -> dict[str, Any]:
    """The Prodigy task for an article; ``annotations`` are the decisions to export
    (``status``: the article's, written to ``meta.status`` unless it is done).

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
        status=status,
    )


def line_from_docs(
    article: Doc,
    selected: SelectedDocs,
    cached: CachedTokens | None,
    *,
    report: Report = _ignore,
    answer: str = "accept",
    status: str | None = None,
) -> bytes:
    """One JSONL line for an article given as documents (``Article.to_dict`` form) with
    its selected decisions; ``cached`` tokens are used when they fit the text, else the
    text is tokenized now.  Same bytes as ``dumps(task_from_article(...))``.

    Raises ``KeyError``/``TypeError``/``ValueError`` on a document ``from_dict`` would
    refuse: the caller reads the article the slow way, which names the damaged file.
    """
    task = task_from_cached(article, selected, cached, report=report, answer=answer, status=status)
    return orjson.dumps(task, option=orjson.OPT_APPEND_NEWLINE)


def task_from_cached(
    article: Doc,
    selected: SelectedDocs,
    cached: CachedTokens | None,
    *,
    report: Report = _ignore,
    answer: str = "accept",
    status: str | None = None,
) -> dict[str, Any]:
    """The task :func:`line_from_docs` writes, as a dict (``jsonl-rel`` reshapes it)."""
    text = str(article["text"])
    meta = article.get("meta") or {}
    tokens: list[dict[str, Any]] | orjson.Fragment
    table: Sequence[int]
    if cached is not None and cached.fits(text, meta):
        tokens, table = cached.fragment(), cached.table
    else:
        tokens, index = token_records(make_doc(Article.from_dict(article)), text)
        table = char_table(index.starts, index.ends, len(text))
    return task_from_docs(
        article, selected, tokens, table, report=report, answer=answer, status=status
    )


LINE_FORMAT = 3
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
    article: Article, annotations: Annotations, cached: CachedTokens, *, status: str
) -> BuiltLine | None:
    """The line ``newsread export --format jsonl`` writes for this article without
    ``--label``/``--annotator`` (every accepted decision): the bytes
    ``line_from_docs`` writes from the store's documents.

    ``answer`` and ``meta.status`` follow ``status`` (:func:`answer_for`).
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
        answer=answer_for(status),
        status=status,
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
    status: str | None = None,
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
        speaker = span(speaker_doc, str(speaker_doc["label"]), "speaker") if speaker_doc else None
        ref = span(speaker_ref, str(speaker_ref["label"]), None) if speaker_ref else None
        relations.extend(speaker_relations(quote_span, speaker, ref, spans))
        entry = dict(quote_span)
        entry["kind"] = _KINDS[quote.get("kind", "direct")]
        entry["speaker"] = speaker
        entry["cue"] = span(cue, str(cue["label"]), None) if cue else None
        entry["speaker_ref"] = ref
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
        "meta": _export_meta(article, article_id, status),
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


def _export_meta(article: Doc, article_id: str, status: str | None) -> dict[str, Any]:
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
    if status is not None and status != ArticleStatus.DONE:
        meta["status"] = str(status)  # not complete: import gives it back in progress
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
