"""``newsread export`` end to end: round trips through a real store, filters, outputs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotate.detect.nlp import load_model
from annotate.detect.pipeline import analyze
from annotate.edits import make_edit
from annotate.model import Annotations, Article, Quote, Span, Statement, Status
from store import Store
from tui.cli import main

T0 = 1_700_000_000.0


def _cli(store: Path, *args: str) -> int:
    return main(["--store", str(store), *args])


def _find(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _small_store(path: Path) -> None:
    """Three articles: one by ann (PERSON, GPE, a quote, a tag), one by bob, one untouched."""
    first = replace(
        Article.from_text("Ann Lee said “we will win” in Oslo.", source="one"),
        analysis={"model": "m", "version": "1"},  # analysed and nothing pending: done
    )
    second = Article.from_text("Bob Ray visited Rome.", source="two")
    third = Article.from_text("Nobody looked at this one.", source="three")

    def accepted(article: Article, part: str, label: str, who: str, ts: float) -> Span:
        start, end = _find(article.text, part)
        return Span(start, end, label, status=Status.ACCEPTED, annotator=who, timestamp=ts)

    speaker = accepted(first, "Ann Lee", "PERSON", "ann", T0)
    with Store.open(path) as store:
        store.add_articles(
            [
                (
                    first,
                    Annotations(
                        entities=(speaker, accepted(first, "Oslo", "GPE", "ann", T0 + 10)),
                        quotes=(
                            Quote(
                                *_find(first.text, "we will win"),
                                speaker=speaker,
                                status=Status.ACCEPTED,
                                speaker_status=Status.ACCEPTED,
                                annotator="ann",
                                timestamp=T0 + 20,
                            ),
                        ),
                        statements=(
                            Statement(
                                0, len(first.text), ("claim",), annotator="ann", timestamp=T0
                            ),
                        ),
                    ),
                ),
                (
                    second,
                    Annotations(
                        entities=(
                            accepted(second, "Bob Ray", "PERSON", "bob", T0 + 86400 * 30),
                            Span(*_find(second.text, "Rome"), "GPE"),  # still pending
                        )
                    ),
                ),
                (third, None),
            ]
        )


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_default_export_has_reviewed_articles_and_accepted_decisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _small_store(tmp_path / "s")
    assert _cli(tmp_path / "s", "export") == 0
    out, err = capsys.readouterr()
    tasks = [json.loads(line) for line in out.splitlines()]
    assert [t["meta"]["source"] for t in tasks] == ["one", "two"]
    assert [s["label"] for s in tasks[0]["spans"]] == ["PERSON", "GPE"]
    assert [s["label"] for s in tasks[1]["spans"]] == ["PERSON"]  # pending Rome left out
    assert tasks[0]["relations"][0]["label"] == "SPEAKER"
    assert tasks[0]["statements"] == [{"start": 0, "end": 35, "tags": ["claim"]}]
    assert "exported 2 articles (5 annotations) to stdout" in err


def test_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _small_store(tmp_path / "s")

    def sources(*args: str) -> list[str]:
        assert _cli(tmp_path / "s", "export", *args) == 0
        out = capsys.readouterr().out
        return [json.loads(line)["meta"]["source"] for line in out.splitlines()]

    assert sources("--annotator", "bob") == ["two"]
    assert sources("--label", "GPE") == ["one"]
    assert sources("--label", "GPE,PERSON") == ["one", "two"]
    assert sources("--since", "2023-12-01") == ["two"]
    assert sources("--status", "done") == ["one"]
    # the app's filter words (status:progress) and the spelled-out status both work
    assert sources("--status", "progress") == sources("--status", "in-progress") == ["two"]
    assert sources("--status", "all") == ["one", "two", "three"]
    assert _cli(tmp_path / "s", "export", "--status", "all") == 0
    tasks = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    # Only the done article is complete ("accept"); the others say what they are.
    assert [t["answer"] for t in tasks] == ["accept", "ignore", "ignore"]
    assert [t["meta"].get("status") for t in tasks] == [None, "in progress", "new"]


def test_bad_filter_values_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _small_store(tmp_path / "s")
    for args, message in [
        (["--status", "finished"], "--status: 'finished'"),
        (["--since", "last tuesday"], "--since: cannot read"),
        (["--format", "spacy"], "--out DIR"),
        (["--format", "spacy", "--out", "d", "--eval-split", "1.5"], "--eval-split"),
    ]:
        assert _cli(tmp_path / "s", "export", *args) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1
    assert _cli(tmp_path / "nothing-here", "export") == 2
    assert "no store" in capsys.readouterr().err


def test_out_file_conll_and_textcat(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _small_store(tmp_path / "s")
    target = tmp_path / "out" / "data.conll"
    assert _cli(tmp_path / "s", "export", "--format", "conll", "--out", str(target)) == 0
    lines = target.read_text("utf-8").splitlines()
    # CoNLL cannot say "not reviewed": the article in progress (pending Rome) stays out.
    assert lines.count("-DOCSTART- -X- -X- O") == 1
    assert "Ann -X- _ B-PERSON" in lines and "Lee -X- _ I-PERSON" in lines
    assert "Oslo -X- _ B-GPE" in lines and not any(x.startswith("Rome") for x in lines)
    err = capsys.readouterr().err
    assert "left out 1 in progress article: CoNLL cannot mark unreviewed tokens" in err
    assert [p.name for p in target.parent.iterdir()] == ["data.conll"]  # no temp file left
    cats = tmp_path / "cats.jsonl"
    assert _cli(tmp_path / "s", "export", "--format", "textcat", "--out", str(cats)) == 0
    (record,) = _lines(cats)
    assert record["text"].startswith("Ann Lee said")
    assert record["cats"]["claim"] == 1.0 and record["cats"]["denial"] == 0.0


def test_spacy_export_writes_the_docbins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _small_store(tmp_path / "s")
    out = tmp_path / "corpus"
    assert _cli(tmp_path / "s", "export", "--format", "spacy", "--out", str(out)) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["dev.spacy", "textcat_dev.spacy", "textcat_train.spacy", "train.spacy"]
    assert "train.spacy 1 docs, dev.spacy 1 docs" in capsys.readouterr().err


@pytest.mark.model
def test_jsonl_round_trip_through_an_empty_store_is_byte_identical(
    seeded_store: Store, tmp_path: Path
) -> None:
    """Seeds analysed by the real model, decisions made, exported, imported, exported."""
    nlp = load_model()
    articles = [seeded_store.get(s.id)[0] for s in seeded_store.list_articles()]
    for article, suggested in analyze(nlp, articles):
        seeded_store.save_analysis(article.id, suggested, {"model": "test", "version": "0"})
    for n, summary in enumerate(seeded_store.list_articles()):
        article, annotations = seeded_store.get(summary.id)
        pending = [e for e in annotations.entities if e.status is Status.PENDING]
        accept = [replace(e, status=Status.ACCEPTED) for e in pending[::2]]
        reject = [replace(e, status=Status.REJECTED) for e in pending[1::2]]
        seeded_store.save_decision(
            article.id, make_edit("accept", pending, accept + reject, "ann", T0)
        )
        first_quote = article.text.index("“") + 1
        quote = Quote(
            first_quote,
            article.text.index("”", first_quote),
            speaker=accept[0],
            status=Status.ACCEPTED,
            speaker_status=Status.ACCEPTED,
        )
        tag = Statement(0, article.text.index("\n"), ("claim", "opinion"))
        seeded_store.save_decision(
            article.id, make_edit("add", [], [quote, tag], "bob", T0 + 5 + n)
        )
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert _cli(seeded_store.root, "export", "--out", str(first)) == 0
    assert _cli(tmp_path / "empty", "import", str(first)) == 0
    assert _cli(tmp_path / "empty", "export", "--out", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    tasks = _lines(first)
    assert len(tasks) == 2
    assert all(len(t["spans"]) >= 5 and len(t["relations"]) == 1 for t in tasks)
    assert {t["_annotator_id"] for t in tasks} == {"bob"}


def test_spacy_export_refuses_a_folder_holding_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The export replaces its folder whole: a folder with other files is not taken."""
    _small_store(tmp_path / "s")
    out = tmp_path / "project"
    out.mkdir()
    (out / "config.cfg").write_text("[nlp]\n")
    assert _cli(tmp_path / "s", "export", "--format", "spacy", "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "holds other files (config.cfg)" in err and err.count("\n") == 1
    assert [p.name for p in out.iterdir()] == ["config.cfg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "s"]  # no temp folder
    assert _cli(tmp_path / "s", "export", "--format", "spacy", "--out", str(tmp_path / "c")) == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "c").iterdir()}
    assert _cli(tmp_path / "s", "export", "--format", "spacy", "--out", str(tmp_path / "c")) == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "c").iterdir()} == first  # replaced
