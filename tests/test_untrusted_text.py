"""Article text is data: markup shows literally, escape sequences never reach the terminal."""

from __future__ import annotations

from annotate.clean import clean_article
from store import Store
from tests.conftest import DATA
from tui.app import NewsreadApp
from tui.config import Settings
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView


def painted_text(widget: ArticleView | ArticleList) -> str:
    lines = []
    for y in range(widget.scrollable_content_region.height):
        lines.append("".join(seg.text for seg in widget.render_line(y)))
    return "\n".join(lines)


async def test_markup_and_escapes_render_literally(store: Store, settings: Settings) -> None:
    raw = (DATA / "hostile_article.txt").read_text(encoding="utf-8")
    assert "\x1b[31m" in raw  # the fixture really carries an escape sequence
    store.add_article(clean_article(raw, source="hostile_article.txt"))
    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        reader_text = painted_text(app.query_one(ArticleView))
        list_text = painted_text(app.query_one(ArticleList))
        title = app.query_one(ArticleView)._border_title
    assert "[link=https://example.com]a link[/link]" in reader_text
    assert "[reverse]styles[/]" in reader_text
    assert title is not None and title.plain == "Hostile [bold red]markup[/bold red] title"
    assert "Hostile [bold red]markup[/bold" in list_text  # shown literally, cut to the column
    for painted in (reader_text, list_text):
        assert "\x1b" not in painted and "\x07" not in painted


async def test_reader_replaces_control_characters_it_is_given(
    settings: Settings, store: Store
) -> None:
    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ArticleView)
        view.show("before \x1b[2J after \x9b bell\x07")
        await pilot.pause()
        painted = painted_text(view)
    assert "before" in painted and "after" in painted
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in painted.replace("\n", ""))
