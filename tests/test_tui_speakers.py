"""A quote is decided with its speaker, and its cue follows the speaker (Pilot, on the store).

Each test drives the real app and then reads the store: what an export would see is
what counts, not what the screen shows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import pytest
from textual.pilot import Pilot

from annotate.model import Annotations, ArticleStatus, Quote, Status
from store import Store
from tests.tui_support import TEXT, add_fixture_articles, at, fixture_annotations
from tui.app import NewsreadApp
from tui.config import Settings
from tui.screens.help import binding_rows
from tui.screens.pickers import SpeakerPicker
from tui.widgets.article_view import ArticleView

DIRECT = "We will cut taxes,"


@asynccontextmanager
async def running(
    store: Store, settings: Settings
) -> AsyncIterator[tuple[NewsreadApp, Pilot[None]]]:
    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        yield app, pilot


def direct_quote(store: Store) -> Quote:
    _, annotations = store.get(store.list_articles()[0].id)
    return next(q for q in annotations.quotes if TEXT[q.start : q.end].startswith("We will"))


async def focus_quote(app: NewsreadApp, pilot: Pilot[None]) -> None:
    for _ in range(12):
        item = app.main.focused_item
        if isinstance(item, Quote) and TEXT[item.start : item.end].startswith("We will"):
            return
        await pilot.press("tab")
    raise AssertionError("could not focus the direct quote")


@pytest.fixture
def fixture_store(store: Store) -> Store:
    add_fixture_articles(store)
    return store


async def test_moving_a_quote_boundary_accepts_its_speaker(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await focus_quote(app, pilot)
        await pilot.press("left_curly_bracket")  # end one token left
    quote = direct_quote(fixture_store)
    assert TEXT[quote.start : quote.end] == "We will cut taxes"
    assert quote.status is Status.ACCEPTED and quote.speaker_status is Status.ACCEPTED
    assert quote.speaker is not None and TEXT[quote.speaker.start : quote.speaker.end] == "Doe"


async def test_a_pending_speaker_keeps_the_article_from_done_until_accept_all(
    store: Store, settings: Settings
) -> None:
    """The state an older newsread left (quote accepted, speaker pending) is not done."""
    add_fixture_articles(store)
    article_id = store.list_articles()[0].id
    article, _ = store.get(article_id)
    ann = fixture_annotations()
    who = settings.annotator  # the decisions are this annotator's version (store.versions)
    half = Annotations(
        entities=tuple(replace(e, status=Status.ACCEPTED, annotator=who) for e in ann.entities),
        quotes=tuple(
            replace(q, status=Status.ACCEPTED, speaker_status=Status.PENDING, annotator=who)
            for q in ann.quotes
        ),
        sentences=ann.sentences,
    )
    with Store.open(settings.store.parent / "other") as other:
        other.add_articles([(article, half)])
        assert other.list_articles()[0].status is ArticleStatus.IN_PROGRESS
        assert other.list_articles()[0].pending == 2
        async with running(other, settings) as (app, pilot):
            await pilot.press("A")
            assert other.list_articles()[0].status is ArticleStatus.DONE
        _, decided = other.get(article_id)
    assert all(q.speaker_status is Status.ACCEPTED for q in decided.quotes)


async def test_new_speaker_drops_the_old_cue_and_c_marks_or_clears_one(
    fixture_store: Store, settings: Settings
) -> None:
    assert direct_quote(fixture_store).cue is not None  # "told", found for Doe
    async with running(fixture_store, settings) as (app, pilot):
        await focus_quote(app, pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SpeakerPicker)
        await pilot.press("1")
        quote = direct_quote(fixture_store)
        assert quote.speaker is not None and quote.cue is None
        await pilot.press("c")  # no cue: mark one, starting after the quote
        reader = app.main.query_one(ArticleView)
        assert reader.selecting and reader.selection == at("Doe", nth=1)
        await pilot.press("w", "enter")  # "told"
        cue = direct_quote(fixture_store).cue
        assert cue is not None and (cue.start, cue.end) == at("told")
        await pilot.press("c")  # a cue: clear it
        assert direct_quote(fixture_store).cue is None
        assert ("c", "Mark the focused quote's cue (reporting verb), or clear it") in [
            (key, text) for key, text in binding_rows(app.main)
        ]


async def test_accept_all_from_the_palette_decides_speakers_too(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"Accept all pending")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
    summary = fixture_store.list_articles()[0]
    assert summary.status is ArticleStatus.DONE and summary.pending == 0
    _, annotations = fixture_store.get(summary.id)
    assert all(q.speaker_status is Status.ACCEPTED for q in annotations.quotes)
