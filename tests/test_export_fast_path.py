"""The JSONL export's fast path writes the very bytes of the object path it replaced.

The export now builds each task from the store's documents (``Store.docs``) with the
article's cached tokens (``CachedTokens``, a per-character token table).  The oracle
here is the exporter as it was before (main at 0bed729), kept verbatim below: random
articles with decisions of every kind go through both and must give the same line and
the same warnings.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.formats.prodigy_jsonl import QUOTE, SPEAKER, line_from_docs, set_hashes
from annotate.formats.select import Selection
from annotate.formats.tokens import (
    TOKENIZATION_KEY,
    WHITESPACE,
    CachedTokens,
    TokenIndex,
    cache_tokens,
    char_table,
    make_doc,
    token_records,
    tokenizer_name,
)
from annotate.model import Annotations, Article, Quote, QuoteKind, Span, Statement, Status
from store.history import sorted_annotations

# -- the reference: the exporter of main at 0bed729, unchanged ----------------------


class _SetIndex:
    """``TokenIndex`` as it was: membership in sets of boundaries."""

    def __init__(self, starts: list[int], ends: list[int]) -> None:
        self.starts = starts
        self._start_set, self._end_set = frozenset(starts), frozenset(ends)

    def aligned(self, start: int, end: int) -> bool:
        return start in self._start_set and end in self._end_set and start < end

    def token_at(self, char: int) -> int:
        return max(bisect_right(self.starts, char) - 1, 0)

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        first = self.token_at(start)
        return first, max(self.token_at(max(end - 1, start)), first)


def _span_dict(span: Span | Quote, index: _SetIndex, label: str) -> dict[str, Any]:
    token_start, token_end = index.token_span(span.start, span.end)
    return {
        "start": span.start,
        "end": span.end,
        "label": label,
        "token_start": token_start,
        "token_end": token_end,
    }


def _check_aligned(
    article: Article,
    span: Span | Quote,
    what: str,
    index: _SetIndex,
    report: Callable[[str], None],
) -> None:
    if not index.aligned(span.start, span.end):
        covered = article.text[span.start : span.end]
        report(
            f"article {article.id}: {what} {span.start}:{span.end} {covered!r} does not "
            f"fall on token boundaries; token_start/token_end cover the tokens it touches"
        )


def _reference_relations(
    quote: dict[str, Any], speaker: dict[str, Any], ref: dict[str, Any] | None, spans: list[Any]
) -> list[dict[str, Any]]:
    """The relations rule, written plainly: SPEAKER from the entity the speaker (or the
    name it resolves to) overlaps most, else from the speaker; a speaker resolving to a
    mention outside it (a pronoun) keeps its span and adds COREF to that entity."""

    def shared(a: dict[str, Any], b: dict[str, Any]) -> int:
        return min(a["end"], b["end"]) - max(a["start"], b["start"])

    def entity(mention: dict[str, Any]) -> dict[str, Any] | None:
        found = [(shared(e, mention), -i) for i, e in enumerate(spans) if shared(e, mention) > 0]
        return spans[-max(found)[1]] if found else None

    def rel(head: dict[str, Any], child: dict[str, Any], label: str) -> dict[str, Any]:
        return {
            "head": head["token_end"],
            "child": child["token_end"],
            "head_span": head,
            "child_span": child,
            "label": label,
        }

    if ref is not None and shared(ref, speaker) <= 0:
        return [rel(speaker, quote, SPEAKER), rel(speaker, entity(ref) or ref, "COREF")]
    head = (entity(ref) if ref is not None else None) or entity(speaker) or speaker
    return [rel(head, quote, SPEAKER)]


def reference_task(
    article: Article, annotations: Annotations, report: Callable[[str], None], answer: str
) -> dict[str, Any]:
    tokens, built = token_records(make_doc(article), article.text)
    index = _SetIndex(built.starts, built.ends)
    spans = []
    for entity in sorted(annotations.entities, key=lambda e: (e.start, -e.end, e.label)):
        _check_aligned(article, entity, f"entity {entity.label}", index, report)
        spans.append(_span_dict(entity, index, entity.label))
    relations = []
    quotes = []
    for quote in sorted(annotations.quotes, key=lambda q: (q.start, -q.end, q.kind)):
        _check_aligned(article, quote, "quote", index, report)
        quote_span = _span_dict(quote, index, QUOTE)
        speaker = _span_dict(quote.speaker, index, quote.speaker.label) if quote.speaker else None
        ref = (
            _span_dict(quote.speaker_ref, index, quote.speaker_ref.label)
            if quote.speaker_ref
            else None
        )
        if quote.speaker is not None and speaker is not None:
            _check_aligned(article, quote.speaker, "speaker", index, report)
            relations += _reference_relations(quote_span, speaker, ref, spans)
        quotes.append(
            {
                **quote_span,
                "kind": str(quote.kind),
                "speaker": speaker,
                "cue": _span_dict(quote.cue, index, quote.cue.label) if quote.cue else None,
                "speaker_ref": ref,
            }
        )
    statements = [
        {"start": s.start, "end": s.end, "tags": list(s.tags)}
        for s in sorted(annotations.statements, key=lambda s: (s.start, -s.end, s.tags))
    ]
    meta: dict[str, Any] = {"id": article.id, "title": article.title, "source": article.source}
    if article.published is not None:
        meta["published"] = article.published
    if article.meta:
        meta["extra"] = dict(article.meta)
    task: dict[str, Any] = {
        "text": article.text,
        "meta": meta,
        "tokens": tokens,
        "spans": spans,
        "relations": relations,
        "quotes": quotes,
        "statements": statements,
        "answer": answer,
    }
    set_hashes(task)
    items: list[Span | Quote | Statement] = [
        *annotations.entities,
        *annotations.quotes,
        *annotations.statements,
    ]
    stamped = [i for i in items if i.timestamp is not None]
    if not stamped:
        annotators = [i.annotator for i in items if i.annotator]
        task["_annotator_id"], task["_timestamp"] = annotators[0] if annotators else None, None
    else:
        last = max(stamped, key=lambda i: (i.timestamp or 0.0, i.annotator or ""))
        task["_annotator_id"], task["_timestamp"] = last.annotator, int(last.timestamp or 0)
    return task


# -- random articles with decisions of every kind ------------------------------------

LABELS = ("PERSON", "ORG", "GPE")
ANNOTATORS = (None, "ann", "bob")
_chars = st.one_of(
    st.sampled_from(" \n“”'-.,é中😀"), st.characters(blacklist_categories=("Cc", "Cs"))
)
texts = st.text(_chars, min_size=1, max_size=60).filter(lambda t: t.strip() != "")
words = st.text(st.sampled_from("abcé-'."), min_size=1, max_size=6)


@st.composite
def stored(draw: st.DrawFn) -> tuple[Article, Annotations]:
    """An article (sometimes pre-tokenized, as a CoNLL import) with random decisions,
    in the order the store keeps them."""
    if draw(st.booleans()):
        text = draw(st.lists(words, min_size=1, max_size=8).map(" ".join))
        text += draw(st.sampled_from(["", "\n" + text]))
        meta: dict[str, Any] = {TOKENIZATION_KEY: WHITESPACE}
    else:
        text, meta = draw(texts), draw(st.sampled_from([{}, {"byline": "X"}]))
    n = len(text)
    # Few distinct bounds, so that spans often share them (the order's tie-breaks).
    pool = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), min_size=1, max_size=3))
    bounds = st.sampled_from([tuple(sorted(p)) for p in pool])

    def stamp() -> dict[str, Any]:
        return {
            "annotator": draw(st.sampled_from(ANNOTATORS)),
            "timestamp": draw(st.sampled_from([None, 5.0, 7.5, 7.9])),
        }

    def span(label: str | None = None) -> Span:
        start, end = draw(bounds)
        return Span(
            start,
            end,
            label or draw(st.sampled_from(LABELS)),
            status=draw(st.sampled_from(list(Status))),
            **stamp(),
        )

    def maybe_span() -> Span | None:
        return draw(st.sampled_from([None, span("PERSON")]))

    entities = draw(st.lists(st.builds(span), max_size=6))
    quotes = []
    for _ in range(draw(st.integers(0, 3))):
        start, end = draw(bounds)
        quotes.append(
            Quote(
                start,
                end,
                kind=draw(st.sampled_from(list(QuoteKind))),
                speaker=maybe_span(),
                cue=maybe_span(),
                speaker_ref=maybe_span(),
                status=draw(st.sampled_from(list(Status))),
                speaker_status=draw(st.sampled_from(list(Status))),
                id=draw(st.sampled_from(["", "q1", "q2"])),  # same words, other quote
                **stamp(),
            )
        )
    statements = []
    for _ in range(draw(st.integers(0, 2))):
        start, end = draw(bounds)
        tags = draw(st.lists(st.sampled_from(("claim", "denial")), max_size=2, unique=True))
        statements.append(Statement(start, end, tuple(tags), **stamp()))
    article = Article.from_text(
        text, title=draw(st.text(_chars, max_size=5)), published="2024-05-01", meta=meta
    )
    annotations = Annotations(_unique(entities), _unique(quotes), _unique(statements))
    return article, sorted_annotations(annotations)


def _unique(items: list[Any]) -> tuple[Any, ...]:
    """One item per id, as the store holds them (an edit adding a second is refused)."""
    return tuple({item.id: item for item in items}.values())


selections = st.builds(
    Selection.of,
    st.sampled_from([None, ["PERSON"], ["ORG", "GPE"]]),
    st.sampled_from([None, "ann", "bob"]),
)


def _docs(annotations: Annotations) -> tuple[list[Any], list[Any], list[Any]]:
    return (
        [e.to_dict() for e in reversed(annotations.entities)],  # any order must do
        [q.to_dict() for q in annotations.quotes],
        [s.to_dict() for s in annotations.statements],
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stored(), selections, st.sampled_from(["accept", "ignore"]), st.booleans())
def test_fast_line_is_the_reference_line(
    case: tuple[Article, Annotations], selection: Selection, answer: str, cached: bool
) -> None:
    article, annotations = case
    expected: list[str] = []
    reference = orjson.dumps(
        reference_task(article, selection.apply(annotations), expected.append, answer),
        option=orjson.OPT_APPEND_NEWLINE,
    )
    tokens = CachedTokens.from_bytes(cache_tokens(article).to_bytes()) if cached else None
    got: list[str] = []
    line = line_from_docs(
        article.to_dict(),
        selection.apply_docs(*_docs(annotations)),
        tokens,
        report=got.append,
        answer=answer,
    )
    assert line == reference
    assert got == expected


def test_ties_are_written_in_the_reference_order() -> None:
    """Spans of the same words: entities by label, quotes by kind then id, whatever the
    order of the documents (the property above meets these only now and then)."""
    article = Article.from_text("Ann Lee said “we will win” in Oslo.")

    def ok(span: Span) -> Span:
        return replace(span, status=Status.ACCEPTED, annotator="ann", timestamp=1.0)

    ann, oslo = Span(0, 7, "PERSON"), Span(30, 34, "GPE")
    entities = [ok(Span(0, 7, label)) for label in ("PERSON", "ORG", "GPE", "NORP")]
    quotes = [
        Quote(
            14,
            25,
            kind=kind,
            speaker=speaker,
            id=qid,
            status=Status.ACCEPTED,
            speaker_status=Status.ACCEPTED,
            annotator="bob",
            timestamp=2.0,
        )
        for kind in QuoteKind
        for qid, speaker in (("q2", ann), ("q1", oslo), ("q3", None))
    ]
    statements = (Statement(0, 34, ("denial", "claim"), annotator="ann", timestamp=1.5),)
    annotations = sorted_annotations(Annotations(tuple(entities), tuple(quotes), statements))
    reference = orjson.dumps(
        reference_task(article, Selection().apply(annotations), print, "accept"),
        option=orjson.OPT_APPEND_NEWLINE,
    )
    entity_docs, quote_docs, statement_docs = _docs(annotations)
    for order in (lambda docs: docs, lambda docs: docs[::-1]):
        chosen = Selection().apply_docs(
            order(entity_docs), order(quote_docs), order(statement_docs)
        )
        assert line_from_docs(article.to_dict(), chosen, None) == reference


# -- the character table --------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(texts, st.data())
def test_char_table_answers_as_the_token_index(text: str, data: st.DataObject) -> None:
    article = Article.from_text(text)
    _, index = token_records(make_doc(article), text)
    reference = _SetIndex(index.starts, index.ends)
    table = char_table(index.starts, index.ends, len(text))
    assert len(table) == len(text) + 1
    offsets = st.integers(0, len(text) + 2)
    for _ in range(20):
        start, end = sorted((data.draw(offsets), data.draw(offsets)))
        at_start = table[min(start, len(text))]
        at_end = table[min(end - 1, len(text))] if end > start else at_start
        assert (at_start >> 2, at_end >> 2) == reference.token_span(start, end)
        aligned = end > start and bool(at_start & 2) and bool(at_end & 1)
        assert aligned == reference.aligned(start, end) == index.aligned(start, end)
        assert index.token_span(start, end) == reference.token_span(start, end)


# -- the cached tokens ------------------------------------------------------------------


def test_cached_tokens_survive_their_stored_form() -> None:
    article = Article.from_text("Ann Lee said “we will win” in Oslo.\n\nBob agreed.")
    made = cache_tokens(article)
    tokens, _ = token_records(make_doc(article), article.text)
    assert orjson.loads(made.json) == tokens  # the very dicts Prodigy gets
    back = CachedTokens.from_bytes(made.to_bytes())
    assert back is not None
    assert (back.tokenizer, back.length, list(back.table), back.json) == (
        made.tokenizer,
        made.length,
        list(made.table),
        made.json,
    )
    assert back.fits(article.text, article.meta)
    assert not back.fits(article.text + " ", article.meta)  # another text
    assert not back.fits(article.text, {TOKENIZATION_KEY: WHITESPACE})  # another tokenizer


def test_a_wide_table_is_stored_with_four_byte_entries() -> None:
    wide = CachedTokens("t", 3, [0, 70_000 << 2, (70_000 << 2) | 3, 70_001 << 2], b"[]")
    back = CachedTokens.from_bytes(wide.to_bytes())
    assert back is not None and list(back.table) == list(wide.table)
    assert b'"width":"I"' in wide.to_bytes()


_BYTEORDER = f'"{sys.byteorder}"'.encode()
_OTHER_BYTEORDER = b'"big"' if sys.byteorder == "little" else b'"little"'


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-3],  # cut short
        lambda raw: raw.replace(_BYTEORDER, _OTHER_BYTEORDER),  # made on another machine
        lambda raw: raw.replace(b'"width":"H"', b'"width":"Q"'),
        lambda raw: b"not json\n" + raw,
        lambda raw: raw.split(b"\n", 1)[1],  # no header
        lambda raw: b"",
    ],
)
def test_a_damaged_copy_is_not_used(damage: Callable[[bytes], bytes]) -> None:
    raw = cache_tokens(Article.from_text("One two three.")).to_bytes()
    assert CachedTokens.from_bytes(raw) is not None
    assert CachedTokens.from_bytes(damage(raw)) is None


def test_tokens_made_by_another_spacy_are_not_used() -> None:
    article = Article.from_text("Ann Lee visited Oslo.")
    current = cache_tokens(article)
    assert current.tokenizer == tokenizer_name(article.meta)
    assert "spacy-" in current.tokenizer
    stale = replace_json(current, tokenizer=current.tokenizer.replace("spacy-", "spacy-0.0-"))
    selected = Selection().apply_docs([], [], [])
    fresh = line_from_docs(article.to_dict(), selected, current)
    # Wrong tokens under the current tokenizer's name are used as they are (the cache
    # is really read) ...
    wrong = replace_json(current, json=b'[{"text":"X"}]')
    assert b'"tokens":[{"text":"X"}]' in line_from_docs(article.to_dict(), selected, wrong)
    # ... but under another version's name they are ignored and the text tokenized.
    assert line_from_docs(article.to_dict(), selected, replace_json(stale, json=wrong.json)) == (
        fresh
    )


def replace_json(tokens: CachedTokens, **changes: Any) -> CachedTokens:
    return tokens._replace(**changes)


def test_token_index_bisects_like_the_sets_did() -> None:
    index = TokenIndex([0, 4, 9], [3, 8, 10])
    reference = _SetIndex([0, 4, 9], [3, 8, 10])
    for start in range(12):
        for end in range(start, 13):
            assert index.aligned(start, end) == reference.aligned(start, end)


def test_unconfirmed_speakers_are_left_out_of_the_documents_too() -> None:
    speaker = Span(0, 3, "PERSON")
    quote = Quote(5, 9, speaker=speaker, status=Status.ACCEPTED, speaker_ref=speaker)
    chosen = Selection().apply_docs([], [quote.to_dict()], [])
    assert chosen.quotes[0]["speaker"] is None and chosen.quotes[0]["speaker_ref"] is None
    confirmed = replace(quote, speaker_status=Status.ACCEPTED)
    assert Selection().apply_docs([], [confirmed.to_dict()], []).quotes[0]["speaker"]
