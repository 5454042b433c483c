"""Speakers tied to entities and attribution kinds kept distinct, in every export.

One done article with four attributions: a direct quote whose speaker phrase (a title
and a name) holds an accepted entity, a mixed one and a reported one whose speaker is
a pronoun resolving to that entity, and a partial one with no speaker.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import DocBin

from annotate.detect.nlp import load_model
from annotate.model import Annotations, Article, Quote, QuoteKind, Span, Status
from store import Store
from tui.cli import main

TEXT = (
    "Governor Chris Gregoire said “we will rebuild the bridge”. "
    "She added that the plan was “dead on arrival” elsewhere. "
    "She believes the funds will come. "
    "Critics denounced “waste” in Olympia."
)
OK = Status.ACCEPTED


def _at(part: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(part, start + 1)
    return Span(start, start + len(part), label, status=OK, annotator="ann", timestamp=5.0)


def _content(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


GREGOIRE = _at("Chris Gregoire", "PERSON")
OLYMPIA = _at("Olympia", "GPE")


def decisions() -> Annotations:
    def quote(part: str, kind: QuoteKind, **more: Any) -> Quote:
        return Quote(
            *_content(part), kind=kind, status=OK, speaker_status=OK, annotator="ann", **more
        )

    mixed = _content("the plan was “dead on arrival” elsewhere")
    dead = _content("dead on arrival")
    return Annotations(
        entities=(GREGOIRE, OLYMPIA),
        quotes=(
            quote(
                "we will rebuild the bridge",
                QuoteKind.DIRECT,
                speaker=_at("Governor Chris Gregoire", "SPEAKER"),
                speaker_ref=GREGOIRE,
                cue=_at("said", "CUE"),
            ),
            replace(
                quote(
                    "the plan was “dead on arrival” elsewhere",
                    QuoteKind.MIXED,
                    speaker=_at("She", "SPEAKER"),
                    speaker_ref=GREGOIRE,
                    cue=_at("added", "CUE"),
                ),
                quoted=(dead,),
                start=mixed[0],
            ),
            quote(
                "the funds will come",
                QuoteKind.INDIRECT,
                speaker=_at("She", "SPEAKER", nth=1),
                speaker_ref=GREGOIRE,
                cue=_at("believes", "CUE"),
            ),
            quote("waste", QuoteKind.PARTIAL),
        ),
    )


@pytest.fixture
def store(tmp_path: Path) -> Path:
    article = replace(Article.from_text(TEXT), analysis={"model": "m", "version": "1"})
    with Store.open(tmp_path / "s") as opened:
        opened.add_articles([(article, decisions())])
    return tmp_path / "s"


def _export(store: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["--store", str(store), "export", "--format", fmt]) == 0
    (task,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return task


def _text(span: dict[str, Any]) -> str:
    return TEXT[span["start"] : span["end"]]


def _relations(task: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(_text(r["head_span"]), r["label"], _text(r["child_span"])) for r in task["relations"]]


def test_default_jsonl_links_speakers_from_their_entity(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task = _export(store, "jsonl", capsys)
    assert [(_text(s), s["label"]) for s in task["spans"]] == [
        ("Chris Gregoire", "PERSON"),
        ("Olympia", "GPE"),
    ]  # NER-shaped: entities only
    assert _relations(task) == [
        ("Chris Gregoire", "SPEAKER", "we will rebuild the bridge"),  # the entity, not the title
        ("She", "SPEAKER", "the plan was “dead on arrival” elsewhere"),
        ("She", "COREF", "Chris Gregoire"),  # the pronoun resolves to the entity
        ("She", "SPEAKER", "the funds will come"),
        ("She", "COREF", "Chris Gregoire"),
    ]
    for relation in task["relations"]:
        assert relation["head"] == relation["head_span"]["token_end"]
        assert relation["child"] == relation["child_span"]["token_end"]
    heads = [r["head_span"] for r in task["relations"] if _text(r["head_span"]) != "She"]
    assert all(head in task["spans"] for head in heads)
    assert [q["kind"] for q in task["quotes"]] == ["direct", "mixed", "indirect", "partial"]


def test_jsonl_rel_is_in_rel_manual_shape_with_kinds_distinct(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task = _export(store, "jsonl-rel", capsys)
    assert task["_view_id"] == "relations"
    assert [(_text(s), s["label"]) for s in task["spans"]] == [
        ("Chris Gregoire", "PERSON"),
        ("said", "CUE"),
        ("we will rebuild the bridge", "QUOTE_DIRECT"),
        ("She", "SPEAKER"),
        ("added", "CUE"),
        ("the plan was “dead on arrival” elsewhere", "QUOTE_MIXED"),
        ("She", "SPEAKER"),
        ("believes", "CUE"),
        ("the funds will come", "REPORTED"),
        ("waste", "QUOTE_PARTIAL"),
        ("Olympia", "GPE"),
    ]
    assert _relations(task) == [
        ("Chris Gregoire", "SPEAKER", "we will rebuild the bridge"),
        ("said", "CUE", "we will rebuild the bridge"),
        ("She", "SPEAKER", "the plan was “dead on arrival” elsewhere"),
        ("She", "COREF", "Chris Gregoire"),
        ("added", "CUE", "the plan was “dead on arrival” elsewhere"),
        ("She", "SPEAKER", "the funds will come"),
        ("She", "COREF", "Chris Gregoire"),
        ("believes", "CUE", "the funds will come"),
    ]
    for relation in task["relations"]:  # every end of a relation is one of the spans
        assert relation["head_span"] in task["spans"] and relation["child_span"] in task["spans"]
        assert relation["head"] == relation["head_span"]["token_end"]
        assert relation["child"] == relation["child_span"]["token_end"]
    for span in task["spans"]:
        tokens = task["tokens"][span["token_start"] : span["token_end"] + 1]
        assert tokens[0]["start"] == span["start"] and tokens[-1]["end"] == span["end"]
    assert len(task["quotes"]) == 4 and task["answer"] == "accept"


def test_jsonl_rel_imports_back_with_every_attribution(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rel.jsonl"
    assert main(["--store", str(store), "export", "--format", "jsonl-rel", "--out", str(out)]) == 0
    assert main(["--store", str(tmp_path / "t"), "import", str(out)]) == 0
    with Store.open(tmp_path / "t", readonly=True) as back:
        (summary,) = back.list_articles()
        quotes = back.get(summary.id)[1].quotes
        entities = back.get(summary.id)[1].entities
    assert [(e.start, e.end, e.label) for e in entities] == [
        (s.start, s.end, s.label) for s in (GREGOIRE, OLYMPIA)
    ]  # the QUOTE_*, SPEAKER and CUE spans are not taken for entities
    assert [(q.kind, q.speaker is not None, q.cue is not None) for q in quotes] == [
        (QuoteKind.DIRECT, True, True),
        (QuoteKind.MIXED, True, True),
        (QuoteKind.INDIRECT, True, True),
        (QuoteKind.PARTIAL, False, False),
    ]


def test_docbin_keeps_kinds_speakers_and_cues_on_tokens(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    assert main(["--store", str(store), "export", "--format", "spacy", "--out", str(out)]) == 0
    vocab = load_model("blank:en").vocab
    files = [DocBin().from_disk(out / f"{name}.spacy") for name in ("train", "dev")]
    (doc,) = [d for docbin in files for d in docbin.get_docs(vocab)]
    assert [(s.text, s.label_) for s in doc.spans["quotes"]] == [
        ("we will rebuild the bridge", "QUOTE_DIRECT"),
        ("the plan was “dead on arrival” elsewhere", "QUOTE_MIXED"),
        ("the funds will come", "REPORTED"),
        ("waste", "QUOTE_PARTIAL"),
    ]
    assert [s.text for s in doc.spans["speakers"]] == ["Governor Chris Gregoire", "She", "She"]
    assert [s.text for s in doc.spans["cues"]] == ["said", "added", "believes"]
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Chris Gregoire", "PERSON"),
        ("Olympia", "GPE"),
    ]
