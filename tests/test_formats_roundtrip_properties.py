"""Property tests: any accepted spans survive a JSONL export and import unchanged.

Random texts (non-ASCII, newlines) with touching entities, entities nested in
quotes, spans at both ends of the text, and tagged statements: importing the
exported task gives the same annotations back, and exporting that gives the same
bytes again.
"""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.formats.prodigy_import import item_from_task
from annotate.formats.prodigy_jsonl import dumps, task_from_article
from annotate.formats.select import Selection
from annotate.model import Annotations, Article, Quote, QuoteKind, Span, Statement, Status

LABELS = ("PERSON", "ORG", "GPE", "ÉVÉNEMENT")
TAGS = ("claim", "denial", "promise")

_chars = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs")),
    st.sampled_from(" \n“”ßé中文😀"),
)
texts = st.text(_chars, min_size=1, max_size=80).filter(lambda t: t.strip() != "")


def _span(start: int, end: int, label: str, **kw: Any) -> Span:
    return Span(start, end, label, status=Status.ACCEPTED, annotator="a", timestamp=7.0, **kw)


@st.composite
def articles(draw: st.DrawFn) -> tuple[Article, Annotations]:
    text = draw(texts)
    n = len(text)
    offsets = st.integers(0, n)
    # Touching entities: consecutive pieces between sorted cut points (0 and n included).
    cuts = sorted(set(draw(st.lists(offsets, max_size=4)) + [0, n]))
    pieces = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]
    chosen = draw(st.lists(st.sampled_from(pieces), max_size=len(pieces), unique=True))
    extra = draw(st.lists(st.tuples(offsets, offsets).filter(lambda p: p[0] < p[1]), max_size=3))
    entities: dict[tuple[int, int, str], Span] = {}
    for start, end in [*chosen, *extra]:
        label = draw(st.sampled_from(LABELS))
        entities[(start, end, label)] = _span(start, end, label)
    quotes: dict[tuple[int, int, str], Quote] = {}
    for start, end in draw(
        st.lists(st.tuples(offsets, offsets).filter(lambda p: p[0] < p[1]), max_size=2)
    ):
        inside = [e for e in entities.values() if start <= e.start and e.end <= end]
        speaker = draw(st.sampled_from([None, *inside])) if inside else None
        kind = draw(st.sampled_from(list(QuoteKind)))
        quotes[(start, end, kind)] = Quote(
            start,
            end,
            kind=kind,
            speaker=speaker,
            cue=draw(st.sampled_from([None, _span(0, n, "CUE")])),
            status=Status.ACCEPTED,
            speaker_status=Status.ACCEPTED,
            annotator="a",
            timestamp=7.0,
        )
    statements: dict[tuple[int, int], Statement] = {}
    for start, end in draw(
        st.lists(st.tuples(offsets, offsets).filter(lambda p: p[0] < p[1]), max_size=2)
    ):
        tags = tuple(draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=3, unique=True)))
        statements[(start, end)] = Statement(start, end, tags=tags, annotator="a", timestamp=7.0)
    article = Article.from_text(text, title=draw(st.text(_chars, max_size=10)), source="prop")
    return article, Annotations(
        entities=tuple(entities.values()),
        quotes=tuple(quotes.values()),
        statements=tuple(statements.values()),
    )


def _entity_key(span: Span | None) -> tuple[int, int, str] | None:
    return None if span is None else (span.start, span.end, span.label)


def _view(annotations: Annotations) -> tuple[Any, ...]:
    """What must survive: offsets, labels, statuses, speakers, kinds and tags."""
    return (
        sorted((e.start, e.end, e.label, e.status) for e in annotations.entities),
        sorted(
            (
                q.start,
                q.end,
                str(q.kind),
                q.status,
                _entity_key(q.speaker),
                _entity_key(q.cue),
                _entity_key(q.speaker_ref),
            )
            for q in annotations.quotes
        ),
        sorted((s.start, s.end, s.tags) for s in annotations.statements),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_random_spans_survive_export_and_import(case: tuple[Article, Annotations]) -> None:
    article, annotations = case
    line = dumps(task_from_article(article, Selection().apply(annotations)))
    imported = item_from_task(orjson.loads(line), where="prop.jsonl:1")
    assert imported.article.text == article.text
    assert imported.article.id == article.id
    assert imported.article.title == article.title
    assert imported.annotations is not None
    assert _view(imported.annotations) == _view(annotations)
    again = dumps(task_from_article(imported.article, Selection().apply(imported.annotations)))
    assert again == line
