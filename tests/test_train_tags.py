"""``newsread train`` learns the statement tags: a ``textcat_multilabel`` next to the NER.

Trained on a blank English pipeline (the command adds an NER): what is checked is the
rule for the data (tagged statements only, and only when two tags have ten examples),
that the classifier lands in the saved model and that the table scores it per tag.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotate.learn.examples import Decided
from annotate.learn.tags import counts, enough, tag_set, tagged
from annotate.model import Annotations, Article, Span, Statement, Status
from store import Store
from tui.cli import main

CLAIMS = ["The plan will cut costs by half.", "Prices will fall next year."]
DENIALS = ["He denied any wrongdoing at all.", "She rejected every accusation made."]


def _article(index: int, *, tags: bool = True) -> tuple[Article, Annotations]:
    claim, denial = CLAIMS[index % 2], DENIALS[index % 2]
    text = f"Story {index}. Ann Lee flew to Oslo. {claim} {denial} Nothing else happened."
    article = replace(Article.from_text(text), analysis={"model": "test", "version": "0"})
    spans = []
    for part, label in (("Ann Lee", "PERSON"), ("Oslo", "GPE")):
        start = text.index(part)
        spans.append(Span(start, start + len(part), label, status=Status.ACCEPTED))
    statements = []
    if tags:
        for part, tag in ((claim, "claim"), (denial, "denial")):
            start = text.index(part)
            statements.append(Statement(start, start + len(part), (tag,), annotator="ann"))
    return article, Annotations(entities=tuple(spans), statements=tuple(statements))


def _store(path: Path, done: int, *, tags: bool = True) -> None:
    with Store.open(path) as store:
        store.add_articles([_article(i, tags=tags) for i in range(done)])


def _model(root: Path) -> Path:
    (model,) = [p for p in (root / "models").iterdir() if p.is_dir() and not p.name[0] == "."]
    return model


def test_the_data_is_the_tagged_statements_and_two_tags_need_ten_each() -> None:
    items = [Decided(*_article(i), complete=True) for i in range(9)]
    untagged = Decided(*_article(99, tags=False), complete=True)
    found = tagged([*items, untagged])
    assert len(found) == 18 and {s.text for s in found} == set(CLAIMS) | set(DENIALS)
    assert counts(found) == {"claim": 9, "denial": 9} and not enough(counts(found))
    more = tagged([Decided(*_article(i), complete=False) for i in range(10)])
    assert enough(counts(more))  # articles in progress count: a tag is a decision itself
    assert tag_set(("opinion", "claim"), more) == ("opinion", "claim", "denial")


def test_training_adds_a_tag_classifier_and_scores_it_per_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    _store(root, done=20)
    args = ["--store", str(root), "--model", "blank:en", "train", "--epochs", "4"]
    assert main(args) == 0
    out = capsys.readouterr().out
    model = _model(root)
    meta = json.loads((model / "newsread.json").read_text())
    assert meta["tags"]["examples"]["claim"] == meta["tags"]["statements"] // 2 >= 10
    assert set(meta["scores"]["tags"]["labels"]) >= {"claim", "denial", "opinion"}
    assert (
        meta["scores"]["tags"]["labels"]["claim"]["support"] == meta["tags"]["eval_statements"] // 2
    )
    assert "statement tags, scored on" in out
    assert any(line.startswith("claim") for line in out.splitlines())
    config = (model / "config.cfg").read_text()
    assert "textcat_multilabel" in config

    from spacy.util import load_model_from_path

    nlp = load_model_from_path(model)  # the tiny blank-based model just trained
    assert nlp.pipe_names == ["ner", "textcat_multilabel"]
    doc = nlp(CLAIMS[0])
    assert doc.cats["claim"] > doc.cats["denial"]


def test_too_few_tagged_statements_train_no_classifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    _store(root, done=6)
    assert main(["--store", str(root), "--model", "blank:en", "train", "--epochs", "1"]) == 0
    assert "statement tags" not in capsys.readouterr().out
    meta = json.loads((_model(root) / "newsread.json").read_text())
    assert "tags" not in meta and "tags" not in meta["scores"]


def test_a_base_that_has_a_classifier_gets_a_new_one_on_the_tags_of_now() -> None:
    import time

    from annotate.detect.nlp import load_model
    from annotate.learn.tags import PIPE, evaluate_tags, train_tags
    from annotate.learn.training import TrainConfig

    nlp = load_model("blank:en", fresh=True)
    statements = tagged([Decided(*_article(i), complete=True) for i in range(10)])
    later = time.monotonic() + 60
    train_tags(nlp, statements, ("claim", "denial"), deadline=later, config=TrainConfig(epochs=3))
    labels = ("claim", "denial", "opinion")
    result = train_tags(nlp, statements, labels, deadline=later, config=TrainConfig(epochs=3))
    assert nlp.pipe_names == [PIPE] and nlp.get_pipe(PIPE).labels == labels  # type: ignore[attr-defined]
    assert result.epochs == 3 and result.examples == 20
    scores = evaluate_tags(nlp, statements, labels)
    assert scores.labels["claim"].support == 10 and scores.labels["opinion"].support == 0
