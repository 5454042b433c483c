"""``newsread import`` of every annotated format, each with one broken record among good ones.

For each format the same contract, through the real command line: the good records
come in with all their labels (as the record's annotator, the article done so the
model adds nothing on top), the broken one is named on stderr with its place and
why, the exit code is 1, and an article already in the store does not change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from annotate.formats.gold import IMPORT_ANALYSIS
from annotate.model import Annotations, Article, ArticleStatus, Span, Status
from store import Store
from tui.cli import main

KIM = "Kim met Lee in Paris."
ACME = "Acme hired Jo."
BAD = "Broken record here."
EXISTING = "An article that was here before.\n\nIt must not change."

Writer = Callable[[Path], list[str]]
"""Writes the input files into a folder; returns the paths to import."""


def _doccano_labels(folder: Path) -> list[str]:
    lines = [
        {"text": KIM, "label": [[0, 3, "PERSON"], [8, 11, "PERSON"], [15, 20, "GPE"]]},
        {"text": BAD, "label": [[0, 6, "ORG\x1b[31m"]]},  # a label with an escape sequence
        {"text": ACME, "label": [[0, 4, "ORG"], [11, 13, "PERSON"]], "user": "dana"},
    ]
    path = folder / "doccano.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return [str(path)]


def _doccano_entities(folder: Path) -> list[str]:
    def ents(*spans: tuple[int, int, str]) -> list[dict[str, object]]:
        return [
            {"id": i, "label": label, "start_offset": s, "end_offset": e}
            for i, (s, e, label) in enumerate(spans)
        ]

    lines = [
        {"text": KIM, "entities": ents((0, 3, "PERSON"), (8, 11, "PERSON"), (15, 20, "GPE")),
         "relations": []},
        {"text": BAD, "entities": ents((0, 6, "ORG")),
         "relations": [{"id": 0, "from_id": 0, "to_id": 0, "type": "works_for"}]},
        {"text": ACME, "entities": ents((0, 4, "ORG"), (11, 13, "PERSON")), "user": "dana"},
    ]  # fmt: skip
    path = folder / "doccano.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return [str(path)]


def _ls_result(spans: list[tuple[int, int, str]]) -> list[dict[str, object]]:
    return [
        {"id": f"r{i}", "type": "labels", "value": {"start": s, "end": e, "labels": [label]}}
        for i, (s, e, label) in enumerate(spans)
    ]


def _label_studio(folder: Path) -> list[str]:
    tasks = [
        {"data": {"text": KIM}, "annotations": [{"result": _ls_result(
            [(0, 3, "PERSON"), (8, 11, "PERSON"), (15, 20, "GPE")])}]},
        {"data": {"text": BAD}, "annotations": [{"result": _ls_result([(0, 60, "ORG")])}]},
        {"data": {"text": ACME}, "annotations": [{"completed_by": "dana", "result": _ls_result(
            [(0, 4, "ORG"), (11, 13, "PERSON")])}]},
    ]  # fmt: skip
    path = folder / "export.json"
    path.write_text(json.dumps(tasks), "utf-8")
    return [str(path)]


def _brat(folder: Path) -> list[str]:
    docs = {
        "kim": (KIM, "T1\tPERSON 0 3\tKim\nT2\tPERSON 8 11\tLee\nT3\tGPE 15 20\tParis\n"),
        "bad": (BAD, "T1\tORG 0 6;7 13\tBroken record\n"),
        "acme": (ACME, "T1\tORG 0 4\tAcme\nT2\tPERSON 11 13\tJo\n"),
    }
    for name, (text, ann) in docs.items():
        (folder / f"{name}.txt").write_text(text, "utf-8")
        (folder / f"{name}.ann").write_text(ann, "utf-8")
    return [str(folder)]


def _conllu(folder: Path) -> list[str]:
    def doc(doc_id: str, rows: list[tuple[str, str]]) -> str:
        lines = [f"# newdoc id = {doc_id}", "# text = " + " ".join(t for t, _ in rows)]
        lines += [f"{i}\t{tok}\t{tag}\tX\t{doc_id}01" for i, (tok, tag) in enumerate(rows, 1)]
        return "\n".join(lines) + "\n\n"

    text = (
        doc("d1", [("Kim", "B-PERSON"), ("met", "O"), ("Lee", "B-PERSON"), ("in", "O"),
                   ("Paris.", "B-GPE")])
        + doc("d2", [("Broken", "B-ORG"), ("record", "Z-ORG"), ("here.", "O")])
        + doc("d3", [("Acme", "B-ORG"), ("hired", "O"), ("Jo.", "B-PERSON")])
    )  # fmt: skip
    path = folder / "news.conllu"
    path.write_text(text, "utf-8")
    return [str(path)]


def _prodigy(folder: Path) -> list[str]:
    def spans(*found: tuple[int, int, str]) -> list[dict[str, object]]:
        return [{"start": s, "end": e, "label": label} for s, e, label in found]

    lines = [
        {"text": KIM, "spans": spans((0, 3, "PERSON"), (8, 11, "PERSON"), (15, 20, "GPE")),
         "answer": "accept"},
        {"text": BAD, "spans": spans((0, 6, "BAD\nLABEL")), "answer": "accept"},
        {"text": ACME, "spans": spans((0, 4, "ORG"), (11, 13, "PERSON")), "answer": "accept",
         "_annotator_id": "dana"},
    ]  # fmt: skip
    path = folder / "tasks.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return [str(path)]


FORMATS: dict[str, tuple[Writer, str, str]] = {
    # name: (writer, where the broken record is named, why)
    "doccano-label": (_doccano_labels, "doccano.jsonl:2", "not a short printable token"),
    "doccano-entities": (_doccano_entities, "doccano.jsonl:2", "only SPEAKER relations"),
    "label-studio": (_label_studio, "export.json:task 2", "outside the text"),
    "brat": (_brat, "bad.ann", "discontinuous"),
    "conllu": (_conllu, "news.conllu:9", "not an IO/IOB/BILOU tag"),
    "prodigy": (_prodigy, "tasks.jsonl:2", "not a short printable token"),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_one_broken_record_among_good_ones(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer, place, why = FORMATS[name]
    folder = tmp_path / "in"
    folder.mkdir()
    paths = writer(folder)
    store_path = tmp_path / "store"
    existing = Article.from_text(EXISTING, title="Before", source="before.txt")
    decided = Annotations(entities=(Span(0, 2, "ORG", status=Status.REJECTED, annotator="x"),))
    with Store.open(store_path) as store:
        store.add_articles([(existing, decided)])
        before = store.get(existing.id)
    code = main(["--store", str(store_path), "--annotator", "imp", "import", *paths])
    out, err = capsys.readouterr()
    assert code == 1
    named = [line for line in err.splitlines() if place in line]
    assert len(named) == 1 and why in named[0], err
    assert "\x1b" not in err and "BAD\nLABEL" not in err  # untrusted labels are escaped
    assert "imported 2 new articles (5 annotations)" in out
    with Store.open(store_path, readonly=True) as store:
        assert store.get(existing.id) == before  # nothing already stored changed
        got = {}
        for summary in store.list_articles():
            article, annotations = store.get(summary.id)
            got[article.text.rstrip()] = (article, summary, annotations)
    assert BAD not in got and not any(t.startswith("Broken") for t in got)
    kim_text = next(t for t in got if t.startswith("Kim"))
    acme_text = next(t for t in got if t.startswith("Acme"))
    for text, expected, who in (
        (kim_text, {("Kim", "PERSON"), ("Lee", "PERSON"), ("Paris", "GPE")}, "imp"),
        (acme_text, {("Acme", "ORG"), ("Jo", "PERSON")}, "dana"),
    ):
        article, summary, annotations = got[text]
        found = {(text[e.start : e.end].rstrip("."), e.label) for e in annotations.entities}
        assert found == expected
        assert all(e.status is Status.ACCEPTED for e in annotations.entities)
        if name not in ("brat", "conllu"):  # those carry no annotator: --annotator
            assert {e.annotator for e in annotations.entities} == {who}
        assert summary.status is ArticleStatus.DONE  # gold: the model adds nothing on top
        assert article.analysis is not None and article.analysis["model"] == IMPORT_ANALYSIS


def test_as_suggestions_leaves_the_article_to_the_model(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = _doccano_labels(folder)
    store_path = tmp_path / "store"
    assert main(["--store", str(store_path), "import", "--as-suggestions", *paths]) == 1
    with Store.open(store_path, readonly=True) as store:
        for summary in store.list_articles():
            article, annotations = store.get(summary.id)
            assert article.analysis is None and summary.status is ArticleStatus.NEW
            assert all(e.status is Status.PENDING for e in annotations.entities)


def test_a_json_file_is_never_article_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"name": "not an export", "version": 3}', "utf-8")
    assert main(["--store", str(tmp_path / "store"), "import", str(path)]) == 1
    assert "config.json:task 1: not a Label Studio task" in capsys.readouterr().err
    with Store.open(tmp_path / "store", readonly=True) as store:
        assert store.list_articles() == []


def test_conllu_fixture_and_tag_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixture = Path(__file__).parent / "data" / "conllu" / "news.conllu"
    store_path = tmp_path / "store"
    assert main(["--store", str(store_path), "import", str(fixture)]) == 0
    assert "imported 3 new articles (7 annotations)" in capsys.readouterr().out
    # the 4th column (POS) read as the tag: no entity is a tag there, so all are refused
    other = tmp_path / "other"
    assert main(["--store", str(other), "import", "--tag-column", "4", str(fixture)]) == 1
    assert "'NNP' is not an IO/IOB/BILOU tag" in capsys.readouterr().err


def test_label_studio_export_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Content without a name is sniffed: a JSON list is a Label Studio export."""
    import io
    import sys

    task = {"data": {"text": KIM}, "annotations": [{"result": _ls_result([(0, 3, "PERSON")])}]}
    payload = json.dumps([task]).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    assert main(["--store", str(tmp_path / "store"), "import", "-"]) == 0
    assert "imported 1 new article (1 annotations)" in capsys.readouterr().out


def test_stdin_text_starting_with_a_bracket_stays_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import sys

    payload = b"[Reuters] Headline here\n\nThe body of the story."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    assert main(["--store", str(tmp_path / "store"), "import", "-"]) == 0
    assert "imported 1 new article " in capsys.readouterr().out
