"""spaCy training corpora: ``train.spacy``/``dev.spacy`` and a textcat pair, from articles.

Each exported article becomes one ``Doc`` (blank English tokenizer, the same
tokens as every other export) with accepted entities in ``doc.ents`` -- the other
tokens ``O`` when the article is complete (done), *missing* (``ent_iob_ == ""``) when it
is not (in progress; see ``annotate.export.training``) -- accepted attributions in
``doc.spans["quotes"]`` labelled by kind (``QUOTE_DIRECT``, ``QUOTE_MIXED``,
``REPORTED``, ``QUOTE_PARTIAL``: ``prodigy_rel.KIND_LABELS``), their confirmed speakers
in ``doc.spans["speakers"]`` and their cues in ``doc.spans["cues"]``.  Each tagged
statement becomes a ``Doc`` of its own text with ``doc.cats`` over the whole tag set
(``textcat_train.spacy`` / ``textcat_dev.spacy``), the input ``textcat_multilabel``
expects.

The train/dev split is seeded and decided per article by a hash of the seed and the
article id, so an article stays on the same side when the store grows and a
statement always goes where its article went.  Entities that spaCy cannot place
(not on token boundaries, or overlapping another entity, which ``doc.ents``
forbids) are reported through ``report``, never dropped silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.detect.nlp import load_model
from annotate.formats.docbin_stream import DocBinWriter
from annotate.formats.prodigy_rel import KIND_LABELS
from annotate.formats.tokens import make_doc
from annotate.model import Annotations, Article, Quote, Span
from annotate.statements import is_tagged

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
    """Writes the four DocBin files into ``folder`` as articles come (see module doc).

    Each Doc goes straight to its file's :class:`DocBinWriter`, so memory stays flat in
    the number of articles.  Until dev has a Doc, the train article with the lowest
    split score is held back (one article): when the split leaves dev empty, it goes
    to dev at :meth:`close`, as an eval set spaCy can score on.
    """

    folder: Path
    eval_split: float = 0.2
    seed: int = 0
    tags: tuple[str, ...] = ()
    report: Report = _ignore
    _files: dict[str, DocBinWriter] = field(default_factory=dict)
    _held: _Entry | None = None
    _tags_seen: dict[str, None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.eval_split < 1.0:
            raise ValueError(f"eval split {self.eval_split} must be in [0, 1)")
        self._files = {key: DocBinWriter(self.folder / name) for key, name in FILES.items()}

    def add(self, article: Article, annotations: Annotations, *, complete: bool = True) -> None:
        """Add one article; ``annotations`` are the decisions to export (see ``select``),
        ``complete`` whether its other tokens are known to be no entity (done)."""
        doc = article_doc(article, annotations, complete=complete, report=self.report)
        nlp = load_model("blank:en")
        statements = []
        for statement in sorted(annotations.statements, key=lambda s: (s.start, -s.end)):
            if is_tagged(statement):
                text = article.text[statement.start : statement.end]
                statements.append((nlp.make_doc(text), statement.tags))
                self._tags_seen.update(dict.fromkeys(statement.tags))
        entry = _Entry(split_score(article.id, self.seed), doc, statements)
        if entry.score < self.eval_split:
            self._put("dev", entry)
            if self._held is not None:  # dev is not empty: nothing to hold back
                self._put("train", self._held)
                self._held = None
        elif self.eval_split > 0 and not self._files["dev"].count:
            held = self._held
            if held is None or entry.score < held.score:
                self._held = entry
                if held is not None:
                    self._put("train", held)
            else:
                self._put("train", entry)
        else:
            self._put("train", entry)

    def _put(self, side: str, entry: _Entry) -> None:
        self._files[side].add(entry.doc)
        for doc, tags in entry.statements:
            self._files[f"textcat_{side}"].add(doc, tags)

    def close(self) -> dict[str, int]:
        """Write the files; returns how many Docs each holds."""
        if self._held is not None:
            dev_is_empty = not self._files["dev"].count and self._files["train"].count >= 1
            self._put("dev" if dev_is_empty else "train", self._held)
            self._held = None
        tag_set = tuple(dict.fromkeys([*self.tags, *self._tags_seen]))
        return {key: writer.close(tag_set) for key, writer in self._files.items()}

    def discard(self) -> None:
        """Drop what was spooled (an export that failed)."""
        for writer in self._files.values():
            writer.discard()


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
    cues: list[SpacySpan] = []
    for quote in sorted(annotations.quotes, key=lambda q: (q.start, -q.end)):
        label = KIND_LABELS[quote.kind]
        quote_span = _char_span(doc, article, quote, "quote", report, label=label)
        if quote_span is not None:
            quotes.append(quote_span)
        for part, found, what in ((quote.speaker, speakers, "speaker"), (quote.cue, cues, "cue")):
            if part is not None:
                placed = _char_span(doc, article, part, what, report)
                if placed is not None:
                    found.append(placed)
    doc.spans["quotes"] = quotes
    doc.spans["speakers"] = speakers
    doc.spans["cues"] = cues
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
