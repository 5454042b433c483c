"""A small hand-annotated article for UI tests: known spans, a quote with a speaker.

UI tests must not depend on what the detectors find (those have tests of their own),
so this article carries fixed suggestions, as if the model had produced them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from annotate.model import (
    Annotations,
    Article,
    Origin,
    Quote,
    QuoteKind,
    Span,
)
from store import Store
from tui.app import NewsreadApp
from tui.config import Settings

TEXT = (
    "City budget passes\n\n"
    'Mayor Jane Doe said the budget is "balanced and fair," according to officials.\n\n'
    '"We will cut taxes," Doe told reporters in Springfield on Monday. '
    "Critics called the plan a fantasy."
)
SECOND_TEXT = "Second article\n\nNothing to see in Shelbyville today."


def at(needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``needle`` in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def span(needle: str, label: str, nth: int = 0) -> Span:
    """A pending model suggestion on ``needle``."""
    start, end = at(needle, nth)
    return Span(start, end, label, origin=Origin.MODEL)


def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Naive sentence boundaries (paragraphs split at '. ')."""
    bounds = []
    offset = 0
    for paragraph in text.split("\n"):
        start = offset
        for piece in paragraph.split(". "):
            end = start + len(piece)
            if piece:
                bounds.append((start, min(end + 1, offset + len(paragraph))))
            start = end + 2
        offset += len(paragraph) + 1
    return tuple(bounds)


def fixture_annotations() -> Annotations:
    """Entities (one wrongly labelled ORG), a direct and a partial quote."""
    doe = span("Doe", "ORG", nth=1)
    told = span("told", "CUE")
    direct_start, direct_end = at("We will cut taxes,")
    partial_start, partial_end = at("balanced and fair,")
    jane = span("Jane Doe", "PERSON")
    return Annotations(
        entities=(
            jane,
            doe,
            span("Springfield", "GPE"),
            span("Monday", "DATE"),
        ),
        quotes=(
            Quote(
                partial_start,
                partial_end,
                QuoteKind.PARTIAL,
                speaker=Span(jane.start, jane.end, "SPEAKER", origin=Origin.RULE),
                cue=span("said", "CUE"),
            ),
            Quote(
                direct_start,
                direct_end,
                QuoteKind.DIRECT,
                speaker=Span(doe.start, doe.end, "SPEAKER", origin=Origin.RULE),
                cue=told,
            ),
        ),
        sentences=sentences(TEXT),
    )


def add_fixture_articles(store: Store) -> tuple[str, str]:
    """Store the fixture article (analysed) and a second plain one; returns their ids."""
    first = Article.from_text(TEXT, title="City budget passes", source="fixture.txt")
    first = Article.from_dict({**first.to_dict(), "analysis": {"model": "fixture", "version": "1"}})
    second = Article.from_text(SECOND_TEXT, title="Second article", source="second.txt")
    second = Article.from_dict(
        {**second.to_dict(), "analysis": {"model": "fixture", "version": "1"}}
    )
    store.add_articles(
        [(first, fixture_annotations()), (second, Annotations(sentences=sentences(SECOND_TEXT)))]
    )
    return first.id, second.id


@asynccontextmanager
async def running(
    store: Store, settings: Settings, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[NewsreadApp, Pilot[None]]]:
    """The app on ``store`` without the model, in a test terminal of ``size``."""
    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


def stored(store: Store) -> tuple[list[Span], list[Quote]]:
    """Entities and quotes of the fixture article, as stored."""
    article_id = store.list_articles()[0].id
    _, annotations = store.get(article_id)
    return list(annotations.entities), list(annotations.quotes)


def entity(store: Store, needle: str, nth: int = 0) -> Span:
    """The stored entity on the ``nth`` ``needle`` of TEXT."""
    start, end = at(needle, nth)
    entities, _ = stored(store)
    return next(s for s in entities if (s.start, s.end) == (start, end))


def focused_text(app: NewsreadApp) -> str:
    """The text of the item the reader focuses."""
    item = app.main.focused_item
    assert item is not None
    return TEXT[item.start : item.end]


async def focus_on(app: NewsreadApp, pilot: Pilot[None], needle: str) -> None:
    """Tab until the item on ``needle`` is focused."""
    for _ in range(12):
        if app.main.focused_item is not None and focused_text(app) == needle:
            return
        await pilot.press("tab")
    raise AssertionError(f"could not focus {needle!r}")
