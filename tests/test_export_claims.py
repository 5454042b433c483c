"""What an export claims follows the article's status, in every training format.

One store, three articles: *done* (analysed, every suggestion decided), *in progress*
(an accepted, a rejected and a pending entity) and *new* (untouched).  The DocBin holds
the done article complete (``O`` outside its entities), the one in progress with its
undecided and rejected tokens *missing* (``ent_iob_ == ""``), and not the new one;
CoNLL holds the done one only and says why on stderr; JSONL holds all three and says
which is which.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from spacy.tokens import Doc, DocBin

from annotate.detect.nlp import load_model
from annotate.model import Annotations, Article, Span, Status
from store import Store
from tui.cli import main

DONE_TEXT = "Ann Lee met Tom Cruz in Oslo today."
PROGRESS_TEXT = "Bob Ray visited Rome and Paris with Kim Ode."
NEW_TEXT = "Nobody looked at Lima yet."
ANALYSED = {"model": "m", "version": "1"}


def _span(text: str, part: str, label: str, status: Status) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), label, status=status, annotator="ann", timestamp=1.0)


def three_articles(path: Path) -> None:
    """A done, an in-progress and a new article (see the module doc)."""
    done = replace(Article.from_text(DONE_TEXT, source="done"), analysis=ANALYSED)
    progress = replace(Article.from_text(PROGRESS_TEXT, source="progress"), analysis=ANALYSED)
    new = Article.from_text(NEW_TEXT, source="new")
    ok, no, wait = Status.ACCEPTED, Status.REJECTED, Status.PENDING
    with Store.open(path) as store:
        store.add_articles(
            [
                (
                    done,
                    Annotations(
                        entities=(
                            _span(DONE_TEXT, "Ann Lee", "PERSON", ok),
                            _span(DONE_TEXT, "Tom Cruz", "ORG", no),  # known: not an ORG
                            _span(DONE_TEXT, "Oslo", "GPE", ok),
                        )
                    ),
                ),
                (
                    progress,
                    Annotations(
                        entities=(
                            _span(PROGRESS_TEXT, "Bob Ray", "PERSON", ok),
                            _span(PROGRESS_TEXT, "Rome", "GPE", no),
                            _span(PROGRESS_TEXT, "Paris", "GPE", wait),
                        )
                    ),
                ),
                (new, Annotations(entities=(_span(NEW_TEXT, "Lima", "GPE", wait),))),
            ]
        )
        states = {s.source: str(s.status) for s in store.list_articles()}
    assert states == {"done": "done", "progress": "in progress", "new": "new"}


def docbin_docs(folder: Path) -> dict[str, Doc]:
    """Every Doc of train.spacy and dev.spacy by its text."""
    vocab = load_model("blank:en").vocab
    docs = [
        doc
        for name in ("train.spacy", "dev.spacy")
        for doc in DocBin().from_disk(folder / name).get_docs(vocab)
    ]
    return {doc.text: doc for doc in docs}


def iob(doc: Doc) -> list[tuple[str, str]]:
    """Each token with its IOB tag and type (``""`` for missing)."""
    return [(t.text, t.ent_iob_ + ("-" + t.ent_type_ if t.ent_type_ else "")) for t in doc]


@pytest.mark.parametrize("status", [[], ["--status", "all"]])
def test_docbin_has_done_complete_in_progress_missing_and_no_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], status: list[str]
) -> None:
    three_articles(tmp_path / "s")
    out = tmp_path / "corpus"
    assert main(["--store", str(tmp_path / "s"), "export", "--format", "spacy", *status,
                 "--out", str(out)]) == 0  # fmt: skip
    docs = docbin_docs(out)
    assert sorted(docs) == sorted([DONE_TEXT, PROGRESS_TEXT])  # the new article is absent
    assert iob(docs[DONE_TEXT]) == [
        ("Ann", "B-PERSON"), ("Lee", "I-PERSON"), ("met", "O"), ("Tom", "O"), ("Cruz", "O"),
        ("in", "O"), ("Oslo", "B-GPE"), ("today", "O"), (".", "O"),
    ]  # fmt: skip
    # Rejected Rome and pending Paris are missing, never O.
    assert iob(docs[PROGRESS_TEXT]) == [
        ("Bob", "B-PERSON"), ("Ray", "I-PERSON"), ("visited", ""), ("Rome", ""), ("and", ""),
        ("Paris", ""), ("with", ""), ("Kim", ""), ("Ode", ""), (".", ""),
    ]  # fmt: skip
    err = capsys.readouterr().err
    assert ("left out 1 new article" in err) == bool(status)


def test_conll_takes_done_articles_and_says_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    three_articles(tmp_path / "s")
    assert main(["--store", str(tmp_path / "s"), "export", "--format", "conll",
                 "--status", "all"]) == 0  # fmt: skip
    out, err = capsys.readouterr()
    assert out.count("-DOCSTART-") == 1
    assert "Oslo -X- _ B-GPE" in out and "Bob" not in out and "Lima" not in out
    assert "left out 1 in progress article: CoNLL cannot mark unreviewed tokens" in err
    assert "left out 1 new article: nobody reviewed them" in err


def test_jsonl_keeps_every_article_and_its_answer_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    three_articles(tmp_path / "s")
    assert main(["--store", str(tmp_path / "s"), "export", "--status", "all"]) == 0
    tasks = {
        t["meta"]["source"]: t for t in map(json.loads, capsys.readouterr().out.split("\n")[:-1])
    }
    assert {k: (t["answer"], t["meta"].get("status")) for k, t in tasks.items()} == {
        "done": ("accept", None),
        "progress": ("ignore", "in progress"),
        "new": ("ignore", "new"),
    }
    assert [s["label"] for s in tasks["progress"]["spans"]] == ["PERSON"]


def test_an_in_progress_export_imports_back_in_progress_with_its_decisions(
    tmp_path: Path,
) -> None:
    three_articles(tmp_path / "s")
    exported, again = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert main(["--store", str(tmp_path / "s"), "export", "--out", str(exported)]) == 0
    assert main(["--store", str(tmp_path / "t"), "import", str(exported)]) == 0
    with Store.open(tmp_path / "t", readonly=True) as store:
        states = {s.source: str(s.status) for s in store.list_articles()}
    assert sorted(states.values()) == ["done", "in progress"]  # not laundered into done
    assert main(["--store", str(tmp_path / "t"), "export", "--out", str(again)]) == 0
    assert [json.loads(x)["spans"] for x in again.read_text().splitlines()] == [
        json.loads(x)["spans"] for x in exported.read_text().splitlines()
    ]
