"""Statement tags suggested by a trained classifier: the model, counting, exports, merging
and the analysis that makes them.

A suggestion is a pending statement (origin ``model``); only a person's accepted tags are
training data, so every export, the training data, agreement and review leave pending and
rejected suggestions out (they are unknown, never negatives).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from annotate.agreement import tags_of
from annotate.edits import merge_suggestions
from annotate.formats.select import Selection
from annotate.learn.examples import Decided
from annotate.learn.tags import tagged
from annotate.model import (
    Annotations,
    Article,
    ArticleStatus,
    Origin,
    Span,
    Statement,
    Status,
    span_id,
)
from annotate.review import items as review_items
from annotate.statements import suggested_statement
from store import Store
from store.summary import summarize
from tui.cli import main

CLAIM = "The plan will cut costs by half."
DENIAL = "He denied any wrongdoing at all."
OPINION = "This is the best city to live in."
OWN = "Nothing else happened today."
TEXT = f"Ann Lee spoke in Oslo. {CLAIM} {DENIAL} {OPINION} {OWN}"


def _at(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def _decided(part: str, tags: tuple[str, ...], status: Status) -> Statement:
    return replace(suggested_statement(*_at(part), tags), status=status, annotator="ann")


def _article() -> tuple[Article, Annotations]:
    """A done-looking article: entities accepted, a suggestion of each status, a person's tag."""
    article = replace(Article.from_text(TEXT, source="one"), analysis={"model": "m"})
    ann = Span(*_at("Ann Lee"), "PERSON", status=Status.ACCEPTED, annotator="ann", timestamp=1.0)
    statements = (
        _decided(CLAIM, ("claim",), Status.ACCEPTED),
        suggested_statement(*_at(DENIAL), ("denial",)),
        _decided(OPINION, ("opinion",), Status.REJECTED),
        Statement(*_at(OWN), ("filler",), annotator="ann"),
    )
    return article, Annotations(entities=(ann,), statements=statements)


def test_a_suggestion_round_trips_and_old_statements_stay_byte_identical() -> None:
    old = {"id": "abc", "start": 1, "end": 9, "tags": ["claim"], "annotator": "ann"}
    statement = Statement.from_dict(old)
    assert statement.origin is Origin.USER and statement.status is Status.ACCEPTED
    assert orjson.dumps(statement.to_dict()) == orjson.dumps(old)
    assert Statement(1, 9, ("claim",)).id == span_id("statement", 1, 9, "", "user")
    suggestion = suggested_statement(1, 9, ("claim", "denial"))
    assert suggestion.id == span_id("statement", 1, 9, "", "model")
    data = suggestion.to_dict()
    assert data["origin"] == "model" and data["status"] == "pending"
    assert Statement.from_dict(json.loads(json.dumps(data))) == suggestion
    rejected = replace(suggestion, status=Status.REJECTED)
    assert Statement.from_dict(rejected.to_dict()) == rejected


def test_a_pending_suggestion_is_pending_but_touches_nothing() -> None:
    article = replace(Article.from_text(TEXT), analysis={"model": "m"})
    waiting = Annotations(statements=(suggested_statement(*_at(CLAIM), ("claim",)),))
    assert waiting.pending == 1 and waiting.decided == 0 and waiting.tagged == 0
    assert waiting.status(True) is ArticleStatus.NEW  # suggestions alone: still new
    for status in (Status.ACCEPTED, Status.REJECTED):
        decided = Annotations(statements=(_decided(CLAIM, ("claim",), status),))
        assert decided.pending == 0 and decided.decided == 1 and decided.tagged == 1
        assert decided.status(True) is ArticleStatus.DONE
        assert decided.status(False) is ArticleStatus.IN_PROGRESS
    with_entity = Annotations(
        entities=(Span(0, 7, "PERSON", status=Status.ACCEPTED),), statements=waiting.statements
    )
    assert with_entity.status(True) is ArticleStatus.IN_PROGRESS  # the suggestion waits
    for found in (waiting, with_entity, _article()[1]):
        summary = summarize(article, found, 0)
        assert summary.status is found.status(True)
        assert summary.pending == found.pending and summary.decided == found.decided
        assert summary.statements == found.tagged


def test_selection_training_agreement_and_review_see_only_accepted_tags() -> None:
    article, annotations = _article()
    chosen = Selection().apply(annotations).statements
    assert [s.tags for s in chosen] == [("claim",), ("filler",)]
    docs = [s.to_dict() for s in annotations.statements]
    for selection in (Selection(), Selection.of(annotator="ann")):
        picked = selection.apply_docs([], [], docs).statements
        assert [d["tags"] for d in picked] == [["claim"], ["filler"]]
    found = tagged([Decided(article, annotations, complete=True)])
    assert sorted(t.text for t in found) == sorted([CLAIM, OWN])
    assert set(tags_of(annotations).values()) == {frozenset({"claim"}), frozenset({"filler"})}
    claimed = {i.key[3] for i in review_items({"ann": annotations}) if i.key[0] == "tag"}
    assert claimed == {"claim", "filler"}


def _export(store: Path, *args: str) -> None:
    assert main(["--store", str(store), "export", *args]) == 0


def test_every_export_carries_accepted_tags_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "s"
    with Store.open(root) as store:
        store.add_articles([_article()])
    _export(root, "--out", str(tmp_path / "a.jsonl"))
    (task,) = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [s["tags"] for s in task["statements"]] == [["claim"], ["filler"]]
    _export(root, "--format", "textcat", "--out", str(tmp_path / "cats.jsonl"))
    records = [json.loads(line) for line in (tmp_path / "cats.jsonl").read_text().splitlines()]
    assert [r["text"] for r in records] == [CLAIM, OWN]
    assert all(r["cats"].get("denial", 0.0) == 0.0 for r in records)  # the tag set may list it
    _export(root, "--format", "spacy", "--out", str(tmp_path / "corpus"))
    from spacy.tokens import DocBin

    from annotate.detect.nlp import load_model

    vocab = load_model("blank:en").vocab
    texts = []
    for name in ("textcat_train.spacy", "textcat_dev.spacy"):
        for doc in DocBin().from_disk(tmp_path / "corpus" / name).get_docs(vocab):
            texts.append(doc.text)
            assert doc.cats.get("opinion", 0.0) == 0.0 and doc.cats.get("denial", 0.0) == 0.0
    assert sorted(texts) == sorted([CLAIM, OWN])
    capsys.readouterr()


def test_reanalysis_replaces_pending_tags_and_keeps_decided_ones() -> None:
    _, current = _article()
    suggested = Annotations(
        statements=(
            suggested_statement(*_at(CLAIM), ("opinion",)),  # a decided one is there
            suggested_statement(*_at(DENIAL), ("claim",)),  # replaces the pending one
            suggested_statement(*_at(OPINION), ("opinion",)),  # rejected: not back
            suggested_statement(*_at(OWN), ("claim",)),  # a person's own tag is there
            suggested_statement(*_at("Ann Lee spoke in Oslo."), ("claim",)),  # new
        )
    )
    merged = merge_suggestions(current, suggested)
    by_text = {TEXT[s.start : s.end]: s for s in merged.statements}
    assert len(merged.statements) == 5
    for part in (CLAIM, OPINION, OWN):
        assert [s for s in current.statements if TEXT[s.start : s.end] == part] == [by_text[part]]
    assert by_text[DENIAL].tags == ("claim",) and by_text[DENIAL].status is Status.PENDING
    assert by_text["Ann Lee spoke in Oslo."].origin is Origin.MODEL
    assert merge_suggestions(current, Annotations()).statements == tuple(
        s for s in current.statements if s.status is not Status.PENDING
    )


CLAIMS = ["The plan will cut costs by half.", "Prices will fall next year.", "Taxes will drop."]
DENIALS = ["He denied any wrongdoing.", "She rejected every accusation.", "They deny it all."]


def test_analysis_with_a_tag_classifier_suggests_pending_tags_on_sentences() -> None:
    from annotate.detect.nlp import load_model
    from annotate.detect.pipeline import analyze
    from annotate.detect.tags import PIPE, THRESHOLD
    from annotate.learn.tags import Tagged, train_tags
    from annotate.learn.training import TrainConfig

    nlp = load_model("blank:en", fresh=True)
    nlp.add_pipe("sentencizer")
    examples = [Tagged(CLAIMS[i % 3], frozenset({"claim"})) for i in range(10)]
    examples += [Tagged(DENIALS[i % 3], frozenset({"denial"})) for i in range(10)]
    train_tags(
        nlp, examples, ("claim", "denial"), deadline=time.monotonic() + 120,
        config=TrainConfig(epochs=8),
    )  # fmt: skip
    text = f"{CLAIMS[0]} {DENIALS[1]} Zebras graze quietly."
    article = Article.from_text(text)
    ((_, found),) = analyze(nlp, [article])
    assert len(found.sentences) == 3
    by_text = {text[s.start : s.end]: s for s in found.statements}
    assert by_text[CLAIMS[0]].tags == ("claim",) and by_text[DENIALS[1]].tags == ("denial",)
    for statement in found.statements:
        assert statement.origin is Origin.MODEL and statement.status is Status.PENDING
        assert statement.id == span_id("statement", statement.start, statement.end, "", "model")
    textcat = nlp.get_pipe(PIPE)
    for start, end in found.sentences:  # exactly the tags at or over the threshold
        cats = textcat(nlp.make_doc(text[start:end])).cats
        over = tuple(tag for tag, score in cats.items() if score >= THRESHOLD)
        assert (by_text[text[start:end]].tags if over else ()) == over
        assert over or text[start:end] not in by_text
    ((_, strict),) = analyze(nlp, [article], tag_threshold=1.01)
    assert strict.statements == ()  # no tag reaches the threshold: no suggestion at all
    plain = load_model("blank:en", fresh=True)
    plain.add_pipe("sentencizer")
    assert next(iter(analyze(plain, [article])))[1].statements == ()


def test_keys_decide_a_suggestion_like_any_other() -> None:
    from annotate import actions
    from annotate.edits import apply_edit
    from annotate.tokens import tokenize

    waiting = suggested_statement(*_at(DENIAL), ("denial",))
    ann = Span(*_at("Ann Lee"), "PERSON")
    annotations = Annotations(
        entities=(ann,), statements=(waiting, _decided(CLAIM, ("c",), Status.ACCEPTED))
    )
    assert [i.id for i in actions.focusables(annotations)][0] == ann.id
    assert actions.step(annotations, ann.id) == waiting  # the only other pending item
    everything = apply_edit(annotations, actions.accept_all(annotations, "bob"))  # type: ignore[arg-type]
    assert all(s.status is Status.ACCEPTED for s in everything.statements)
    tokens = tokenize(Article.from_text(TEXT))
    moved = actions.move_edge(annotations, waiting.id, tokens, edge="end", delta=1, annotator="b")
    assert moved is None  # a statement is its sentence: no edge to move
    own = Statement(*_at(OWN), ("filler",))
    with_own = annotations.replace(statements=(*annotations.statements, own))
    assert own not in actions.focusables(with_own)  # a person's own tag is no suggestion
    removed = actions.tag(with_own, *_at(OWN), (), "bob")
    assert removed is not None and removed.after == ()  # untagging one's own removes it
    rejected = actions.tag(with_own, *_at(DENIAL), (), "bob")
    assert rejected is not None and rejected.after[0].status is Status.REJECTED
    changed = actions.tag(with_own, *_at(DENIAL), ("claim",), "bob")
    assert changed is not None and changed.after[0] == replace(
        waiting, tags=("claim",), status=Status.ACCEPTED, annotator="bob",
        timestamp=changed.after[0].timestamp,
    )  # fmt: skip


def test_a_pending_suggestion_is_shared_and_a_decision_on_it_is_the_annotator_s(
    tmp_path: Path,
) -> None:
    from annotate import actions
    from store.versions import is_suggestion

    article, annotations = _article()
    waiting = next(s for s in annotations.statements if s.status is Status.PENDING)
    assert is_suggestion(waiting)
    assert not any(is_suggestion(s) for s in annotations.statements if s is not waiting)
    with Store.open(tmp_path / "s") as store:
        store.add_articles([(article, annotations)])
        assert store.suggestions(article.id).statements == (waiting,)  # the base: shared
        edit = actions.accept(store.get(article.id)[1], waiting.id, "bob")
        assert edit is not None
        store.save_decision(article.id, edit)
        assert store.suggestions(article.id).statements == (waiting,)  # others still see it
        (bob,) = [s for s in store.versions(article.id)["bob"].statements if s.id == waiting.id]
        assert bob.status is Status.ACCEPTED and bob.annotator == "bob"
        assert store.undo(article.id) is not None
        (back,) = [s for s in store.get(article.id)[1].statements if s.id == waiting.id]
        assert back == waiting


def test_analyze_prints_tag_suggestions_only_when_there_are_some() -> None:
    from tui.cli.analyze_cmd import article_record

    article, annotations = _article()
    start, end = _at(CLAIM)
    with_tags = annotations.replace(statements=(suggested_statement(start, end, ("claim",)),))
    record = article_record(article, with_tags)
    assert record["statements"] == [{"start": start, "end": end, "text": CLAIM, "tags": ["claim"]}]
    assert "statements" not in article_record(article, annotations.replace(statements=()))
