"""One writer at a time: a second newsread on the same store is read-only and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from annotate.model import Annotations
from store import Store, StoreLockLost, StoreReadOnly
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


# -- a lock file removed or replaced under a running writer -----------------------------


def _data(root: Path) -> dict[str, tuple[int, int, int]]:
    """The store's files but its lock file (which every opener creates if missing)."""
    return {name: sig for name, sig in files_on_disk(root).items() if name != ".lock"}


def test_a_removed_lock_file_never_lets_a_second_writer_in(filled: Path, writer: Writer) -> None:
    assert writer.greeting == "READY"
    with Store.open(filled, readonly=True) as peek:
        article_id = peek.list_articles()[0].id
        first, second = pending(peek, article_id)[:2]
    assert writer.send(f"accept {article_id} {first.id}") == "OK"
    (filled / ".lock").unlink()  # by hand, or a cleaning tool

    before = _data(filled)
    second_app = Store.open(filled)  # its journal is open: the writer is still there
    assert second_app.readonly
    assert any("journal is open" in n for n in second_app.notices)
    second_app.close()
    assert _data(filled) == before

    said = writer.send(f"accept {article_id} {second.id}")  # the writer stops writing
    assert said.startswith("ERROR") and f"lock file {filled / '.lock'} was " in said
    assert _data(filled) == before
    closed = writer.quit()  # writes nothing either, and says why
    assert f"lock file {filled / '.lock'} was " in closed
    assert _data(filled) == before
    with Store.open(filled) as reopened:  # the first decision, from the journal
        assert not reopened.readonly
        assert (article_id, first.id) in accepted(reopened)
        assert (article_id, second.id) not in accepted(reopened)
        assert any("recovered 1 decision" in n for n in reopened.notices)


def test_a_replaced_lock_file_stops_the_writer(filled: Path) -> None:
    store = Store.open(filled)
    article_id = store.list_articles()[0].id
    first, second = pending(store, article_id)[:2]
    store.save_decision(article_id, decide(first))
    lock = filled / ".lock"
    lock.unlink()
    lock.write_text("")  # another process's lock file now
    journal = (filled / "journal.jsonl").read_bytes()
    with pytest.raises(StoreLockLost, match="was replaced"):
        store.save_decision(article_id, decide(second))
    with pytest.raises(StoreLockLost):
        store.add_articles([make_article(50)])
    assert (filled / "journal.jsonl").read_bytes() == journal
    with pytest.raises(StoreLockLost):
        store.close()  # folds nothing: another writer may be at work
    assert (filled / "journal.jsonl").read_bytes() == journal
    with Store.open(filled) as reopened:
        assert (article_id, first.id) in accepted(reopened)
        assert (article_id, second.id) not in accepted(reopened)


def test_an_import_whose_lock_file_vanishes_stops_with_exit_code_1(
    filled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tui.cli import main

    real = Store.add_articles

    def vanishing(self: Store, *args: Any, **kwargs: Any) -> list[bool]:
        (filled / ".lock").unlink(missing_ok=True)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "add_articles", vanishing)
    (tmp_path / "new.txt").write_text("A new article\n\nAbout Oslo.", "utf-8")
    with Store.open(filled) as store:
        count = len(store)
    assert main(["--store", str(filled), "import", str(tmp_path / "new.txt")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "import stopped: the lock file" in err
    with Store.open(filled) as store:
        assert len(store) == count  # the batch was refused whole


# -- a journal removed under a running writer ------------------------------------------


def test_a_journal_removed_while_the_writer_runs_loses_no_decision(filled: Path) -> None:
    store = Store.open(filled)
    article_id = store.list_articles()[0].id
    first, second = pending(store, article_id)[:2]
    store.save_decision(article_id, decide(first))
    (filled / "journal.jsonl").unlink()
    store.save_decision(article_id, decide(second))  # would go to a file no longer there
    assert any("journal.jsonl was removed or replaced" in n for n in store.notices)
    store._release()  # killed: nothing folded on close
    with Store.open(filled) as reopened:
        assert {(article_id, first.id), (article_id, second.id)} <= accepted(reopened)
