"""The DocBin export really trains: ``spacy train`` on the exported seeds gives a model.

The seeds are analysed by the real model, their entities accepted through the
store, exported with ``newsread export --format spacy``, and a generated NER config
(CPU, no vectors) is trained for a few steps in a subprocess.  The model it writes
must load and know the exported labels.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from annotate.detect.nlp import load_model
from annotate.detect.pipeline import analyze
from annotate.edits import make_edit
from annotate.model import Status
from store import Store
from tui.cli import main


def _spacy(*args: str, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spacy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.model
def test_exported_docbin_trains_a_model_that_loads(seeded_store: Store, tmp_path: Path) -> None:
    articles = [seeded_store.get(s.id)[0] for s in seeded_store.list_articles()]
    for article, suggested in analyze(load_model(), articles):
        seeded_store.save_analysis(article.id, suggested, {"model": "test", "version": "0"})
        pending = [e for e in suggested.entities if e.status is Status.PENDING]
        accepted = [replace(e, status=Status.ACCEPTED) for e in pending]
        seeded_store.save_decision(article.id, make_edit("accept all", pending, accepted, "tester"))
    corpus = tmp_path / "corpus"
    code = main(
        ["--store", str(seeded_store.root), "export", "--format", "spacy", "--out", str(corpus)]
    )
    assert code == 0
    vocab = load_model("blank:en").vocab
    train_docs = list(DocBin().from_disk(corpus / "train.spacy").get_docs(vocab))
    labels = {ent.label_ for doc in train_docs for ent in doc.ents}  # what training sees
    config = tmp_path / "ner.cfg"
    _spacy("init", "config", str(config), "--lang", "en", "--pipeline", "ner", cwd=tmp_path)
    _spacy(
        "train",
        str(config),
        "--output",
        str(tmp_path / "model"),
        "--paths.train",
        str(corpus / "train.spacy"),
        "--paths.dev",
        str(corpus / "dev.spacy"),
        "--training.max_steps",
        "10",
        "--training.eval_frequency",
        "5",
        cwd=tmp_path,
    )
    trained = spacy.load(tmp_path / "model" / "model-last")
    assert trained.pipe_names == ["tok2vec", "ner"]
    assert len(labels) >= 3 and labels == set(trained.get_pipe("ner").labels)  # type: ignore[attr-defined]
    assert trained("Diego Molano spoke in Bogota.").has_annotation("ENT_IOB")
