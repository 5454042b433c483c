"""The filter searches inside articles (issue 13): body words, ``speaker:``, ``quote:``
with ``status:``; the reader stays on the open article while a query is typed."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from annotate.model import Annotations, Quote, QuoteKind, Span
from store import Store
from tests.conftest import wait_for
from tests.tui_support import running
from tui.app import NewsreadApp
from tui.config import Settings
from tui.search_index import SearchIndex
from tui.widgets.article_list import ArticleList


def titles(app: NewsreadApp) -> list[str]:
    """Titles of the rows the list shows."""
    return [r.title for r in app.main.query_one(ArticleList).rows]


async def search(app: NewsreadApp, pilot: Pilot[None], query: str) -> None:
    """Open the filter, wait for the index, type ``query`` over what was there."""
    await pilot.press("slash")
    await wait_for(lambda: app.main.search_ready)
    await pilot.pause()
    box = app.main.query_one("#filter", Input)
    box.value = ""
    await pilot.press(*query)
    await pilot.pause()


async def test_body_words_match_and_the_reader_stays(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        opened = app.main.article
        assert opened is not None and opened.title == "City budget passes"
        await search(app, pilot, "shelby")  # a word of the second article's body only
        assert titles(app) == ["Second article"]
        assert app.main.article is not None and app.main.article.id == opened.id
        subtitle = str(app.main.query_one("#filter", Input).border_subtitle)
        assert subtitle.startswith("1 of 2")
        await search(app, pilot, "springfield monday")  # both in the first body
        assert titles(app) == ["City budget passes"]
        await search(app, pilot, "springfield shelbyville")
        assert titles(app) == []
        await search(app, pilot, "shelby")
        await pilot.press("enter")  # enter opens what the search found
        assert app.main.article is not None and app.main.article.title == "Second article"


async def test_speaker_and_quote_terms_combine_with_status(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await search(app, pilot, "speaker:jane")
        assert titles(app) == ["City budget passes"]
        await search(app, pilot, "quote:taxes")
        assert titles(app) == ["City budget passes"]
        await search(app, pilot, "quote:fantasy")  # outside every quote
        assert titles(app) == []
        await search(app, pilot, "quote:taxes status:done")
        assert titles(app) == []
        await pilot.press("escape", "A")  # accept all: the article is done
        await search(app, pilot, "quote:taxes status:done")
        assert titles(app) == ["City budget passes"]


async def test_a_new_speaker_is_searchable_at_once(
    fixture_store: Store, settings: Settings
) -> None:
    async with running(fixture_store, settings) as (app, pilot):
        await search(app, pilot, "speaker:officials")
        assert titles(app) == []
        await pilot.press("escape", "greater_than_sign", "s", "m", "w", "w", "enter")
        await search(app, pilot, "speaker:officials")
        assert titles(app) == ["City budget passes"]


def test_prefixes_fields_and_updates_in_the_index() -> None:
    index = SearchIndex()
    text = 'Governor Chris Gregoire said "we will rebuild".'
    start = text.index("we will")
    name = text.index("Chris")
    quote = Quote(
        start, start + len("we will rebuild"), QuoteKind.DIRECT, speaker=Span(name, name + 14, "S")
    )
    index.add("a", "Storm", "a.txt", text, Annotations(quotes=(quote,)))
    index.update("b", "Nothing here.", Annotations())  # before "b" is added: kept
    index.add("b", "Other", "b.txt", "Nothing here.", Annotations())
    assert index.match("t:", "greg") == {"a"}
    assert index.match("s:", "gregoire") == {"a"}
    assert index.match("q:", "rebuild") == {"a"}
    assert index.match("q:", "governor") == set()
    assert index.match("t:", "nothing") == {"b"}
    index.update("a", text, Annotations())  # the quote rejected or undone
    assert index.match("q:", "rebuild") == set()
    assert index.match("t:", "rebuild") == {"a"}  # the body still holds it
