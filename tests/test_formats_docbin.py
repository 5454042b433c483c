"""spaCy DocBin and textcat exports: what each Doc holds, the split, and what is reported."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from spacy.tokens import DocBin

from annotate.detect.nlp import load_model
from annotate.formats.docbin import DocBinCorpus, article_doc, split_score
from annotate.formats.textcat import textcat_records
from annotate.model import Annotations, Article, Quote, Span, Statement, Status

TEXT = "Alice Smith said “we will go” in Paris on Monday."
OK = Status.ACCEPTED


def _annotations() -> Annotations:
    return Annotations(
        entities=(
            Span(0, 11, "PERSON", status=OK),
            Span(33, 38, "GPE", status=OK),
            Span(6, 11, "PERSON", status=OK),  # overlaps Alice Smith
            Span(34, 38, "GPE", status=OK),  # "aris": off token boundaries
        ),
        quotes=(Quote(18, 28, speaker=Span(0, 11, "PERSON"), status=OK, speaker_status=OK),),
        statements=(Statement(0, 49, tags=("claim", "promise")),),
    )


def test_article_doc_holds_entities_quotes_and_speakers() -> None:
    reports: list[str] = []
    article = Article.from_text(TEXT)
    doc = article_doc(article, _annotations(), report=reports.append)
    assert [(e.text, e.label_) for e in doc.ents] == [("Alice Smith", "PERSON"), ("Paris", "GPE")]
    assert [(s.text, s.label_) for s in doc.spans["quotes"]] == [("we will go", "QUOTE_DIRECT")]
    assert [(s.text, s.label_) for s in doc.spans["speakers"]] == [("Alice Smith", "PERSON")]
    assert len(reports) == 2
    assert all(article.id in r for r in reports)
    assert any("overlaps" in r and "'Smith'" in r for r in reports)
    assert any("token boundaries" in r and "'aris'" in r for r in reports)


def test_split_is_seeded_and_stable_per_article() -> None:
    assert split_score("abc", 0) == split_score("abc", 0)
    assert split_score("abc", 0) != split_score("abc", 1)
    scores = [split_score(f"article{i}", 7) for i in range(2000)]
    share = sum(s < 0.2 for s in scores) / len(scores)
    assert 0.17 < share < 0.23


def test_corpus_writes_four_docbins_that_load(tmp_path: Path) -> None:
    corpus = DocBinCorpus(tmp_path, eval_split=0.5, seed=3, tags=("claim", "denial"))
    articles = [Article.from_text(f"{TEXT} Story {i}.") for i in range(10)]
    for article in articles:
        corpus.add(article, _annotations())
    sizes = corpus.close()
    assert sizes["train"] + sizes["dev"] == 10
    assert sizes["dev"] == sum(split_score(a.id, 3) < 0.5 for a in articles)
    assert sizes["textcat_train"] == sizes["train"] and sizes["textcat_dev"] == sizes["dev"]
    vocab = load_model("blank:en").vocab
    train = list(DocBin().from_disk(tmp_path / "train.spacy").get_docs(vocab))
    assert [e.text for e in train[0].ents] == ["Alice Smith", "Paris"]
    assert [s.text for s in train[0].spans["quotes"]] == ["we will go"]
    cats = list(DocBin().from_disk(tmp_path / "textcat_dev.spacy").get_docs(vocab))
    # Configured tags first, then tags found in use; every Doc has every tag.
    assert cats[0].cats == {"claim": 1.0, "denial": 0.0, "promise": 1.0}


def test_tiny_corpus_still_gets_a_dev_doc(tmp_path: Path) -> None:
    corpus = DocBinCorpus(tmp_path, eval_split=0.2, seed=0)
    articles = [Article.from_text(f"Text number {i}.") for i in range(2)]
    assert all(split_score(a.id, 0) >= 0.2 for a in articles)  # the split gives dev none
    for article in articles:
        corpus.add(article, Annotations())
    sizes = corpus.close()
    assert (sizes["train"], sizes["dev"]) == (1, 1)
    vocab = load_model("blank:en").vocab
    (dev,) = DocBin().from_disk(tmp_path / "dev.spacy").get_docs(vocab)
    lowest = min(articles, key=lambda a: split_score(a.id, 0))
    assert dev.text == lowest.text  # the train article closest to the split moved


def test_the_held_back_article_goes_to_train_once_dev_has_one(tmp_path: Path) -> None:
    articles = [Article.from_text(f"Story number {i}.") for i in range(40)]
    corpus = DocBinCorpus(tmp_path, eval_split=0.2, seed=0)
    for article in articles:
        corpus.add(article, Annotations())
    sizes = corpus.close()
    dev = sum(split_score(a.id, 0) < 0.2 for a in articles)
    assert 0 < dev < 40 and (sizes["train"], sizes["dev"]) == (40 - dev, dev)


def test_eval_split_must_be_a_share() -> None:
    with pytest.raises(ValueError, match="eval split"):
        DocBinCorpus(Path("unused"), eval_split=1.5)


def test_textcat_records_cover_the_tag_set() -> None:
    article = Article.from_text(TEXT)
    records = list(textcat_records(article, _annotations(), ("denial", "claim", "promise")))
    assert records == [
        {
            "text": TEXT[:49],
            "cats": {"denial": 0.0, "claim": 1.0, "promise": 1.0},
            "meta": {"article": article.id, "start": 0, "end": 49},
        }
    ]
    orjson.dumps(records[0])  # JSON-ready
