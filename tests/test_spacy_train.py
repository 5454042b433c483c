"""The DocBin export really trains: ``spacy train`` on the exported seeds gives a model.

The seeds are analysed by the real model; the first one's entities are all accepted
through the store (done), half of the second one's (in progress), and a third article
nobody touched (new) is added.  Exported with ``newsread export --format spacy``, the
DocBin holds the done article complete, the one in progress with missing tokens, and
not the new one; a generated NER config (CPU, no vectors) is trained on it for a few
steps in a subprocess.  The model it writes must load and know the exported labels.
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
from annotate.model import Article, Status
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
    for n, (article, suggested) in enumerate(analyze(load_model(), articles)):
        seeded_store.save_analysis(article.id, suggested, {"model": "test", "version": "0"})
        pending = [e for e in suggested.entities if e.status is Status.PENDING]
        pending = pending if n == 0 else pending[::2]  # the second stays in progress
        accepted = [replace(e, status=Status.ACCEPTED) for e in pending]
        seeded_store.save_decision(article.id, make_edit("accept all", pending, accepted, "tester"))
        if n == 0:
            quotes = seeded_store.get(article.id)[1].quotes
            decided = [replace(q, status=Status.REJECTED) for q in quotes]
            seeded_store.save_decision(article.id, make_edit("reject", quotes, decided, "tester"))
    seeded_store.add_articles([(Article.from_text("Nobody read this one about Lima."), None)])
    status = {s.id: str(s.status) for s in seeded_store.list_articles()}
    assert sorted(status.values()) == ["done", "in progress", "new"]
    corpus = tmp_path / "corpus"
    code = main(
        ["--store", str(seeded_store.root), "export", "--format", "spacy", "--out", str(corpus)]
    )
    assert code == 0
    vocab = load_model("blank:en").vocab
    train_docs = list(DocBin().from_disk(corpus / "train.spacy").get_docs(vocab))
    dev_docs = list(DocBin().from_disk(corpus / "dev.spacy").get_docs(vocab))
    by_status = {
        status[a.id]: doc
        for a in articles
        for doc in train_docs + dev_docs
        if doc.text == seeded_store.get(a.id)[0].text
    }
    assert len(train_docs) + len(dev_docs) == 2  # the new article is absent
    done, progress = by_status["done"], by_status["in progress"]
    assert all(t.ent_iob_ in ("B", "I", "O") for t in done)  # complete
    missing = [t for t in progress if t.ent_iob_ == ""]
    assert progress.ents and missing and not any(t.ent_iob_ == "O" for t in progress)
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
