"""Reported speech in the app: told apart from quotations in text, described in the side
panel, and decided like a quote (accept, reject, re-bound, re-kind, re-speaker).

Pilot tests on the real app; every decision is checked in the store (reopened where the
point is that the store's encoding keeps it), not on the screen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from annotate.model import Quote, QuoteKind, Status
from store import Store
from tests.conftest import wait_for
from tests.kinds_support import DIRECT, INDIRECT, MIXED, TEXT, add_kinds_article, at
from tui.app import NewsreadApp
from tui.config import Settings
from tui.screens.pickers import LabelPicker, SpeakerPicker
from tui.widgets.article_view import ArticleView
from tui.widgets.details import describe


@asynccontextmanager
async def running(
    store: Store, settings: Settings
) -> AsyncIterator[tuple[NewsreadApp, Pilot[None]]]:
    add_kinds_article(store)
    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        yield app, pilot


def stored(store: Store, content: str) -> Quote:
    """The stored attribution whose content starts like ``content``."""
    _, annotations = store.get(store.list_articles()[0].id)
    return next(q for q in annotations.quotes if TEXT[q.start : q.end].startswith(content[:12]))


async def focus(app: NewsreadApp, pilot: Pilot[None], content: str) -> Quote:
    """Focus the attribution whose content starts like ``content`` (decided ones too:
    tab visits pending suggestions only, and moving around is not what is tested)."""
    quote = next(
        q for q in app.main.annotations.quotes if TEXT[q.start : q.end].startswith(content[:12])
    )
    app.main.focus_item(quote.id)
    await pilot.pause()
    return quote


async def test_no_color_reader_marks_reported_speech_in_text(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with running(store, settings) as (app, pilot):
        assert app.no_color
        reader = app.main.query_one(ArticleView)
        await wait_for(lambda: reader.palette is not None)
        shown = reader.rendered_text
    assert f"said SAID› {INDIRECT} REPORTED." in shown
    assert f"said SAID› {MIXED} MIXED." in shown
    assert f'"{DIRECT} QUOTE"' in shown  # a quotation keeps its own marks and tag
    assert shown.count("SAID›") == 2  # never before a quotation


async def test_reported_speech_has_a_style_of_its_own(store: Store, settings: Settings) -> None:
    async with running(store, settings) as (app, pilot):
        reader = app.main.query_one(ArticleView)
        await wait_for(lambda: reader.palette is not None)
        palette = reader.palette
        assert palette is not None
        assert palette.style("palette--reported") != palette.style("palette--quote")
        layout = reader._ensure_layout()
        styles = {}
        for needle in ("border", "dead", "ready"):
            offset = layout.display_offset(TEXT.index(needle))
            styles[needle] = layout.display.get_style_at_offset(app.console, offset)
    quote, reported = palette.style("palette--quote"), palette.style("palette--reported")
    assert styles["border"].color == reported.color
    assert styles["dead"].color == quote.color  # the quoted words of a mixed one
    assert styles["ready"].color == quote.color


async def test_side_panel_shows_kind_speaker_linked_entity_and_cue(
    store: Store, settings: Settings
) -> None:
    async with running(store, settings) as (app, pilot):
        await focus(app, pilot, INDIRECT)
        panel = describe(TEXT, app.main.annotations, app.main.focused_item).plain
        await focus(app, pilot, MIXED)
        mixed = describe(TEXT, app.main.annotations, app.main.focused_item).plain
    assert panel.startswith("REPORTED · indirect")
    assert "speaker Minister Anna Smith → Anna Smith PERSON" in panel
    assert "cue     said" in panel
    assert mixed.startswith("REPORTED · mixed")
    assert "quoted  “dead on arrival”" in mixed
    assert "speaker Officials" in mixed and "→" not in mixed


async def test_accept_and_reject_reported_speech(store: Store, settings: Settings) -> None:
    async with running(store, settings) as (app, pilot):
        await focus(app, pilot, INDIRECT)
        await pilot.press("a")
        await focus(app, pilot, MIXED)
        await pilot.press("x")
        await pilot.pause()
    indirect, mixed = stored(store, INDIRECT), stored(store, MIXED)
    assert (indirect.status, indirect.speaker_status) == (Status.ACCEPTED, Status.ACCEPTED)
    assert indirect.annotator == "tester"
    assert mixed.status is Status.REJECTED


async def test_re_kind_is_a_saved_undoable_decision(store: Store, settings: Settings) -> None:
    async with running(store, settings) as (app, pilot):
        await focus(app, pilot, MIXED)
        await pilot.press("l")
        await wait_for(lambda: isinstance(app.screen, LabelPicker))
        assert isinstance(app.screen, LabelPicker)
        assert app.screen.labels == ["direct", "partial", "mixed", "indirect"]
        await pilot.press("4")  # indirect
        await wait_for(lambda: not isinstance(app.screen, LabelPicker))
        await pilot.pause()
        rekinded = stored(store, MIXED)
        await focus(app, pilot, DIRECT)
        await pilot.press("l", "3")  # a quotation becomes the quoted words of a mixed one
        await pilot.pause()
        await pilot.press("u")  # undoes the last decision only
        await pilot.pause()
    assert (rekinded.kind, rekinded.quoted, rekinded.status) == (
        QuoteKind.INDIRECT,
        (),
        Status.ACCEPTED,
    )
    assert stored(store, MIXED).kind is QuoteKind.INDIRECT
    direct = stored(store, DIRECT)
    assert direct.kind is QuoteKind.DIRECT and direct.status is Status.PENDING  # undone


async def test_re_kind_survives_a_restart(store: Store, settings: Settings, tmp_path: Path) -> None:
    async with running(store, settings) as (app, pilot):
        await focus(app, pilot, DIRECT)
        await pilot.press("l", "3")
        await pilot.pause()
    store.close()
    reopened = Store.open(tmp_path / "store")  # the conftest store's folder
    try:
        direct = stored(reopened, DIRECT)
        assert direct.kind is QuoteKind.MIXED
        assert direct.quoted == (at(DIRECT),)  # the old quotation, now quoted words
        result = reopened.undo(reopened.list_articles()[0].id)  # history kept the kind too
        assert result is not None
        assert stored(reopened, DIRECT).kind is QuoteKind.DIRECT
    finally:
        reopened.close()


async def test_re_bound_and_re_speaker_reported_speech(store: Store, settings: Settings) -> None:
    async with running(store, settings) as (app, pilot):
        await focus(app, pilot, INDIRECT)
        await pilot.press("[")  # start one token left: "said the border was secure"
        await pilot.pause()
        await focus(app, pilot, MIXED)
        await pilot.press("s")
        await wait_for(lambda: isinstance(app.screen, SpeakerPicker))
        await pilot.press("1")  # the first candidate: Anna Smith
        await pilot.pause()
    indirect, mixed = stored(store, "said " + INDIRECT), stored(store, MIXED)
    assert TEXT[indirect.start : indirect.end] == "said " + INDIRECT
    assert indirect.kind is QuoteKind.INDIRECT and indirect.status is Status.ACCEPTED
    assert mixed.speaker is not None
    assert TEXT[mixed.speaker.start : mixed.speaker.end] == "Anna Smith"
    assert mixed.kind is QuoteKind.MIXED and mixed.quoted == (at("dead on arrival"),)
