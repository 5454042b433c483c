"""spaCy training corpora: ``train.spacy``/``dev.spacy`` and a textcat pair, from articles.

Each exported article becomes one ``Doc`` (blank English tokenizer, the same
tokens as every other export) with accepted entities in ``doc.ents`` -- the other
tokens ``O`` when the article is complete (done), *missing* (``ent_iob_ == ""``) when it
is not (in progress; see ``annotate.export.training``) -- accepted
quotes in ``doc.spans["quotes"]`` and their confirmed speakers in
``doc.spans["speakers"]``.  Each tagged statement becomes a ``Doc`` of its own text
with ``doc.cats`` over the whole tag set (``textcat_train.spacy`` /
``textcat_dev.spacy``), the input ``textcat_multilabel`` expects.

The train/dev split is seeded and decided per article by a hash of the seed and the
article id, so an article stays on the same side when the store grows and a
statement always goes where its article went.  Entities that spaCy cannot place
(not on token boundaries, or overlapping another entity, which ``doc.ents``
forbids) are reported through ``report``, never dropped silently.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.detect.nlp import load_model
from annotate.formats.textcat import cats
from annotate.formats.tokens import make_doc
from annotate.model import Annotations, Article, Quote, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

Report = Callable[[str], None]

FILES = {
    "train": "train.spacy",
    "dev": "dev.spacy",
    "textcat_train": "textcat_train.spacy",
    "textcat_dev": "textcat_dev.spacy",
}


def _ignore(_: str) -> None:
    return None


def split_score(article_id: str, seed: int) -> float:
    """A number in [0, 1) fixed by the seed and the article id (below the split: dev)."""
    digest = hashlib.sha1(f"{seed}:{article_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class _Entry:
    score: float
    doc: Doc
    statements: list[tuple[Doc, tuple[str, ...]]]


@dataclass
class DocBinCorpus:
    """Collects articles as Docs and writes the four DocBin files (see module doc)."""

    eval_split: float = 0.2
    seed: int = 0
    tags: tuple[str, ...] = ()
    report: Report = _ignore
    _train: list[_Entry] = field(default_factory=list)
    _dev: list[_Entry] = field(default_factory=list)
    _tags_seen: dict[str, None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.eval_split < 1.0:
            raise ValueError(f"eval split {self.eval_split} must be in [0, 1)")

    def add(self, article: Article, annotations: Annotations, *, complete: bool = True) -> None:
        """Add one article; ``annotations`` are the decisions to export (see ``select``),
        ``complete`` whether its other tokens are known to be no entity (done)."""
        doc = article_doc(article, annotations, complete=complete, report=self.report)
        nlp = load_model("blank:en")
        statements = []
        for statement in sorted(annotations.statements, key=lambda s: (s.start, -s.end)):
            if statement.tags:
                text = article.text[statement.start : statement.end]
                statements.append((nlp.make_doc(text), statement.tags))
                self._tags_seen.update(dict.fromkeys(statement.tags))
        score = split_score(article.id, self.seed)
        entry = _Entry(score, doc, statements)
        (self._dev if score < self.eval_split else self._train).append(entry)

    def _balanced(self) -> tuple[list[_Entry], list[_Entry]]:
        """Train and dev, with one article moved to dev when the split left it empty."""
        train, dev = list(self._train), list(self._dev)
        if self.eval_split > 0 and not dev and len(train) >= 2:
            closest = min(train, key=lambda e: e.score)
            train.remove(closest)
            dev.append(closest)
        return train, dev

    def write(self, folder: Path) -> dict[str, int]:
        """Write the DocBin files into ``folder``; returns how many Docs each holds."""
        from spacy.tokens import DocBin

        tag_set = tuple(dict.fromkeys([*self.tags, *self._tags_seen]))
        train, dev = self._balanced()
        contents: dict[str, list[Doc]] = {
            "train": [e.doc for e in train],
            "dev": [e.doc for e in dev],
            "textcat_train": _textcat_docs(train, tag_set),
            "textcat_dev": _textcat_docs(dev, tag_set),
        }
        folder.mkdir(parents=True, exist_ok=True)
        for key, docs in contents.items():
            _atomic_write(folder / FILES[key], DocBin(docs=docs).to_bytes())
        return {key: len(docs) for key, docs in contents.items()}


def _textcat_docs(entries: Iterable[_Entry], tag_set: tuple[str, ...]) -> list[Doc]:
    docs = []
    for entry in entries:
        for doc, tags in entry.statements:
            doc.cats = cats(tags, tag_set)
            docs.append(doc)
    return docs


def _atomic_write(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def article_doc(
    article: Article,
    annotations: Annotations,
    *,
    complete: bool = True,
    report: Report = _ignore,
) -> Doc:
    """The article as a Doc with its entities, quotes and speakers set (see module doc).

    ``complete``: tokens outside the entities are ``O``; else they are missing.  In a
    complete Doc the tokens of an entity that cannot be placed are missing, not ``O``:
    a person said they are an entity."""
    doc = make_doc(article)
    taken = [False] * len(doc)
    entities: list[SpacySpan] = []
    unplaced: list[int] = []
    for entity in sorted(annotations.entities, key=lambda e: (e.start, -e.end, e.label)):
        span = _char_span(doc, article, entity, f"entity {entity.label}", report)
        if span is None:
            touched = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if touched is not None:
                unplaced.extend(range(touched.start, touched.end))
            continue
        if any(taken[span.start : span.end]):
            report(
                f"article {article.id}: entity {entity.label} {entity.start}:{entity.end} "
                f"{span.text!r} overlaps another entity; doc.ents cannot hold both, left out"
            )
            continue
        taken[span.start : span.end] = [True] * len(span)
        entities.append(span)
    missing = [doc[i : i + 1] for i in sorted(set(unplaced)) if not taken[i]]
    if complete:
        doc.set_ents(entities, missing=missing, default="outside")
    else:
        doc.set_ents(entities, default="missing")
    quotes: list[SpacySpan] = []
    speakers: list[SpacySpan] = []
    for quote in sorted(annotations.quotes, key=lambda q: (q.start, -q.end)):
        quote_span = _char_span(doc, article, quote, "quote", report, label="QUOTE")
        if quote_span is not None:
            quotes.append(quote_span)
        if quote.speaker is not None:
            speaker = _char_span(doc, article, quote.speaker, "speaker", report)
            if speaker is not None:
                speakers.append(speaker)
    doc.spans["quotes"] = quotes
    doc.spans["speakers"] = speakers
    return doc


def _char_span(
    doc: Doc,
    article: Article,
    item: Span | Quote,
    what: str,
    report: Report,
    label: str | None = None,
) -> SpacySpan | None:
    span = doc.char_span(item.start, item.end, label=label or item.label)
    if span is None:
        covered = article.text[item.start : item.end]
        report(
            f"article {article.id}: {what} {item.start}:{item.end} {covered!r} does not "
            f"fall on token boundaries; left out of the DocBin"
        )
    return span
