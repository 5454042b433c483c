"""Unusual terminals: NO_COLOR, the light theme, 80x24."""

from __future__ import annotations

import pytest
from rich.color import Color

from store import Store
from tests.conftest import wait_for
from tests.tui_support import add_fixture_articles
from tui.app import NewsreadApp
from tui.config import ONTONOTES_LABELS, Settings
from tui.widgets.article_view import ArticleView
from tui.widgets.palette import LabelPalette


def luminance(color: Color) -> float:
    r, g, b = (c / 255 for c in color.get_truecolor())
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_no_color_keeps_labels_and_decisions_readable_as_text(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_fixture_articles(store)
    monkeypatch.setenv("NO_COLOR", "1")
    app = NewsreadApp(store, settings, analyze=False)
    assert app.no_color
    async with app.run_test(size=(120, 36)) as pilot:
        reader = app.main.query_one(ArticleView)
        await wait_for(lambda: reader.palette is not None)
        await pilot.press("a", "x")
        shown = reader.rendered_text
        focused = reader.focused_id
        focused_styles = [
            seg.style
            for y in range(reader.scrollable_content_region.height)
            for seg in reader.render_line(y)
            if seg.style is not None and seg.style.reverse
        ]
    assert "Jane Doe PERSON✓" in shown  # accepted, readable without colour
    assert "QUOTE✗" in shown  # the rejected partial quote
    assert "Springfield GPE" in shown and "Monday DATE" in shown
    assert focused is not None and focused_styles  # focus is shown by reverse video


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_label_colours_are_distinct_and_readable(
    store: Store, settings: Settings, theme: str
) -> None:
    add_fixture_articles(store)
    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(120, 36)) as pilot:
        app.theme = theme
        await wait_for(lambda: bool(app.screen.query(LabelPalette)))
        await pilot.pause()
        palette = app.screen.query_one(LabelPalette)
        styles = {label: palette.label_style(label) for label in ONTONOTES_LABELS}
    backgrounds = {str(s.bgcolor) for s in styles.values()}
    assert len(backgrounds) == len(ONTONOTES_LABELS)
    for label, style in styles.items():
        assert style.bgcolor is not None and style.color is not None, label
        assert contrast(style.color, style.bgcolor) >= 4.5, label


async def test_80x24_collapses_the_side_panel(store: Store, settings: Settings) -> None:
    add_fixture_articles(store)
    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        side = app.main.query_one("#side")
        reader = app.main.query_one(ArticleView)
        assert not side.display or side.size.width == 0
        assert reader.size.width >= 40
        await pilot.press("a")  # still fully usable
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert app.main.query_one("#side").size.width > 0
