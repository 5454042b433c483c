"""Training from the app: ``newsread train --progress-json`` and the palette command.

The child process trains a blank English pipeline (the app's ``--model blank:en``), so no
real model is trained; the app test is marked ``model`` because using the new model
loads it with ``spacy.load`` (a folder on disk).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_train_cli import _store
from tui.cli import main


def test_progress_json_prints_json_lines_only_and_ends_with_the_saved_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    _store(root, done=8)
    args = ["--store", str(root), "--model", "blank:en", "train", "--epochs", "2"]
    assert main([*args, "--progress-json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    steps = [e for e in events if e["event"] == "step"]
    assert steps and steps[-1]["done"] == steps[-1]["total"] and steps[-1]["epoch"] == 2
    assert [e["done"] for e in steps] == list(range(1, len(steps) + 1))
    *_, saved = events
    assert saved["event"] == "saved" and (root / "models" / saved["name"]).is_dir()
    assert "entity F: base 0.000 -> new" in saved["report"]


@pytest.mark.model
async def test_the_palette_trains_in_a_child_shows_progress_then_the_scores(
    tmp_path: Path,
) -> None:
    from store import Store
    from tests.conftest import wait_for
    from tests.test_train_cli import _article
    from tui.app import NewsreadApp
    from tui.config import Settings
    from tui.training import TrainedModelScreen, TrainingProgress

    root = tmp_path / "store"
    _store(root, done=8)
    states: list[str] = []

    class Recording(NewsreadApp):
        def on_training_progress(self, message: TrainingProgress) -> None:
            super().on_training_progress(message)
            states.append(self.main.progress.line())

    with Store.open(root) as store:
        app = Recording(store, Settings(store=root, annotator="ann", model="blank:en"))
        app.training_args = ("--epochs", "1")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.run_action("train")
            await wait_for(lambda: isinstance(app.screen, TrainedModelScreen), timeout=240)
            assert states and all(" · training " in s for s in states)
            assert states[-1].endswith("(epoch 1) · @ann")
            screen = app.screen
            assert isinstance(screen, TrainedModelScreen)
            (model,) = [p for p in (root / "models").iterdir() if p.is_dir()
                        and not p.name.startswith(".")]  # fmt: skip
            assert screen.model_path == str(model)
            assert "training" not in app.main.progress.line()  # gone once it ended
            article, pending = _article(300, labels=("PERSON", "GPE"), status="new")
            new = (replace(article, analysis=None), pending)  # not analysed yet
            store.add_articles([new])
            await pilot.press("u")
            await wait_for(lambda: app.settings.model == str(model), timeout=10)
            meta = json.loads((model / "meta.json").read_text())
            name = f"{meta['lang']}_{meta['name']}"  # what the analysis records
            await wait_for(
                lambda: (store.get(new[0].id)[0].analysis or {}).get("model") == name,
                timeout=120,
            )
