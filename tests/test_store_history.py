"""Undo and redo: per article, across restarts and crashes, bounded; and the fast paths
a decision takes (binary-search apply, incremental summary) checked against the plain ones."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import store.history
from annotate.edits import Edit, EditConflict, apply_edit, make_edit
from annotate.model import Annotations, Quote, QuoteKind, Span, Statement, Status
from annotate.statements import suggested_statement
from store import Store
from store.history import ArticleState, apply_sorted, sorted_annotations
from store.journal import JOURNAL_NAME, read_journal
from store.summary import summarize, summary_after
from tests.store_support import accepted, decide, make_article, pending, tag


@pytest.fixture(autouse=True)
def _no_background_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look at the journal between decisions: fold only when they say so."""
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 3600.0)


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[tuple[Store, str]]:
    store = Store.open(tmp_path / "store")
    article, annotations = make_article(1, 6, quote=True)
    store.add_article(article, annotations)
    yield store, article.id
    store.close()


def _reopen(store: Store) -> Store:
    store.close()
    return Store.open(store.root)


def test_undo_and_redo_work_across_restarts(opened: tuple[Store, str]) -> None:
    store, article_id = opened
    first, second, third = pending(store, article_id)[:3]
    store.save_decision(article_id, decide(first))
    store.save_decision(article_id, decide(second, Status.REJECTED))

    store = _reopen(store)
    undone = store.undo(article_id)
    assert undone is not None and undone[1].action == "undo rejected"
    assert second in pending(store, article_id)

    store = _reopen(store)
    undone = store.undo(article_id)
    assert undone is not None and first in pending(store, article_id)
    assert store.undo(article_id) is None  # nothing older

    store = _reopen(store)
    redone = store.redo(article_id)
    assert redone is not None and redone[1].action == "accepted"
    assert accepted(store) == {(article_id, first.id)}
    store.save_decision(article_id, decide(third))  # a new decision ends the redo branch
    assert store.redo(article_id) is None

    store = _reopen(store)
    history, cursor = store.history(article_id)
    assert [e.after[0].id for e in history] == [first.id, third.id] and cursor == 2
    assert store.redo(article_id) is None
    store.close()


def test_undo_after_a_crash_undoes_the_last_decision(opened: tuple[Store, str]) -> None:
    store, article_id = opened
    first, second = pending(store, article_id)[:2]
    store.save_decision(article_id, decide(first))
    store.save_decision(article_id, decide(second))
    store._release()  # killed: both decisions are only in the journal
    store = Store.open(store.root)
    undone = store.undo(article_id)
    assert undone is not None and undone[1].after == (second,)
    assert accepted(store) == {(article_id, first.id)}
    store.close()


def test_quotes_and_tags_go_through_history_and_files(opened: tuple[Store, str]) -> None:
    store, article_id = opened
    _, annotations = store.get(article_id)
    (quote,) = annotations.quotes
    fixed = replace(quote, status=Status.ACCEPTED, speaker_status=Status.REJECTED)
    store.save_decision(article_id, make_edit("accept quote", [quote], [fixed], "tester"))
    store.save_decision(article_id, tag(quote.start, quote.end, ("claim", "denial")))
    store._release()  # read back from the journal …
    store = Store.open(store.root)
    _, annotations = store.get(article_id)
    assert annotations.quotes[0].kind is QuoteKind.DIRECT
    assert annotations.quotes[0].speaker_status is Status.REJECTED
    assert annotations.statements[0].tags == ("claim", "denial")
    store = _reopen(store)  # … and from the article file
    assert store.undo(article_id) is not None
    undone = store.undo(article_id)
    assert undone is not None and undone[0].quotes == (quote,)
    counts = store.summary(article_id).counts
    assert counts["quote|direct|pending|"] == 1 and counts["speaker|SPEAKER|pending|"] == 1
    store.close()


def test_history_is_bounded(opened: tuple[Store, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store.history, "HISTORY_LIMIT", 3)
    store_, article_id = opened
    spans = pending(store_, article_id)[:5]
    for span in spans:
        store_.save_decision(article_id, decide(span))
    store_ = _reopen(store_)
    history, cursor = store_.history(article_id)
    assert [e.after[0].id for e in history] == [s.id for s in spans[2:]] and cursor == 3
    for _ in range(3):
        assert store_.undo(article_id) is not None
    assert store_.undo(article_id) is None
    assert accepted(store_) == {(article_id, s.id) for s in spans[:2]}  # decisions stay
    store_.close()


def test_a_stale_edit_changes_nothing(opened: tuple[Store, str]) -> None:
    store, article_id = opened
    span = pending(store, article_id)[0]
    store.save_decision(article_id, decide(span))
    journal = store.root / JOURNAL_NAME
    entries = read_journal(journal).entries
    summary = store.summary(article_id)
    with pytest.raises(EditConflict):
        store.save_decision(article_id, decide(span, Status.REJECTED))  # shown before the accept
    assert read_journal(journal).entries == entries
    assert store.summary(article_id) == summary


def test_nothing_to_undo_or_redo_writes_nothing(opened: tuple[Store, str]) -> None:
    store, article_id = opened
    journal = store.root / JOURNAL_NAME
    before = journal.read_bytes()
    assert store.undo(article_id) is None and store.redo(article_id) is None
    assert journal.read_bytes() == before


# -- the fast paths equal the plain ones ---------------------------------------------
LABELS = ("PERSON", "ORG", "GPE")
spans_strategy = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 6), st.sampled_from(LABELS)),
    unique_by=lambda t: (t[0], t[1], t[2]),
    max_size=25,
).map(lambda ts: [Span(s, s + n, label) for s, n, label in ts])


def _random_edit(data: st.DataObject, annotations: Annotations) -> Edit:
    spans = list(annotations.entities)
    action = data.draw(
        st.sampled_from(["decide", "relabel", "add", "remove", "stale", "tag", "suggest", "judge"])
    )
    if action == "suggest":  # a pending tag suggestion (as a re-analysis brings)
        start = data.draw(st.integers(0, 45))
        suggestion = suggested_statement(start, start + 3, ("claim",))
        return make_edit("suggest", [], [suggestion], None, 7.0)
    if action == "judge" and annotations.statements:  # accept, reject or un-decide a tag
        statement = data.draw(st.sampled_from(list(annotations.statements)))
        status = data.draw(st.sampled_from(list(Status)))
        return make_edit("judge", [statement], [replace(statement, status=status)], "k", 8.0)
    if action in ("add", "judge") or not spans:
        start = data.draw(st.integers(0, 45))
        span = Span(start, start + data.draw(st.integers(0, 5)), data.draw(st.sampled_from(LABELS)))
        return make_edit("add", [], [replace(span, status=Status.ACCEPTED)], "h", 1.0)
    span = data.draw(st.sampled_from(spans))
    if action == "decide":
        status = data.draw(st.sampled_from(list(Status)))
        return make_edit("decide", [span], [replace(span, status=status)], "h", 2.0)
    if action == "relabel":
        label = data.draw(st.sampled_from(LABELS))
        return make_edit("relabel", [span], [replace(span, label=label)], "i", 3.0)
    if action == "remove":
        return make_edit("remove", [span], [], "h", 4.0)
    if action == "stale":
        return make_edit("decide", [replace(span, end=span.end + 1)], [span], "h", 5.0)
    return make_edit("tag", [], [Statement(span.start, span.end, ("claim",))], "j", 6.0)


@settings(max_examples=150, deadline=None)
@given(st.data(), spans_strategy)
def test_apply_sorted_equals_apply_edit(data: st.DataObject, spans: list[Span]) -> None:
    annotations = sorted_annotations(Annotations(entities=tuple(spans)))
    for _ in range(12):
        edit = _random_edit(data, annotations)
        try:
            expected = apply_edit(annotations, edit)
        except EditConflict:
            with pytest.raises(EditConflict):
                apply_sorted(annotations, edit)
            continue
        assert apply_sorted(annotations, edit) == expected
        annotations = expected


@settings(max_examples=150, deadline=None)
@given(st.data(), spans_strategy, st.booleans())
def test_incremental_summary_equals_a_full_count(
    data: st.DataObject, spans: list[Span], analysed: bool
) -> None:
    article, _ = make_article(1, 0)
    if not analysed:
        article = replace(article, analysis=None)
    quote = Quote(2, 9, QuoteKind.PARTIAL, speaker=Span(12, 15, "PERSON"))
    waiting = (suggested_statement(20, 30, ("claim", "denial")),)  # a pending tag suggestion
    start = Annotations(tuple(spans), (quote,), waiting if data.draw(st.booleans()) else ())
    state = ArticleState(article, sorted_annotations(start))
    summary = summarize(article, state.annotations, 0)
    for _ in range(15):  # one version: the case the store counts incrementally
        move = data.draw(st.sampled_from(["edit", "edit", "undo", "redo"]))
        if move == "edit":
            edit = _random_edit(data, state.annotations)
            try:
                state, applied = state.decided(edit, "h"), edit
            except EditConflict:
                continue
        else:
            step = state.undone("h") if move == "undo" else state.redone("h")
            if step is None:
                continue
            state, applied = step
        summary = summary_after(summary, applied.before, applied.after, state.annotations)
        assert summary == summarize(article, state.annotations, 0)
        assert summary.status == state.annotations.status(analysed)
        assert summary.pending == state.annotations.pending
        assert summary.statements == sum(
            1 for s in state.annotations.statements if s.status is not Status.PENDING
        )
