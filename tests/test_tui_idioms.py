"""The app follows Textual's own idioms where a user can see it: a footer that shows the
keys that work now, bindings remappable by id, a worker fed by a queue."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

import tui
from annotate.model import Origin
from store import Store
from tests.tui_support import TEXT, running, stored
from tui.config import Settings
from tui.widgets.article_view import ArticleView


def footer_actions(app: tui.app.NewsreadApp) -> set[str]:
    """The actions the footer shows now."""
    return {b.action for _, b, enabled, _ in app.screen.active_bindings.values() if b.show}


async def test_footer_follows_the_drawing_mode(fixture_store: Store, settings: Settings) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        assert "accept" in footer_actions(app)
        await pilot.press("v")
        await pilot.pause()
        shown = footer_actions(app)
        assert {"finish_selection", "cancel_selection", "grow_end(1)"} <= shown
        assert "accept" not in shown and "reject" not in shown
        await pilot.press("escape")
        await pilot.pause()
        shown = footer_actions(app)
        assert "accept" in shown and "finish_selection" not in shown


def tui_bindings() -> list[tuple[str, Binding]]:
    """Every Binding declared by a class of the tui package."""
    found: list[tuple[str, Binding]] = []
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        if info.name.endswith("__main__"):
            continue  # running it starts the CLI
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, DOMNode):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    found.append((f"{info.name}.{name}", binding))
    return found


def test_every_binding_has_an_id() -> None:
    bindings = tui_bindings()
    assert len(bindings) > 40  # screen, reader, list, pickers, help
    missing = [f"{where}: {b.key}" for where, b in bindings if not b.id]
    assert missing == []


async def test_a_reader_binding_is_remapped_by_its_id(fixture_store: Store, tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "s", annotator="tester", keys={"span_finish": "e"})
    async with running(fixture_store, settings) as (app, pilot):
        await pilot.press("v", "right", "e")  # e now ends the drawing
        await pilot.pause()
        assert not app.main.query_one(ArticleView).selecting
        assert app.main.query_one(ArticleView).selection is None
        assert app.screen is not app.main  # the label picker opened
        await pilot.press("1")
    added = [s for s in stored(fixture_store)[0] if s.origin is Origin.USER]
    assert len(added) == 1 and TEXT[added[0].start : added[0].end] == "Jane Doe"


async def test_opening_an_unanalysed_article_queues_it_for_the_worker(
    fixture_store: Store, settings: Settings
) -> None:
    from annotate.model import Article

    fresh = Article.from_text("Fresh\n\nNot analysed yet.", title="Fresh", source="f.txt")
    fixture_store.add_article(fresh)
    async with running(fixture_store, settings) as (app, pilot):
        app.main.go_to(fresh.id)
        await pilot.pause()
        queued = []
        while not app.analysis_requests.empty():
            queued.append(app.analysis_requests.get_nowait())
        assert fresh.id in queued
