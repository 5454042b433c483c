"""Every correction within reach (issue 13): revisit decided items, jump to quotes and
items, add a missed quote with its speaker, a speaker picker that decides only what
it says.  Each test counts the keys of its correction and checks the store."""

from __future__ import annotations

from textual.pilot import Pilot

from annotate.model import Origin, Quote, QuoteKind, Status
from store import Store
from tests.tui_support import TEXT, at, entity, focus_on, focused_text, running, stored
from tui.app import NewsreadApp
from tui.config import Settings
from tui.screens.pickers import ItemPicker, LabelPicker, SpeakerPicker
from tui.widgets.article_view import ArticleView


def quote_on(store: Store, needle: str) -> Quote:
    """The stored quote whose content is ``needle``."""
    _, quotes = stored(store)
    return next(q for q in quotes if TEXT[q.start : q.end] == needle)


def pending_count(store: Store) -> int:
    """Pending items of the fixture article."""
    return store.list_articles()[0].pending


async def test_a_decided_entity_is_relabelled_while_others_wait(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("a")  # accept "Jane Doe"; the focus moves on
        assert focused_text(app) != "Jane Doe"
        await pilot.press("P", "4")  # back to the decided entity (2 keys), ORG is label 4
        assert pending_count(fixture_store) > 0
        assert entity(fixture_store, "Jane Doe").label == "ORG"
        await pilot.press("u")  # an ordinary decision: undo gives PERSON back
    jane = entity(fixture_store, "Jane Doe")
    assert jane.label == "PERSON" and jane.status is Status.ACCEPTED


async def test_go_to_item_reaches_a_decided_item_in_two_keys(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("a")  # Jane Doe accepted, the focus moved past it
        await pilot.press("g")
        assert isinstance(app.screen, ItemPicker)
        digit = ItemPicker.DIGITS[
            next(n for n, i in enumerate(app.screen.items) if TEXT[i.start : i.end] == "Jane Doe")
        ]
        await pilot.press(digit)
        assert focused_text(app) == "Jane Doe"
        await pilot.press("right_square_bracket")  # start one token right: "Doe"
    moved = [s for s in stored(fixture_store)[0] if TEXT[s.start : s.end] == "Doe"]
    assert any(s.status is Status.ACCEPTED and s.label == "PERSON" for s in moved)


async def test_next_and_previous_quote_skip_the_entities(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        assert focused_text(app) == "Jane Doe"
        await pilot.press("greater_than_sign")
        assert focused_text(app) == "balanced and fair,"
        await pilot.press("greater_than_sign")
        assert focused_text(app) == "We will cut taxes,"
        await pilot.press("less_than_sign")
        assert focused_text(app) == "balanced and fair,"
        await pilot.press("a")
    assert quote_on(fixture_store, "balanced and fair,").status is Status.ACCEPTED


async def draw(app: NewsreadApp, pilot: Pilot[None], needle: str) -> None:
    """In v mode, move and grow the selection until it covers ``needle``."""
    reader = app.main.query_one(ArticleView)
    start, end = at(needle)
    for _ in range(40):
        selection = reader.selection
        assert selection is not None
        if selection[0] == start:
            break
        await pilot.press("w" if selection[0] < start else "b")
    for _ in range(40):
        selection = reader.selection
        assert selection is not None
        if selection[1] >= end:
            break
        await pilot.press("right")


async def test_add_a_missed_quote_and_mark_its_speaker(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await focus_on(app, pilot, "Monday")
        await pilot.press("v")
        await draw(app, pilot, "the plan a fantasy.")
        await pilot.press("enter", "q")  # QUOTE, direct
        await pilot.pause()
        assert isinstance(app.screen, SpeakerPicker)  # a new quote asks for its speaker
        await pilot.press("m")  # mark it in the text
        reader = app.main.query_one(ArticleView)
        assert reader.selecting
        await draw(app, pilot, "Critics")
        await pilot.press("enter")
    quote = quote_on(fixture_store, "the plan a fantasy.")
    assert quote.origin is Origin.USER and quote.kind is QuoteKind.DIRECT
    assert quote.status is Status.ACCEPTED and quote.speaker_status is Status.ACCEPTED
    assert quote.speaker is not None and TEXT[quote.speaker.start : quote.speaker.end] == "Critics"


async def test_a_quote_is_rekinded_or_rejected_as_not_a_quote(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("greater_than_sign", "l")
        assert isinstance(app.screen, LabelPicker) and app.screen.heading == "Kind"
        await pilot.press("1")  # direct
        await pilot.press("greater_than_sign", "x")  # the next quote: not a quote
    assert quote_on(fixture_store, "balanced and fair,").kind is QuoteKind.DIRECT
    assert quote_on(fixture_store, "We will cut taxes,").status is Status.REJECTED


async def test_speaker_picker_starts_on_the_likeliest_and_enter_decides_the_speaker_only(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await focus_on(app, pilot, "We will cut taxes,")
        await pilot.press("s")
        picker = app.screen
        assert isinstance(picker, SpeakerPicker)
        likeliest = picker.candidates[picker.likeliest]
        assert (likeliest.start, likeliest.end) == at("Doe", nth=1)  # the detected speaker
        assert quote_on(fixture_store, "We will cut taxes,").speaker_status is Status.PENDING
        await pilot.press("enter")
    quote = quote_on(fixture_store, "We will cut taxes,")
    assert quote.speaker is not None and (quote.speaker.start, quote.speaker.end) == at(
        "Doe", nth=1
    )
    assert quote.speaker_status is Status.ACCEPTED and quote.status is Status.PENDING


async def test_a_free_phrase_speaker_in_four_keys_from_the_picker(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("greater_than_sign", "s")  # the partial quote, its speaker
        await pilot.press("m", "w", "w", "enter")  # "according" -> "to" -> "officials"
    quote = quote_on(fixture_store, "balanced and fair,")
    assert quote.speaker is not None
    assert TEXT[quote.speaker.start : quote.speaker.end] == "officials"
    assert quote.speaker.origin is Origin.USER
