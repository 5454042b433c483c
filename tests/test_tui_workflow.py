"""Every annotation action through the real app (Pilot), checked on the store afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.model import ArticleStatus, Origin, Quote, Span, Status
from store import Store, StoreWriteError
from tests.tui_support import TEXT, at, entity, focus_on, focused_text, running, stored
from tui.config import Settings
from tui.screens.help import HelpScreen, binding_rows
from tui.screens.pickers import LabelPicker, SpeakerPicker, TagPicker
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView


async def test_accept_records_decision_and_moves_on(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        assert focused_text(app) == "Jane Doe"  # first pending in reading order
        await pilot.press("a")
        assert focused_text(app) != "Jane Doe"
    jane = entity(fixture_store, "Jane Doe")
    assert jane.status is Status.ACCEPTED
    assert jane.annotator == "tester" and jane.timestamp is not None


async def test_reject_and_skip(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("space")  # skip Jane Doe
        skipped_to = focused_text(app)
        await pilot.press("x")
    assert entity(fixture_store, "Jane Doe").status is Status.PENDING
    _, quotes = stored(fixture_store)
    rejected = [q for q in quotes if q.status is Status.REJECTED]
    entities, _ = stored(fixture_store)
    rejected_entities = [s for s in entities if s.status is Status.REJECTED]
    assert [TEXT[q.start : q.end] for q in rejected] + [
        TEXT[s.start : s.end] for s in rejected_entities
    ] == [skipped_to]


async def test_relabel_with_picker_and_digits(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await focus_on(app, pilot, "Doe")
        await pilot.press("l")
        assert isinstance(app.screen, LabelPicker)
        await pilot.press("1")  # PERSON
        assert not isinstance(app.screen, LabelPicker)
        await focus_on(app, pilot, "Springfield")
        await pilot.press("4")  # ORG, directly
    doe = entity(fixture_store, "Doe", nth=1)
    assert (doe.label, doe.status) == ("PERSON", Status.ACCEPTED)
    assert entity(fixture_store, "Springfield").label == "ORG"


async def test_escape_closes_label_picker_without_change(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("l", "escape")
        assert not isinstance(app.screen, LabelPicker)
    assert entity(fixture_store, "Jane Doe").status is Status.PENDING


async def test_move_boundaries_by_token(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        jane_id = entity(fixture_store, "Jane Doe").id
        await pilot.press("right_square_bracket")  # start one token right: "Doe"
        moved = next(s for s in stored(fixture_store)[0] if s.id == jane_id)
        assert TEXT[moved.start : moved.end] == "Doe"
        await pilot.press("left_square_bracket", "left_square_bracket")  # "Mayor Jane Doe"
        await pilot.press("right_curly_bracket")  # end one token right: "... said"
    moved = next(s for s in stored(fixture_store)[0] if s.id == jane_id)
    assert TEXT[moved.start : moved.end] == "Mayor Jane Doe said"
    assert moved.status is Status.ACCEPTED


async def test_add_missed_span_with_v(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await focus_on(app, pilot, "Springfield")
        await pilot.press("v")
        reader = app.main.query_one(ArticleView)
        assert reader.selecting and reader.selection == at("Springfield")
        await pilot.press("b", "b")  # move the one-token selection to "reporters"
        assert reader.selection == at("reporters")
        await pilot.press("right", "right")  # extend: "reporters in Springfield"
        await pilot.press("enter")
        assert isinstance(app.screen, LabelPicker)
        await pilot.press("4")  # ORG
    entities, _ = stored(fixture_store)
    added = [s for s in entities if s.origin is Origin.USER]
    assert [(TEXT[s.start : s.end], s.label, s.status) for s in added] == [
        ("reporters in Springfield", "ORG", Status.ACCEPTED)
    ]
    # the suggestion it overlaps is rejected (doc.ents may not overlap)
    assert entity(fixture_store, "Springfield").status is Status.REJECTED


async def test_escape_cancels_new_span(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("v", "right", "escape")
        assert not app.main.query_one(ArticleView).selecting
        await pilot.press("a")  # keys work again afterwards
    assert not [s for s in stored(fixture_store)[0] if s.origin is Origin.USER]
    assert entity(fixture_store, "Jane Doe").status is Status.ACCEPTED


async def test_set_speaker_from_entities(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await focus_on(app, pilot, "We will cut taxes,")
        await pilot.press("s")
        assert isinstance(app.screen, SpeakerPicker)
        first = app.screen.candidates[0]
        await pilot.press("1")
    _, quotes = stored(fixture_store)
    quote = next(q for q in quotes if TEXT[q.start : q.end] == "We will cut taxes,")
    assert quote.speaker is not None
    assert (quote.speaker.start, quote.speaker.end) == (first.start, first.end)
    assert first.label == "PERSON"  # people come first
    # Setting a speaker decides the speaker only; ``a`` accepts the quote (issue 13).
    assert quote.speaker_status is Status.ACCEPTED and quote.status is Status.PENDING


async def test_set_speaker_by_marking_text(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await focus_on(app, pilot, "We will cut taxes,")
        await pilot.press("s", "m")  # "mark the speaker in the text" (one key)
        reader = app.main.query_one(ArticleView)
        assert reader.selecting
        assert reader.selection == at("Doe", nth=1)  # the first word after the quote
        await pilot.press("w", "b")  # moving around and back
        await pilot.press("enter")
    _, quotes = stored(fixture_store)
    quote = next(q for q in quotes if TEXT[q.start : q.end] == "We will cut taxes,")
    assert quote.speaker is not None and (quote.speaker.start, quote.speaker.end) == at(
        "Doe", nth=1
    )
    assert quote.speaker.origin is Origin.USER


async def test_tag_quote_and_sentence(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await focus_on(app, pilot, "We will cut taxes,")
        await pilot.press("t")
        assert isinstance(app.screen, TagPicker)
        await pilot.press("1", "4", "enter")  # claim, promise
        await focus_on(app, pilot, "Monday")
        await pilot.press("t", "3", "enter")  # denial on the sentence around Monday
    _, annotations = fixture_store.get(fixture_store.list_articles()[0].id)
    tagged = {TEXT[s.start : s.end]: s.tags for s in annotations.statements}
    assert tagged["We will cut taxes,"] == ("claim", "promise")
    sentence = next(k for k in tagged if "Monday" in k)
    assert sentence.startswith('"We will cut taxes,"') and tagged[sentence] == ("denial",)


async def test_accept_all_then_undo_redo(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("A")
        assert fixture_store.list_articles()[0].status is ArticleStatus.DONE
        await pilot.press("u")
        assert fixture_store.list_articles()[0].status is ArticleStatus.NEW
        await pilot.press("ctrl+y")
    entities, quotes = stored(fixture_store)
    items: list[Span | Quote] = [*entities, *quotes]
    assert all(i.status is Status.ACCEPTED for i in items)


async def test_undo_survives_restart(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (_, pilot):
        await pilot.press("x")  # reject Jane Doe
    fixture_store.close()
    reopened = Store.open(fixture_store.root)
    try:
        assert entity(reopened, "Jane Doe").status is Status.REJECTED
        async with running(reopened, settings) as (app, pilot):
            assert app.main.article is not None
            await pilot.press("u")
        assert entity(reopened, "Jane Doe").status is Status.PENDING
    finally:
        reopened.close()


async def test_filter_by_status_and_text(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        rows = app.main.query_one(ArticleList)
        assert len(rows.rows) == 2
        await pilot.press("slash", *"budget")
        assert [r.title for r in rows.rows] == ["City budget passes"]
        await pilot.press("a")  # typed into the filter, not an accept
        assert entity(fixture_store, "Jane Doe").status is Status.PENDING
        await pilot.press("escape")
        assert len(rows.rows) == 2
        await pilot.press("slash", *"status:new", "enter")
        assert len(rows.rows) == 2
        await pilot.press("escape", "A", "slash", *"status:done")
        assert [r.title for r in rows.rows] == ["City budget passes"]


async def test_help_lists_every_key(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        screenshot = app.export_screenshot()
        keys = {key for key, _ in binding_rows(app.main)}
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
    for expected in ("a", "x", "space", "l", "[", "]", "{", "}", "v", "s", "t", "A", "/", "1–9"):
        assert any(expected in k.split(" / ") for k in keys), expected
    for description in ("Accept the focused span", "Draw a span the model missed"):
        assert description.replace(" ", "&#160;") in screenshot or description in screenshot


async def test_remapped_key_from_config(fixture_store: Store, tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", annotator="tester", keys={"accept": "y"})
    async with running(fixture_store, settings) as (_, pilot):
        await pilot.press("y")
    assert entity(fixture_store, "Jane Doe").status is Status.ACCEPTED


async def test_write_failure_is_visible_and_not_saved(
    fixture_store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise StoreWriteError("cannot write articles/x.json: No space left on device")

    async with running(fixture_store, settings) as (app, pilot):
        monkeypatch.setattr(fixture_store, "save_decision", full_disk)
        await pilot.press("a")
        messages = [n.message for n in app._notifications]
        assert any("NOT SAVED" in m and "No space left" in m for m in messages)
        assert focused_text(app) == "Jane Doe"  # the screen did not move on
        reader = app.main.query_one(ArticleView)
        assert "Jane Doe PERSON✓" not in reader.rendered_text
    monkeypatch.undo()
    assert entity(fixture_store, "Jane Doe").status is Status.PENDING


async def test_read_only_store_refuses_decisions(fixture_store: Store, settings: Settings) -> None:
    readonly = Store.open(fixture_store.root, readonly=True)
    try:
        async with running(readonly, settings) as (app, pilot):
            await pilot.press("a")
            messages = [n.message for n in app._notifications]
            assert any("read-only" in m for m in messages)
    finally:
        readonly.close()
    assert entity(fixture_store, "Jane Doe").status is Status.PENDING


async def test_command_palette_goes_to_article(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"Go to: Second")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.article is not None and app.main.article.title == "Second article"


async def test_keys_typed_in_one_burst_are_handled_in_order(
    fixture_store: Store, settings: Settings
) -> None:
    """A terminal delivers fast typing as one burst; no key may overtake another.

    (Keys that open a picker are the exception Textual imposes: keys already queued
    behind them still go to the main screen, so the picker test pauses after "t".)
    """
    from textual import events

    async with running(fixture_store, settings) as (app, pilot):
        first = focused_text(app)
        for key, char in (("a", "a"), ("tab", "\t"), ("x", "x")):
            app.post_message(events.Key(key, char))
        await pilot.pause(0.3)
        await focus_on(app, pilot, "Monday")
        await pilot.press("t")
        for key, char in (("2", "2"), ("enter", "\r")):  # a toggle and enter in one burst
            app.post_message(events.Key(key, char))
        await pilot.pause(0.3)
    assert first == "Jane Doe"
    assert entity(fixture_store, "Jane Doe").status is Status.ACCEPTED
    _, annotations = fixture_store.get(fixture_store.list_articles()[0].id)
    items: list[Span | Quote] = [*annotations.entities, *annotations.quotes]
    decided = [i for i in items if i.status != "pending"]
    assert sorted(i.status for i in decided) == [Status.ACCEPTED, Status.REJECTED]
    assert [s.tags for s in annotations.statements] == [("accusation",)]
