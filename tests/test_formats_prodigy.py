"""Prodigy JSONL, both ways: the task's shape, its hashes, and what an import accepts."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.doccano import read_json_lines as read_jsonl
from annotate.formats.prodigy_import import item_from_task
from annotate.formats.prodigy_jsonl import dumps, get_hash, task_from_article
from annotate.formats.select import Selection
from annotate.model import Annotations, Article, Quote, Span, Statement, Status

TEXT = "Hello world\n\nAlice Smith said “we will go” in Paris."
ALICE = (13, 24)
QUOTE = (31, 41)
PARIS = (46, 51)


def _accepted(start: int, end: int, label: str, who: str = "ann", ts: float = 100.0) -> Span:
    return Span(start, end, label, status=Status.ACCEPTED, annotator=who, timestamp=ts)


def _article_and_annotations() -> tuple[Article, Annotations]:
    article = Article.from_text(TEXT, title="Hello world", source="test")
    speaker = Span(*ALICE, "PERSON")
    annotations = Annotations(
        entities=(
            _accepted(*ALICE, "PERSON", ts=100.0),
            _accepted(*PARIS, "GPE", ts=150.0),
            Span(0, 5, "ORG", status=Status.REJECTED, annotator="ann", timestamp=300.0),
            Span(6, 11, "GPE"),  # pending: not exported
        ),
        quotes=(
            Quote(
                *QUOTE,
                speaker=speaker,
                status=Status.ACCEPTED,
                speaker_status=Status.ACCEPTED,
                annotator="bob",
                timestamp=200.0,
            ),
        ),
        statements=(Statement(13, 52, tags=("claim",), annotator="ann", timestamp=120.0),),
    )
    return article, annotations


def _task() -> dict:
    article, annotations = _article_and_annotations()
    return task_from_article(article, Selection().apply(annotations))


def test_task_has_prodigy_keys_tokens_and_inclusive_token_end() -> None:
    task = _task()
    assert list(task)[:8] == [
        "text", "meta", "tokens", "spans", "relations", "quotes", "statements", "answer",
    ]  # fmt: skip
    assert task["text"] == TEXT
    assert task["answer"] == "accept"
    tokens = task["tokens"]
    assert [t["text"] for t in tokens[:4]] == ["Hello", "world", "\n\n", "Alice"]
    assert tokens[0] == {"text": "Hello", "start": 0, "end": 5, "id": 0, "ws": True}
    assert all(TEXT[t["start"] : t["end"]] == t["text"] for t in tokens)
    # Only the accepted entities, with Prodigy's inclusive token_end.
    assert task["spans"] == [
        {"start": 13, "end": 24, "label": "PERSON", "token_start": 3, "token_end": 4},
        {"start": 46, "end": 51, "label": "GPE", "token_start": 12, "token_end": 12},
    ]


def test_relation_goes_from_speaker_to_quote_anchored_on_last_tokens() -> None:
    (relation,) = _task()["relations"]
    assert relation["label"] == "SPEAKER"
    assert relation["head_span"] == {
        "start": 13, "end": 24, "label": "PERSON", "token_start": 3, "token_end": 4,
    }  # fmt: skip
    assert relation["child_span"]["start"] == QUOTE[0]
    assert relation["child_span"]["label"] == "QUOTE"
    assert relation["head"] == 4 and relation["child"] == relation["child_span"]["token_end"]


def test_annotator_and_timestamp_are_the_latest_exported_decision() -> None:
    task = _task()
    # The rejected ORG at t=300 is not exported, so it does not count.
    assert task["_annotator_id"] == "bob"
    assert task["_timestamp"] == 200


def test_hashes_are_stable_and_follow_input_and_task_keys() -> None:
    first, second = _task(), _task()
    assert first["_input_hash"] == second["_input_hash"]
    assert first["_task_hash"] == second["_task_hash"]
    assert first["_input_hash"] == get_hash({"text": TEXT}, ["text"])
    article, annotations = _article_and_annotations()
    fewer = Selection.of(labels=["PERSON"]).apply(annotations)
    other = task_from_article(article, fewer)
    assert other["_input_hash"] == first["_input_hash"]  # same text
    assert other["_task_hash"] != first["_task_hash"]  # different spans
    assert isinstance(first["_input_hash"], int) and -(2**31) <= first["_input_hash"] < 2**31


def test_speaker_not_confirmed_is_not_exported() -> None:
    article, annotations = _article_and_annotations()
    quote = annotations.quotes[0]
    from dataclasses import replace

    unsure = annotations.replace(quotes=(replace(quote, speaker_status=Status.PENDING),))
    task = task_from_article(article, Selection().apply(unsure))
    assert task["relations"] == []
    assert task["quotes"][0]["speaker"] is None


def test_misaligned_entity_is_reported() -> None:
    article = Article.from_text(TEXT)
    messages: list[str] = []
    odd = Annotations(entities=(_accepted(47, 51, "GPE"),))  # "aris"
    task = task_from_article(article, odd, report=messages.append)
    assert task["spans"][0]["start"] == 47  # char offsets kept exactly
    assert len(messages) == 1 and article.id in messages[0] and "'aris'" in messages[0]


def test_import_of_export_gives_the_same_annotations() -> None:
    article, annotations = _article_and_annotations()
    line = dumps(task_from_article(article, Selection().apply(annotations)))
    imported = item_from_task(orjson.loads(line), where="f.jsonl:1")
    assert imported.article.id == article.id
    assert imported.article.title == "Hello world"
    assert imported.article.source == "test"
    got = imported.annotations
    assert got is not None
    assert [(e.start, e.end, e.label, e.status) for e in got.entities] == [
        (*ALICE, "PERSON", Status.ACCEPTED),
        (*PARIS, "GPE", Status.ACCEPTED),
    ]
    (quote,) = got.quotes
    assert (quote.start, quote.end, quote.status) == (*QUOTE, Status.ACCEPTED)
    assert quote.speaker is not None and (quote.speaker.start, quote.speaker.end) == ALICE
    assert got.statements[0].tags == ("claim",)
    assert {e.annotator for e in got.entities} == {"bob"}
    assert {e.timestamp for e in got.entities} == {200.0}


def test_as_suggestions_makes_pending_and_reject_makes_rejected() -> None:
    task = orjson.loads(dumps(_task()))
    pending = item_from_task(task, where="x", as_suggestions=True).annotations
    assert pending is not None
    assert {e.status for e in pending.entities} == {Status.PENDING}
    assert {q.status for q in pending.quotes} == {Status.PENDING}
    rejected = item_from_task({**task, "answer": "reject"}, where="x").annotations
    assert rejected is not None and {e.status for e in rejected.entities} == {Status.REJECTED}
    ignored = item_from_task({**task, "answer": "ignore"}, where="x")
    assert ignored.annotations is None and ignored.article.text == TEXT


def test_plain_prodigy_task_with_relations_only_gives_quotes() -> None:
    task: dict[str, Any] = {
        "text": "Ann said: stop now.",
        "spans": [{"start": 0, "end": 3, "label": "PERSON", "text": "Ann"}],
        "relations": [
            {
                "head": 0,
                "child": 4,
                "head_span": {"start": 0, "end": 3, "label": "PERSON"},
                "child_span": {"start": 10, "end": 18, "label": "QUOTE"},
                "label": "SPEAKER",
            },
        ],
        "_annotator_id": "rev",
        "_timestamp": 5,
    }
    got = item_from_task(task, where="x", annotator="me").annotations
    assert got is not None
    (quote,) = got.quotes
    assert (quote.start, quote.end) == (10, 18)
    assert quote.speaker is not None and quote.speaker.label == "PERSON"
    assert quote.annotator == "rev" and quote.timestamp == 5.0
    # a relation newsread cannot keep refuses the task (issue 11): never dropped silently
    other = {**task, "relations": [*task["relations"], {"head": 0, "child": 1, "label": "OTHER"}]}
    with pytest.raises(FormatError, match="'OTHER' relation"):
        item_from_task(other, where="x", annotator="me")


def test_plain_line_is_cleaned_and_keeps_meta() -> None:
    item = item_from_task(
        {"text": "  Title line\n\nBody \x1b[31mred\x1b[0m text.  ", "meta": {"lang": "en"}},
        where="f.jsonl:3",
    )
    assert item.annotations is None
    assert item.article.text == "Title line\n\nBody red text."
    assert item.article.title == "Title line"
    assert item.article.source == "f.jsonl:3"
    assert item.article.meta["lang"] == "en"  # the task's meta is kept
    assert "offsets" in item.article.meta  # and cleaning records its map to the raw text


def test_control_characters_in_annotated_text_move_offsets_with_the_text() -> None:
    text = "A\x1b[1mB\x1b[0m Carla\r\nsaid."
    carla = text.index("Carla")
    task = {"text": text, "spans": [{"start": carla, "end": carla + 5, "label": "PERSON"}]}
    item = item_from_task(task, where="x")
    assert "\x1b" not in item.article.text and "\r" not in item.article.text
    (span,) = item.annotations.entities  # type: ignore[union-attr]
    assert item.article.text[span.start : span.end] == "Carla"


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ({"spans": []}, "'text' is missing"),
        ({"text": "abc", "spans": [{"start": 0, "end": 9, "label": "X"}]}, "outside the text"),
        ({"text": "abc", "spans": [{"start": 2, "end": 1, "label": "X"}]}, "outside the text"),
        ({"text": "abc", "spans": [{"start": "0", "end": 1, "label": "X"}]}, "integer"),
        ({"text": "abc", "spans": [{"start": 0, "end": 1}]}, "no label"),
        ({"text": "abc", "spans": [{"start": 0, "end": 1, "label": "X", "text": "b"}]}, "differs"),
        ({"text": "abc", "spans": {"start": 0}}, "'spans' is not a list"),
        ({"text": "abc", "meta": [1]}, "'meta' is not a JSON object"),
        ({"text": "abc", "answer": "maybe"}, "'answer'"),
        ({"text": "abc", "statements": [{"start": 0, "end": 1, "tags": "claim"}]}, "tags"),
        ({"text": "abc", "quotes": [{"start": 0, "end": 1, "kind": "odd"}]}, "kind"),
    ],
)
def test_bad_task_is_a_format_error_naming_the_key(task: dict, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        item_from_task(task, where="x")


def test_read_jsonl_reports_each_bad_line_and_keeps_the_others() -> None:
    lines = [
        b'{"text": "First article."}',
        b"{broken",
        b"",
        b"[1, 2]",
        b'{"text": "abc", "spans": [{"start": 0, "end": 7, "label": "X"}]}',
        b'{"text": "Last article."}',
    ]
    results = list(read_jsonl(lines, "in.jsonl"))
    assert [type(r) for r in results] == [Imported, Failure, Failure, Failure, Imported]
    failures = [r for r in results if isinstance(r, Failure)]
    assert [f.where for f in failures] == ["in.jsonl:2", "in.jsonl:4", "in.jsonl:5"]
    assert "invalid JSON" in failures[0].reason
    assert "not a JSON object" in failures[1].reason
    assert "spans[0]" in failures[2].reason
