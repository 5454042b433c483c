"""One writer at a time: a second newsread on the same store is read-only and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotate.model import Annotations
from store import Store, StoreReadOnly
from tests.store_support import Writer, accepted, decide, files_on_disk, make_article, pending


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.add_articles([make_article(i) for i in range(3)])
    return path


@pytest.fixture
def writer(filled: Path) -> Iterator[Writer]:
    other = Writer(filled)
    yield other
    if other.process.poll() is None:
        other.process.kill()
        other.process.wait()


def test_a_second_process_opens_read_only_and_writes_nothing(filled: Path, writer: Writer) -> None:
    assert writer.greeting == "READY"
    with Store.open(filled, readonly=True) as peek:
        article_id = peek.list_articles()[0].id
        first, second = pending(peek, article_id)[:2]
    assert writer.send(f"accept {article_id} {first.id}") == "OK"

    before = files_on_disk(filled)
    store = Store.open(filled)
    assert store.readonly
    assert any("another newsread is writing" in n for n in store.notices)
    assert (article_id, first.id) in accepted(store)  # the writer's journal is read
    new_article, new_annotations = make_article(99)
    attempts: dict[str, Callable[[], object]] = {
        "commit": lambda: store.save_decision(article_id, decide(second)),
        "undo": lambda: store.undo(article_id),
        "redo": lambda: store.redo(article_id),
        "add_article": lambda: store.add_article(new_article, new_annotations),
        "add_articles": lambda: store.add_articles([(new_article, None)]),
        "save_analysis": lambda: store.save_analysis(article_id, Annotations(), {"model": "x"}),
        "flush_index": store.flush_index,
        "backup": store.backup,
    }
    for name, attempt in attempts.items():
        with pytest.raises(StoreReadOnly, match="read-only"):
            attempt()
        assert store.summary(article_id).decided == 1, name  # nothing claims to be saved
    store.close()
    assert files_on_disk(filled) == before  # not one byte written, not even on close

    assert writer.send(f"accept {article_id} {second.id}") == "OK"  # the writer goes on
    writer.quit()
    with Store.open(filled) as reopened:
        assert not reopened.readonly
        assert {(article_id, first.id), (article_id, second.id)} <= accepted(reopened)


def test_a_reader_does_not_take_the_writer_lock(filled: Path) -> None:
    with Store.open(filled, readonly=True) as reader:
        other = Writer(filled)
        try:
            assert other.greeting == "READY"
        finally:
            other.quit()
        assert reader.readonly


def test_a_started_writer_sees_the_lock_of_this_process(filled: Path) -> None:
    with Store.open(filled) as store:
        assert not store.readonly
        other = Writer(filled)
        try:
            assert other.greeting == "READONLY"
        finally:
            other.quit()


def test_the_lock_is_per_open_so_a_second_open_in_one_process_is_read_only(
    filled: Path,
) -> None:
    first = Store.open(filled)
    second = Store.open(filled)
    assert not first.readonly and second.readonly
    second.close()
    first.close()
    with Store.open(filled) as again:  # released on close
        assert not again.readonly


def test_a_killed_writer_leaves_no_lock_behind(filled: Path) -> None:
    other = Writer(filled)
    assert other.greeting == "READY"
    other.process.kill()
    other.process.wait()
    with Store.open(filled) as store:
        assert not store.readonly
