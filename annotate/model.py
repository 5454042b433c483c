"""The data model shared by every layer: articles, spans, quotes and statements.

Everything here is a plain, immutable dataclass with character offsets into
``Article.text`` (end exclusive), because offsets are the lingua franca of spaCy,
Prodigy and every export format: a widget, the store and an exporter can all agree
on ``(start, end, label)`` without ever seeing a spaCy ``Doc``.

Each object converts to and from a JSON-ready ``dict`` (``to_dict`` / ``from_dict``)
so the store and the formats serialise them the same way.  ``from_dict`` ignores
keys it does not know, which keeps older and newer stores readable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Self


class Origin(StrEnum):
    """Who proposed a span: the statistical model, a correction rule, a person, or what
    people decided elsewhere in the corpus (``learned``: ``annotate.learn.lexicon``)."""

    MODEL = "model"
    RULE = "rule"
    USER = "user"
    LEARNED = "learned"


class Status(StrEnum):
    """The decision on a suggestion.  ``pending`` means nobody has looked at it yet.

    ``replaced`` is not a decision either: a model suggestion whose text people rejected
    or relabelled in other articles (``annotate.learn.lexicon``) is kept, shown as
    replaced (next to the learned suggestion with their label, if any), and still waits
    for the person: exports treat it as pending, and accepting it restores it.
    """

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REPLACED = "replaced"

    @property
    def decided(self) -> bool:
        """True for a person's decision (accepted or rejected)."""
        return self is Status.ACCEPTED or self is Status.REJECTED


class ArticleStatus(StrEnum):
    """Where an article stands in the annotation workflow."""

    NEW = "new"
    IN_PROGRESS = "in progress"
    DONE = "done"


class QuoteKind(StrEnum):
    """What kind of attribution a :class:`Quote` is.

    ``direct``: the whole content is in quotation marks; ``mixed``: a reported clause
    holding quoted words (its ``quoted`` stretches); ``indirect``: reported speech, belief
    or finding without marks (the content is the reported clause); ``partial``: a quoted
    fragment woven into the writer's own sentence, not part of a reported clause.
    """

    DIRECT = "direct"
    PARTIAL = "partial"
    MIXED = "mixed"
    INDIRECT = "indirect"


def content_id(text: str) -> str:
    """A stable article id from its cleaned text: the same text always gets the same id."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def span_id(kind: str, start: int, end: int, label: str, origin: str) -> str:
    """A stable id for a suggestion, kept through relabelling and re-bounding.

    It is derived from how the span was first proposed, so re-running the same
    analysis proposes the same ids and an import of an export finds them again.
    """
    raw = f"{kind}:{start}:{end}:{label}:{origin}".encode()
    return hashlib.sha1(raw).hexdigest()[:12]


def _with_decider(
    data: dict[str, Any], annotator: str | None, timestamp: float | None
) -> dict[str, Any]:
    """``data`` with who decided and when, each left out when unknown (smaller files)."""
    if annotator is not None:
        data["annotator"] = annotator
    if timestamp is not None:
        data["timestamp"] = timestamp
    return data


def _decider(data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``annotator`` and ``timestamp`` keyword arguments read back from ``data``."""
    return {"annotator": data.get("annotator"), "timestamp": data.get("timestamp")}


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled character range of ``Article.text`` and the decision taken on it."""

    start: int
    end: int
    label: str
    origin: Origin = Origin.MODEL
    status: Status = Status.PENDING
    id: str = ""
    annotator: str | None = None
    timestamp: float | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span offsets {self.start}:{self.end}")
        if not self.id:
            object.__setattr__(
                self, "id", span_id("span", self.start, self.end, self.label, self.origin)
            )

    def text(self, text: str) -> str:
        """The covered text of ``text`` (the article text this span points into)."""
        return text[self.start : self.end]

    def overlaps(self, start: int, end: int) -> bool:
        """True when this span shares at least one character with ``start:end``."""
        return self.start < end and start < self.end

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; ``None`` fields are left out to keep files small."""
        data: dict[str, Any] = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "origin": str(self.origin),
            "status": str(self.status),
        }
        return _with_decider(data, self.annotator, self.timestamp)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build a span from ``to_dict`` output (unknown keys are ignored)."""
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            label=str(data["label"]),
            origin=Origin(data.get("origin", Origin.MODEL)),
            status=Status(data.get("status", Status.PENDING)),
            id=str(data.get("id", "")),
            **_decider(data),
        )


def _opt_span(data: Mapping[str, Any] | None) -> Span | None:
    return Span.from_dict(data) if data else None


@dataclass(frozen=True, slots=True)
class Quote:
    """An attribution: the content (a quotation without its marks, or a reported clause)
    and who said it.

    ``speaker`` is the mention as written (possibly a pronoun, a title, a description);
    ``speaker_ref`` is the entity it names or resolves to (the name inside ``Governor of
    Washington Chris Gregoire``, the person a pronoun or ``the minister`` refers to), or
    ``None`` when the speaker phrase is itself the name.  ``cue`` is the reporting verb or
    phrase.  ``quoted`` lists, for a ``mixed`` attribution, the quoted stretches inside the
    content (character spans without the marks); it is empty for the other kinds.
    ``status`` is the decision on the quote itself, ``speaker_status`` the decision
    on its speaker, because a person often confirms a quote but fixes its speaker.
    """

    start: int
    end: int
    kind: QuoteKind = QuoteKind.DIRECT
    speaker: Span | None = None
    cue: Span | None = None
    speaker_ref: Span | None = None
    origin: Origin = Origin.RULE
    status: Status = Status.PENDING
    speaker_status: Status = Status.PENDING
    id: str = ""
    annotator: str | None = None
    timestamp: float | None = None
    quoted: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad quote offsets {self.start}:{self.end}")
        object.__setattr__(self, "quoted", tuple((int(a), int(b)) for a, b in self.quoted))
        if not self.id:
            object.__setattr__(
                self, "id", span_id("quote", self.start, self.end, self.kind, self.origin)
            )

    @property
    def label(self) -> str:
        """Quotes share the span interface of the UI: their label is ``QUOTE``."""
        return "QUOTE"

    @property
    def named_speaker(self) -> Span | None:
        """The speaker to show or export: the resolved name when there is one."""
        return self.speaker_ref or self.speaker

    def text(self, text: str) -> str:
        """The quoted content."""
        return text[self.start : self.end]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data: dict[str, Any] = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "kind": str(self.kind),
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker_ref": self.speaker_ref.to_dict() if self.speaker_ref else None,
            "origin": str(self.origin),
            "status": str(self.status),
            "speaker_status": str(self.speaker_status),
        }
        if self.quoted:  # left out when empty: older readers and files stay as they were
            data["quoted"] = [{"start": a, "end": b} for a, b in self.quoted]
        return _with_decider(data, self.annotator, self.timestamp)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build a quote from ``to_dict`` output."""
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            kind=QuoteKind(data.get("kind", QuoteKind.DIRECT)),
            speaker=_opt_span(data.get("speaker")),
            cue=_opt_span(data.get("cue")),
            speaker_ref=_opt_span(data.get("speaker_ref")),
            origin=Origin(data.get("origin", Origin.RULE)),
            status=Status(data.get("status", Status.PENDING)),
            speaker_status=Status(data.get("speaker_status", Status.PENDING)),
            id=str(data.get("id", "")),
            **_decider(data),
            quoted=tuple((int(q["start"]), int(q["end"])) for q in data.get("quoted") or ()),
        )


def quotations(quotes: Iterable[Quote]) -> list[Quote]:
    """Every stretch in quotation marks as a quotation of its own, in text order.

    ``direct`` and ``partial`` attributions as they are; each ``quoted`` stretch of a
    ``mixed`` one as a ``partial`` quotation with that attribution's speaker and cue;
    ``indirect`` ones have none.  This is the view of a quote detector that knows no
    reported speech (what a quotation dataset or the quote-stretch score counts).
    """
    found = []
    for quote in quotes:
        if quote.kind in (QuoteKind.DIRECT, QuoteKind.PARTIAL):
            found.append(quote)
        for start, end in quote.quoted:
            found.append(replace(quote, start=start, end=end, kind=QuoteKind.PARTIAL, quoted=()))
    return sorted(found, key=lambda q: (q.start, -q.end))


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence or quote that a person tagged (claim, denial, …): multi-label; or a
    trained classifier's suggestion (``annotate.statements``), decided like any."""

    start: int
    end: int
    tags: tuple[str, ...] = ()
    id: str = ""
    annotator: str | None = None
    timestamp: float | None = None
    origin: Origin = Origin.USER
    status: Status = Status.ACCEPTED

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad statement offsets {self.start}:{self.end}")
        object.__setattr__(self, "tags", tuple(self.tags))
        if not self.id:
            object.__setattr__(
                self, "id", span_id("statement", self.start, self.end, "", self.origin)
            )

    label = property(lambda self: "TAGS", doc="The span interface of the UI: ``TAGS``.")

    def text(self, text: str) -> str:
        """The statement's sentence (or quote)."""
        return text[self.start : self.end]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; ``origin`` and ``status`` only when not the defaults (a
        person's own tags), so the files and exports of those stay byte for byte."""
        data: dict[str, Any] = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "tags": list(self.tags),
        }
        if self.origin is not Origin.USER:
            data["origin"] = str(self.origin)
        if self.status is not Status.ACCEPTED:
            data["status"] = str(self.status)
        return _with_decider(data, self.annotator, self.timestamp)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build a statement from ``to_dict`` output."""
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            tags=tuple(str(t) for t in data.get("tags", ())),
            id=str(data.get("id", "")),
            **_decider(data),
            origin=Origin(data.get("origin", Origin.USER)),
            status=Status(data.get("status", Status.ACCEPTED)),
        )


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned news article: the text everything is annotated on, plus where it came from.

    ``meta`` holds what cleaning took out of the body (byline, captions, boilerplate,
    the original file's offsets); ``analysis`` names the model that made the
    suggestions (``{"model": name, "version": version}``) once it has run.
    """

    id: str
    title: str
    text: str
    source: str = ""
    published: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    analysis: Mapping[str, Any] | None = None

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        title: str = "",
        source: str = "",
        published: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Article:
        """An article whose id is the hash of its text."""
        return cls(
            id=content_id(text),
            title=title or text.strip().split("\n", 1)[0][:120],
            text=text,
            source=source,
            published=published,
            meta=dict(meta or {}),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "source": self.source,
            "published": self.published,
            "meta": dict(self.meta),
            "analysis": dict(self.analysis) if self.analysis is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build an article from ``to_dict`` output."""
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            text=str(data["text"]),
            source=str(data.get("source", "")),
            published=data.get("published"),
            meta=dict(data.get("meta") or {}),
            analysis=data.get("analysis"),
        )


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything proposed and decided on one article.

    ``sentences`` are the sentence boundaries of the analysis, kept so that a
    person can tag a sentence as a statement without re-running the model.
    """

    entities: tuple[Span, ...] = ()
    quotes: tuple[Quote, ...] = ()
    statements: tuple[Statement, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()

    @property
    def pending(self) -> int:
        """How many suggestions still wait for a decision (quotes count once, and a quote
        whose speaker waits counts as pending: it is not training data yet)."""
        return (
            sum(1 for s in self.entities if not s.status.decided)
            + sum(1 for q in self.quotes if is_pending(q))
            + sum(1 for s in self.statements if is_pending(s))
        )

    @property
    def decided(self) -> int:
        """How many suggestions carry a decision (a statement a person tagged on their
        own is not a suggestion: it counts in :attr:`tagged` instead)."""
        return (
            sum(1 for s in self.entities if s.status.decided)
            + sum(1 for q in self.quotes if q.status is not Status.PENDING)
            + sum(1 for s in self.statements if statement_decided(s))
        )

    @property
    def tagged(self) -> int:
        """Statements a person made or decided (pending tag suggestions are not)."""
        return sum(1 for s in self.statements if s.status is not Status.PENDING)

    def status(self, analysed: bool) -> ArticleStatus:
        """``done`` when analysed and nothing is pending; ``new`` when untouched (a
        pending tag suggestion alone leaves an article new)."""
        touched = self.decided > 0 or self.tagged > 0
        if analysed and self.pending == 0 and (touched or self.entities or self.quotes):
            return ArticleStatus.DONE
        return ArticleStatus.IN_PROGRESS if touched else ArticleStatus.NEW

    def replace(self, **changes: Any) -> Annotations:
        """A copy with some fields changed (dataclasses.replace, typed)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "entities": [s.to_dict() for s in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "statements": [s.to_dict() for s in self.statements],
            "sentences": [list(s) for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build annotations from ``to_dict`` output."""
        return cls(
            entities=tuple(Span.from_dict(d) for d in data.get("entities", ())),
            quotes=tuple(Quote.from_dict(d) for d in data.get("quotes", ())),
            statements=tuple(Statement.from_dict(d) for d in data.get("statements", ())),
            sentences=tuple((int(a), int(b)) for a, b in data.get("sentences", ())),
        )


def is_pending(item: Span | Quote | Statement) -> bool:
    """True while ``item`` waits for a decision (an entity replaced by what people chose
    elsewhere waits too; a statement waits while it is a pending tag suggestion).

    An accepted quote whose shown speaker is still pending waits too: exporting it
    would claim the quote without its speaker (``speaker=None``), so an article is not
    *done* until every shown speaker is decided.  A rejected quote's speaker does not
    matter, and a quote with no speaker has nothing left to decide.
    """
    if isinstance(item, Quote):
        if item.status is Status.PENDING:
            return True
        return (
            item.status is Status.ACCEPTED
            and item.speaker is not None
            and item.speaker_status is Status.PENDING
        )
    if isinstance(item, Statement):
        return item.status is Status.PENDING  # statements are never replaced
    return not item.status.decided


def statement_decided(statement: Statement) -> bool:
    """True for a suggested statement a person accepted or rejected."""
    return statement.origin is not Origin.USER and statement.status is not Status.PENDING


def sorted_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans in reading order (start, then longest first)."""
    return tuple(sorted(spans, key=lambda s: (s.start, -s.end, s.label)))
