"""Gold imported whole gets no model suggestions; the palette's "Analyse this article
again" lays them over its decisions on request, every decision kept as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.formats.prodigy_import import item_from_task
from annotate.model import Status
from store import Store
from tests.conftest import wait_for
from tui.app import NewsreadApp
from tui.config import Settings

TEXT = "Budget talks\n\nMaria Lopez met officials of the European Union in Geneva on Monday."


@pytest.mark.model
async def test_reanalyse_adds_pending_suggestions_and_keeps_gold(tmp_path: Path) -> None:
    start = TEXT.index("Maria")
    task = {"text": TEXT, "spans": [{"start": start, "end": start + 11, "label": "PERSON"}],
            "_annotator_id": "ann", "answer": "accept"}  # fmt: skip
    item = item_from_task(task, where="t.jsonl:1")
    store = Store.open(tmp_path / "store")
    try:
        store.add_articles([(item.article, item.annotations)])
        article_id = item.article.id
        gold = [e.to_dict() for e in store.get(article_id)[1].entities]
        app = NewsreadApp(store, Settings(store=tmp_path / "store", annotator="ann"))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(lambda: app.main.model_state == "model ready", timeout=120)
            await pilot.pause()
            assert store.get(article_id)[0].analysis == {"model": "import", "version": "prodigy"}
            app.action_reanalyse()
            await wait_for(
                lambda: (store.get(article_id)[0].analysis or {}).get("model") != "import"
            )
            await pilot.pause()
        entities = store.get(article_id)[1].entities
    finally:
        store.close()
    decided = [e.to_dict() for e in entities if e.status is not Status.PENDING]
    assert decided == gold  # the gold decision exactly as it was
    pending = {TEXT[e.start : e.end] for e in entities if e.status is Status.PENDING}
    assert pending & {"the European Union", "European Union", "Geneva", "Monday"}
