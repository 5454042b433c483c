"""Snapshot of reported speech under NO_COLOR: the kinds told apart in text alone.

Review a changed snapshot with ``pytest --snapshot-update`` and look at the SVG report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from store import Store
from tests.kinds_support import add_kinds_article
from tests.test_snapshots import palette_ready
from tui.app import NewsreadApp
from tui.config import Settings


def test_reported_speech_under_no_color(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No colour at all: "said SAID› the border was secure REPORTED." and the mixed clause
    ending in MIXED read as reported speech, the quotation "We are ready, QUOTE" as a
    quotation; the focused reported clause is reversed and the side panel says
    "REPORTED · indirect", its speaker "Minister Anna Smith → Anna Smith PERSON" and cue."""
    monkeypatch.setenv("NO_COLOR", "1")
    store = Store.open(tmp_path / "kinds-store")
    add_kinds_article(store)
    app = NewsreadApp(store, Settings(store=tmp_path / "kinds-store", annotator="tester"),
                      analyze=False)  # fmt: skip

    async def focus_reported(pilot: Pilot[None]) -> None:
        await palette_ready(pilot)
        await pilot.press("tab")  # from "Anna Smith" to the reported clause

    assert snap_compare(app, terminal_size=(120, 36), run_before=focus_reported)
