"""Snapshots of the key screens at a fixed size, on the hand-annotated fixture article.

Review a changed snapshot with ``pytest --snapshot-update`` and look at the SVG report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from store import Store
from tests.conftest import wait_for
from tests.tui_support import add_fixture_articles
from tui.app import NewsreadApp
from tui.config import Settings
from tui.widgets.article_view import ArticleView

SIZE = (120, 36)


def make_app(tmp_path: Path) -> NewsreadApp:
    store = Store.open(tmp_path / "snap-store")
    add_fixture_articles(store)
    return NewsreadApp(store, Settings(store=tmp_path / "snap-store", annotator="tester"),
                       analyze=False)  # fmt: skip


async def palette_ready(pilot: Pilot[None]) -> None:
    """Wait until the screen is composed and the label colours have arrived."""

    def ready() -> bool:
        readers = pilot.app.screen.query(ArticleView)
        return bool(readers) and readers.first().palette is not None

    await wait_for(ready)
    await pilot.pause()


def test_main_screen(snap_compare: Any, tmp_path: Path) -> None:
    """List (2 articles), reader with coloured entities and QUOTE marks, the first
    pending entity "Jane Doe" focused (reverse), side panel describing it, legend,
    status line and footer keys."""
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=palette_ready)


def test_main_screen_focused_quote(snap_compare: Any, tmp_path: Path) -> None:
    """Tab moved to the partial quote: it is reversed, its speaker "Jane Doe" carries a
    SPEAKER tag and its cue "said" a CUE tag; the side panel shows speaker and cue."""

    async def focus_quote(pilot: Pilot[None]) -> None:
        await palette_ready(pilot)
        await pilot.press("tab")

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=focus_quote)


def test_help_screen(snap_compare: Any, tmp_path: Path) -> None:
    """120x40: the help screen lists newsread's keys grouped by where they apply, each
    with its binding id (third column) and no Textual internals (no "Copy selected
    text", no ctrl+c)."""
    assert snap_compare(make_app(tmp_path), terminal_size=(120, 40), press=["question_mark"],
                        run_before=palette_ready)  # fmt: skip


def test_help_screen_legend(snap_compare: Any, tmp_path: Path) -> None:
    """120x40, the help scrolled to its end: the legend explains ○ ◐ ●, the number after
    a title, the reader's marks and every part of the status line."""
    assert snap_compare(make_app(tmp_path), terminal_size=(120, 40),
                        press=["question_mark", "end"], run_before=palette_ready)  # fmt: skip


def test_label_picker(snap_compare: Any, tmp_path: Path) -> None:
    """The label picker over the reader: labels 1-9 numbered, PERSON marked current."""
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, press=["l"],
                        run_before=palette_ready)  # fmt: skip


def test_narrow_terminal(snap_compare: Any, tmp_path: Path) -> None:
    """80x24: the side panel is gone, list and reader share the width; above the status
    line a one-line details bar says "PERSON · … pending · model · “Jane Doe”"; the
    footer starts with a Accept, x Reject, tab Next and "? Help" sits at its right end."""
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=palette_ready)


def test_narrow_details_bar_on_a_quote(snap_compare: Any, tmp_path: Path) -> None:
    """80x24 with the direct quote focused (>, >): the details bar reads "QUOTE direct ·
    … pending · rule · speaker Doe …", what the side panel would have said."""
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24),
                        press=["greater_than_sign", "greater_than_sign"],
                        run_before=palette_ready)  # fmt: skip


def test_tag_picker_without_colour(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR, the tag picker on the direct quote after toggling claim (1) and
    promise (4): rows 1 and 4 read "[x]", the others "[ ]" -- in text, not shade."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE,
                        press=["greater_than_sign", "greater_than_sign", "t", "1", "4"],
                        run_before=palette_ready)  # fmt: skip
