"""The app shell against the real spaCy model: list, reader, highlights, keyboard moves."""

from __future__ import annotations

import pytest
from rich.style import Style

from store import Store
from tests.conftest import wait_for
from tui.app import NewsreadApp
from tui.config import Settings
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.palette import LabelPalette

pytestmark = pytest.mark.model

SEED_TITLES = (
    "Colombia accuses Russia of “interfering” on its border with Venezuela",
    "Colombian Defense Minister Diego Molano promised this Friday, thanks to Colombian",
)


def screen_segments(view: ArticleView) -> list[tuple[str, Style | None]]:
    """Every (text, style) segment the reader currently paints on screen."""
    segments: list[tuple[str, Style | None]] = []
    for y in range(view.scrollable_content_region.height):
        segments.extend((seg.text, seg.style) for seg in view.render_line(y))
    return segments


async def test_list_shows_seed_titles_and_reader_highlights_entities(
    seeded_store: Store, settings: Settings
) -> None:
    app = NewsreadApp(seeded_store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = app.query_one(ArticleList)
        titles = [row.title for row in article_list.rows]
        assert all(any(t.startswith(seed[:40]) for t in titles) for seed in SEED_TITLES)

        reader = app.query_one(ArticleView)
        assert "Diego Molano" in reader.text  # text is there before any analysis
        await wait_for(lambda: all(s.analysed for s in seeded_store.list_articles()))
        await pilot.pause()

        await wait_for(lambda: reader.palette is not None)
        await pilot.pause()
        person = app.query_one(LabelPalette).style("label--PERSON")
        assert person.bgcolor is not None
        painted = screen_segments(reader)
        molano = [style for text, style in painted if "Diego Molano" in text]
        assert molano, "Diego Molano is not on screen"
        assert molano[0] is not None and molano[0].bgcolor == person.bgcolor
        assert "Diego Molano PERSON" in reader.rendered_text
        # the analysis was stored, with the model that made it
        article, annotations = seeded_store.get(seeded_store.list_articles()[0].id)
        assert article.analysis is not None and "core_web_sm" in article.analysis["model"]
        assert any(article.text[s.start : s.end] == "Diego Molano" for s in annotations.entities)


async def test_keyboard_moves_between_articles_and_scrolls(
    seeded_store: Store, settings: Settings
) -> None:
    app = NewsreadApp(seeded_store, settings, analyze=False)
    async with app.run_test(size=(100, 24)) as pilot:
        first, second = (s.id for s in seeded_store.list_articles())
        assert app.main.article is not None and app.main.article.id == first
        await pilot.press("j")
        assert app.main.article.id == second
        await pilot.press("k")
        assert app.main.article.id == first
        reader = app.query_one(ArticleView)
        assert reader.scroll_offset.y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert reader.scroll_offset.y > 0
        await pilot.press("enter")
        assert reader.has_focus


async def test_configured_label_set_restricts_the_suggestions(
    seeded_store: Store, settings: Settings
) -> None:
    restricted = Settings(store=settings.store, annotator="tester", labels=("PERSON", "GPE"))
    app = NewsreadApp(seeded_store, restricted)
    async with app.run_test(size=(120, 40)):
        await wait_for(lambda: all(s.analysed for s in seeded_store.list_articles()))
    labels = {
        span.label
        for summary in seeded_store.list_articles()
        for span in seeded_store.get(summary.id)[1].entities
    }
    assert labels and labels <= {"PERSON", "GPE"}
