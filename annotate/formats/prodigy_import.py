"""Prodigy JSONL import: a task (or a plain ``{"text", "meta"}`` line) back into an article.

The export side, and the task's shape, are in :mod:`annotate.formats.prodigy_jsonl`.
Annotations in a task are gold when it is answered ``accept`` (the article is then
*done*, complete); a task newsread exported for an article still in progress is
answered ``ignore`` with ``meta.status`` saying so, and its decisions come back as
decisions of an article in progress (nothing marks its other text as reviewed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from annotate.clean import clean_article
from annotate.control import clean_with_offsets
from annotate.formats.base import FormatError, Imported
from annotate.formats.gold import check_label, complete
from annotate.formats.prodigy_jsonl import ANNOTATION_KEYS, META_KEYS, SPEAKER
from annotate.formats.prodigy_rel import REL_LABELS
from annotate.limits import MAX_ARTICLE_CHARS
from annotate.model import (
    Annotations,
    Article,
    ArticleStatus,
    Origin,
    Quote,
    QuoteKind,
    Span,
    Statement,
    Status,
)
from annotate.offsets import OffsetMap


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
    one answered ``ignore`` brings in the text only, unless newsread exported it for an
    article in progress (``meta.status``): then its decisions come in as accepted, the
    article stays in progress and the model still suggests the rest.
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
    in_progress = meta.get("status") == ArticleStatus.IN_PROGRESS
    ignored = answer == "ignore" and not in_progress
    annotations = None if ignored else reader.annotations(task)
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
        rel = task.get("_view_id") == "relations" and "quotes" in task
        entities = tuple(
            self.span(s, f"spans[{i}]")
            for i, s in enumerate(self._list(task, "spans"))
            if not (rel and isinstance(s, dict) and s.get("label") in REL_LABELS)
        )  # a jsonl-rel task: its attribution, speaker and cue spans are in "quotes"
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
