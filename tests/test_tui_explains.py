"""A screen that explains itself (issue 13): details bar at 80 columns, ``?`` in the
footer, help with binding ids and a legend, palette descriptions."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets._footer import FooterKey

from annotate.model import Status
from store import Store
from tests.tui_support import entity, running, stored
from tui.app import NewsreadApp
from tui.commands import ACTIONS
from tui.config import Settings
from tui.screens.annotate import AnnotateScreen
from tui.screens.help import HelpScreen, key_rows
from tui.widgets.details_bar import DetailsBar


async def test_details_bar_replaces_the_side_panel_below_100_columns(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings, size=(80, 24)) as (app, pilot):
        bar = app.main.query_one(DetailsBar)
        assert bar.display and not app.main.query_one("#side").display
        assert bar.content.plain.startswith("PERSON · … pending · model")
        await pilot.press("greater_than_sign", "greater_than_sign", "a")
        await pilot.press("less_than_sign")
        await pilot.pause()
        line = bar.content.plain
        assert line == "QUOTE direct · ✓ accepted · rule · speaker Doe ✓"
    _, quotes = stored(fixture_store)
    assert [q.status for q in quotes].count(Status.ACCEPTED) == 1
    assert entity(fixture_store, "Jane Doe").status is Status.PENDING
    async with running(fixture_store, settings, size=(120, 40)) as (app, _):
        assert not app.main.query_one(DetailsBar).display


async def test_help_key_is_in_the_footer_at_80_columns(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings, size=(80, 24)) as (app, pilot):
        help_key = next(k for k in app.screen.query(FooterKey) if k.action == "help")
        assert help_key.region.right <= 80 and help_key.region.width > 0
        first = [k.action for k in app.screen.query(FooterKey)][:4]
        assert {"accept", "reject"} <= set(first)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_help_lists_newsread_keys_with_ids_and_a_legend(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("question_mark")
        screen_text = app.export_screenshot().replace("&#160;", " ")
        await pilot.press("end")  # the legend closes the help
        await pilot.pause()
        screen_text += app.export_screenshot().replace("&#160;", " ")
        app_rows = key_rows(app)
        main_ids = {row.binding_id for row in key_rows(app.main)}
    assert {row.binding_id for row in app_rows} == {"quit", "help"}
    assert {"accept", "next_quote", "next_any", "go_to_item", "filter"} <= main_ids
    assert "Copy selected text" not in screen_text and "help_quit" not in screen_text
    for text in ("go_to_item", "○ ◐ ●", "article 3/10", "N shown"):
        assert text in screen_text


def test_every_binding_id_is_unique_per_screen() -> None:
    ids = [b.id for b in AnnotateScreen.BINDINGS if isinstance(b, Binding)]
    assert len(ids) == len(set(ids))


async def test_palette_actions_have_descriptions_and_run(
    fixture_store: Store, settings: Settings
) -> None:
    for name, action, description in ACTIONS:
        assert description != "action" and len(description) > 15, name
        method = action.split("(")[0].removeprefix("app.")
        owner = NewsreadApp if action.startswith("app.") else AnnotateScreen
        assert hasattr(owner, f"action_{method}"), action
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("ctrl+p", *"Accept all")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
    assert fixture_store.list_articles()[0].pending == 0
