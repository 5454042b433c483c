"""The index cache, listing and filtering articles, and the files as TinyDB databases."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from tinydb import TinyDB, where

from annotate.model import Annotations, Article, ArticleStatus, Span, Status
from store import Store, StoreError
from store.articles import ArticleFile
from store.index import LOG_NAME, read_index
from store.summary import summarize
from tests.store_support import decide, make_article, pending
from tui.filtering import parse_filter


@pytest.fixture(autouse=True)
def _no_background_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look at the journal between decisions: fold only when they say so."""
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 3600.0)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Four articles: #0 done, #1 in progress, #2 and #3 new."""
    root = tmp_path / "store"
    with Store.open(root) as store:
        store.add_articles([make_article(i, 3) for i in range(4)])
        ids = [s.id for s in store.list_articles()]
        for span in pending(store, ids[0]):
            store.save_decision(ids[0], decide(span))
        store.save_decision(ids[1], decide(pending(store, ids[1])[0], Status.REJECTED))
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The article files read from now on."""
    seen: list[Path] = []
    real = ArticleFile.read

    def spy(self: ArticleFile) -> object:
        seen.append(self.path)
        return real(self)

    monkeypatch.setattr(ArticleFile, "read", spy)
    return seen


def test_opening_reads_no_article_file_when_the_index_is_current(
    path: Path, reads: list[Path]
) -> None:
    with Store.open(path) as store:
        assert len(store.list_articles()) == 4
    assert reads == []


def test_a_replaced_article_file_is_read_again_and_only_it(path: Path, reads: list[Path]) -> None:
    with Store.open(path, readonly=True) as store:
        target = store._article_path(store.list_articles()[2].id)
    copy = target.with_suffix(".copy")
    shutil.copy2(target, copy)
    os.replace(copy, target)  # same bytes, same mtime: only the inode tells
    index_before = (path / "index.json").stat().st_ino
    with Store.open(path) as store:
        assert len(store) == 4
    assert reads == [target]
    assert (path / "index.json").stat().st_ino != index_before  # refreshed


def test_a_missing_index_is_rebuilt_from_the_article_files(path: Path) -> None:
    with Store.open(path, readonly=True) as store:
        expected = store.list_articles()
    (path / "index.json").unlink()
    with Store.open(path) as store:
        rebuilt = store.list_articles()
    assert [(s.id, s.status, s.counts, s.order) for s in rebuilt] == [
        (s.id, s.status, s.counts, s.order) for s in expected
    ]
    assert (path / "index.json").exists()


def test_an_article_file_removed_by_hand_leaves_the_list(path: Path) -> None:
    with Store.open(path, readonly=True) as store:
        gone = store.list_articles()[3].id
        store._article_path(gone).unlink()
    with Store.open(path) as store:
        assert gone not in store and len(store) == 3
    with Store.open(path) as store:
        assert gone not in store


def test_decisions_do_not_rewrite_the_index(path: Path) -> None:
    index = path / "index.json"
    before = index.stat().st_ino
    store = Store.open(path)
    article_id = store.list_articles()[2].id
    for span in pending(store, article_id):
        store.save_decision(article_id, decide(span))
    assert index.stat().st_ino == before
    assert store.summary(article_id).status is ArticleStatus.DONE  # memory is current
    log = (path / LOG_NAME).read_bytes()
    store.close()
    assert index.stat().st_ino == before  # the close appends to the log, not the index
    assert (path / LOG_NAME).read_bytes().startswith(log)
    assert read_index(path)[0][article_id].status is ArticleStatus.DONE


def test_the_index_log_is_compacted_once_it_holds_a_quarter_of_the_store(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("store.index.LOG_MIN", 3)
    index = path / "index.json"
    with Store.open(path) as store:
        store.flush_index()  # an empty log
        store.add_articles([make_article(i, 1) for i in range(10, 12)], backup=False)
        before = index.stat().st_ino
        assert len((path / LOG_NAME).read_bytes().splitlines()) == 3  # header + 2
        more = [make_article(i, 1) for i in range(12, 14)]
        store.add_articles(more, backup=False)  # 4 summaries > max(3, 8 // 4)
        assert index.stat().st_ino != before
        assert (path / LOG_NAME).read_bytes().count(b"\n") == 1  # a header alone
        listed = [s.id for s in store.list_articles()]
    assert list(read_index(path)[0]) == listed


def test_a_torn_or_foreign_index_log_costs_reads_never_articles(
    path: Path, reads: list[Path]
) -> None:
    with Store.open(path) as store:
        store.add_articles([make_article(i, 1) for i in range(10, 13)])
        listed = [s.id for s in store.list_articles()]
    log = path / LOG_NAME
    raw = log.read_bytes()
    log.write_bytes(raw[:-7])  # the last summary torn
    with Store.open(path) as store:
        assert [s.id for s in store.list_articles()] == listed
    assert len(reads) == 1  # only the torn summary's article was read
    assert log.read_bytes().count(b"\n") == 1  # and the index rewritten whole
    reads.clear()
    log.write_bytes(raw.replace(b'"index":[', b'"index":[1'))  # follows another index
    with Store.open(path, readonly=True) as store:
        assert [s.id for s in store.list_articles()] == listed
    assert reads == []  # the index was current anyway (rewritten whole above)


def test_list_order_and_status(path: Path) -> None:
    with Store.open(path) as store:
        summaries = store.list_articles()
        assert [s.title for s in summaries] == ["Story 0", "Story 1", "Story 2", "Story 3"]
        assert [s.status for s in summaries] == [
            ArticleStatus.DONE,
            ArticleStatus.IN_PROGRESS,
            ArticleStatus.NEW,
            ArticleStatus.NEW,
        ]
        assert max(summaries, key=lambda s: s.updated).id == summaries[1].id  # the last decision
        store.add_article(*make_article(9))
        assert store.list_articles()[-1].title == "Story 9"


def test_filter_by_text_status_and_label(path: Path) -> None:
    with Store.open(path) as store:

        def titles(query: str) -> list[str]:  # the app's filter: the one implementation
            predicate = parse_filter(query)
            assert predicate is not None
            return [s.title for s in store.list_articles() if predicate(s)]

        assert titles("story 2") == ["Story 2"]
        assert titles("TEST/3.TXT") == ["Story 3"]  # the source, any case
        assert titles("status:new") == ["Story 2", "Story 3"]
        assert titles("status:done") == ["Story 0"]
        assert titles("label:GPE") == ["Story 0", "Story 1", "Story 2", "Story 3"]
        # Story 1's only PERSON suggestion was rejected: it no longer counts for the label.
        assert titles("label:PERSON") == ["Story 0", "Story 2", "Story 3"]
        assert titles("story status:progress label:ORG") == ["Story 1"]
        assert titles("label:NOPE") == []
        assert titles("status:finished") == []  # not a status: a word no title holds


def test_the_files_are_tinydb_databases_a_person_can_query(path: Path) -> None:
    with Store.open(path) as store:
        store.flush_index()  # index.json whole, its log folded in
        first = store.list_articles()[0]
        article_path = store._article_path(first.id)
    with TinyDB(article_path, access_mode="r") as db:
        assert db.table("article").all()[0]["title"] == "Story 0"
        people = db.table("items").search(where("label") == "PERSON")
        assert [d["status"] for d in people] == ["accepted"]
        assert len(db.table("history")) == 3
    with TinyDB(path / "index.json", access_mode="r") as db:
        assert db.table("articles").search(where("id") == first.id)[0]["status"] == "done"


def test_an_article_id_that_is_not_a_plain_name_is_refused(path: Path) -> None:
    with Store.open(path) as store:
        sneaky = Article(id="../../outside", title="x", text="x")
        with pytest.raises(StoreError, match="cannot be used as a file name"):
            store.add_article(sneaky)
        assert len(store) == 4
    assert not (path.parent / "outside.json").exists()


def test_label_filter_counts_pending_and_accepted_not_rejected() -> None:
    """``label:ORG`` means an ORG that is pending or accepted: an article whose only
    ORG was rejected is not shown (the app's filter and the summaries agree)."""
    article = Article.from_text("Acme said so.", title="Acme")
    org = Span(0, 4, "ORG")
    predicate = parse_filter("label:ORG")
    assert predicate is not None
    for status, shown in (
        (Status.PENDING, True),
        (Status.ACCEPTED, True),
        (Status.REJECTED, False),
    ):
        annotations = Annotations(entities=(replace(org, status=status),))
        summary = summarize(article, annotations, 0)
        assert predicate(summary) is shown, status
