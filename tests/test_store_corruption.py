"""Damaged files and failing disks: a clear message naming the file, nothing lost or overwritten.

Damage is made by hand (truncating or garbling a file); a full disk or a read-only
folder by making the system calls the store uses fail with ``ENOSPC``/``EIO``/``EROFS``
for the store's own files (the tests run as root, where permission bits would not stop
a write).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from annotate.model import Annotations
from store import Store, StoreCorrupt, StoreWriteError
from store.journal import JOURNAL_NAME, read_journal
from tests.store_support import accepted, decide, make_article, pending


@pytest.fixture(autouse=True)
def _no_background_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look at the journal between decisions: fold only when they say so."""
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 3600.0)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A closed store of three articles, one decision made in the first."""
    root = tmp_path / "store"
    with Store.open(root) as store:
        store.add_articles([make_article(i) for i in range(3)])
        first = store.list_articles()[0].id
        store.save_decision(first, decide(pending(store, first)[0]))
    return root


def _article_file(root: Path, index: int = 0) -> Path:
    with Store.open(root, readonly=True) as store:
        return store._article_path(store.list_articles()[index].id)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _fail_for(root: Path, error: int, real: Callable[..., Any]) -> Callable[..., Any]:
    """A stand-in for ``os.write``/``os.fdatasync`` failing on files inside ``root``."""

    def fake(fd: int, *args: Any) -> Any:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(root)):
            raise OSError(error, os.strerror(error))
        return real(fd, *args)

    return fake


# -- damaged files ---------------------------------------------------------------------
def test_a_truncated_article_file_is_named_and_left_untouched(path: Path) -> None:
    damaged = _article_file(path)
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    before = _snapshot(path)
    with pytest.raises(StoreCorrupt) as caught:
        Store.open(path)
    message = str(caught.value)
    assert str(damaged) in message
    assert "left untouched" in message and "backups/" in message
    assert _snapshot(path) == before  # nothing rewritten, no empty store put in its place


def test_a_damaged_article_can_be_skipped_and_is_never_overwritten(path: Path) -> None:
    damaged = _article_file(path)
    damaged.write_bytes(b'{"article": {"1": {"title": "no id, no text"}}}')
    content = damaged.read_bytes()
    article_id = damaged.stem
    with Store.open(path, skip_damaged=True) as store:
        assert article_id in store.damaged and str(damaged) in store.damaged[article_id]
        assert any(str(damaged) in n for n in store.notices)
        assert article_id not in store and len(store) == 2
        article, annotations = make_article(0)  # the same article imported again
        assert article.id == article_id
        assert store.add_articles([(article, annotations)]) == [False]
        other = store.list_articles()[0].id
        store.save_decision(other, decide(pending(store, other)[0]))  # the rest still works
    assert damaged.read_bytes() == content


def test_damage_found_after_opening_is_reported_on_use(path: Path) -> None:
    store = Store.open(path)
    damaged = _article_file(path, 1)
    damaged.write_bytes(b"\x00\x00\x00")
    with pytest.raises(StoreCorrupt, match=str(damaged)):
        store.get(damaged.stem)
    with pytest.raises(StoreCorrupt, match="left untouched"):
        store.save_decision(damaged.stem, decide(make_article(1)[1].entities[0]))
    store.close()
    assert damaged.read_bytes() == b"\x00\x00\x00"


@pytest.mark.parametrize("garbage", [b'{"articles": {"1": {"id"', b"[1, 2, 3]", b""])
def test_a_damaged_index_is_rebuilt_and_the_user_told(path: Path, garbage: bytes) -> None:
    with Store.open(path, readonly=True) as store:
        expected = store.list_articles()
    (path / "index.json").write_bytes(garbage)
    with Store.open(path) as store:
        assert any("index.json" in n and "rebuilt" in n for n in store.notices)
        assert [(s.id, s.counts, s.status) for s in store.list_articles()] == [
            (s.id, s.counts, s.status) for s in expected
        ]
    assert orjson.loads((path / "index.json").read_bytes())["articles"]


def test_a_damaged_meta_json_stops_the_opening_untouched(path: Path) -> None:
    (path / "meta.json").write_bytes(b'{"kind": "newsread-st')
    before = _snapshot(path)
    for readonly in (False, True):
        with pytest.raises(StoreCorrupt, match=r"meta\.json is damaged.*left untouched"):
            Store.open(path, readonly=readonly)
    assert _snapshot(path) == before


def test_a_journal_damaged_before_its_last_line_is_refused_untouched(path: Path) -> None:
    store = Store.open(path)
    article_id = store.list_articles()[1].id
    for span in pending(store, article_id)[:3]:
        store.save_decision(article_id, decide(span))
    store._release()  # a crash: the three decisions are only in the journal
    journal = path / JOURNAL_NAME
    lines = journal.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'"op"', b'"op', 1)  # no longer JSON
    journal.write_bytes(b"\n".join(lines))
    before = _snapshot(path)
    for readonly in (False, True):
        with pytest.raises(StoreCorrupt, match=r"journal\.jsonl is damaged \(line 3"):
            Store.open(path, readonly=readonly)
    assert _snapshot(path) == before


def test_a_journal_entry_for_an_unknown_article_is_refused(path: Path) -> None:
    journal = path / JOURNAL_NAME
    base = read_journal(journal).base
    entry = {"seq": base + 1, "article": "0123456789abcdef", "op": "undo"}
    journal.write_bytes(journal.read_bytes() + orjson.dumps(entry) + b"\n")
    with pytest.raises(StoreCorrupt, match=r"0123456789abcdef\.json is missing \(removed"):
        Store.open(path)  # the journal names it: it was there, its file is gone


# -- failing disks ----------------------------------------------------------------------
@pytest.mark.parametrize("call, error", [("write", errno.ENOSPC), ("fdatasync", errno.EIO)])
def test_a_decision_that_cannot_be_written_is_not_reported_saved(
    path: Path, monkeypatch: pytest.MonkeyPatch, call: str, error: int
) -> None:
    """A full disk fails one decision; an I/O error leaves the journal's state unknown,
    so the store refuses further decisions until it is reopened."""
    store = Store.open(path)
    article_id = store.list_articles()[2].id
    saved, lost = pending(store, article_id)[:2]
    store.save_decision(article_id, decide(saved))
    summary, state = store.summary(article_id), store.get(article_id)
    history = store.history(article_id)
    journal = path / JOURNAL_NAME
    on_disk = journal.read_bytes()

    monkeypatch.setattr(os, call, _fail_for(path, error, getattr(os, call)))
    with pytest.raises(StoreWriteError, match=rf"{JOURNAL_NAME}.*{os.strerror(error)}.*NOT saved"):
        store.save_decision(article_id, decide(lost))
    assert store.summary(article_id) == summary
    assert store.get(article_id) == state
    assert store.history(article_id) == history
    assert journal.read_bytes() == on_disk  # no half line left behind

    monkeypatch.undo()  # space freed / device back
    if error == errno.EIO:
        with pytest.raises(StoreWriteError, match="close newsread and open it again"):
            store.save_decision(article_id, decide(lost, annotator="again"))
        store.close()
        store = Store.open(path)
        assert (article_id, lost.id) not in accepted(store)
    store.save_decision(article_id, decide(lost, annotator="again"))
    store.close()
    with Store.open(path) as reopened:
        assert {(article_id, saved.id), (article_id, lost.id)} <= accepted(reopened)


def test_a_half_written_journal_line_is_cut_off_when_the_disk_fills(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(path)
    article_id = store.list_articles()[2].id
    span = pending(store, article_id)[0]
    journal = path / JOURNAL_NAME
    size = journal.stat().st_size
    real_write = os.write
    calls = []

    def half_then_full(fd: int, data: Any) -> int:
        if not os.readlink(f"/proc/self/fd/{fd}").startswith(str(path)):
            return real_write(fd, data)
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(StoreWriteError, match="NOT saved"):
        store.save_decision(article_id, decide(span))
    assert len(calls) == 2 and journal.stat().st_size == size
    monkeypatch.undo()
    store.close()
    with Store.open(path) as reopened:
        assert (article_id, span.id) not in accepted(reopened)


def test_a_read_only_folder_fails_new_files_clearly_and_keeps_decisions(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.durable

    store_ = Store.open(path)
    store_.JOURNAL_LIMIT = 2  # type: ignore[misc]
    store_._decisions.fold_limit = 2
    real_mkstemp = store.durable.tempfile.mkstemp

    def read_only(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(store.durable.tempfile, "mkstemp", read_only)
    article, annotations = make_article(7)
    with pytest.raises(StoreWriteError, match=r"cannot write .*\.json: Read-only file system"):
        store_.add_article(article, annotations)
    assert article.id not in store_ and len(store_) == 3

    target = store_.list_articles()[1].id
    summary = store_.summary(target)
    with pytest.raises(StoreWriteError, match="Read-only file system"):
        store_.save_analysis(target, Annotations(), {"model": "other", "version": "1"})
    assert store_.summary(target) == summary
    assert store_.get(target)[0].analysis == {"model": "test", "version": "0"}

    # Decisions still reach the journal (its file is open); folding them waits.
    spans = pending(store_, target)
    for span in spans:
        store_.save_decision(target, decide(span))
    assert any("could not fold" in n for n in store_.notices)
    with pytest.raises(StoreWriteError, match=r"every decision is safe in .*journal\.jsonl"):
        store_.close()
    monkeypatch.setattr(store.durable.tempfile, "mkstemp", real_mkstemp)
    with Store.open(path) as reopened:
        assert {(target, s.id) for s in spans} <= accepted(reopened)


def test_opening_a_store_in_a_read_only_folder_for_writing_says_so(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(file).startswith(str(path)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    (path / ".lock").unlink()
    with pytest.raises(StoreWriteError, match=rf"{path}.*Read-only file system"):
        Store.open(path)
    with Store.open(path, readonly=True) as reader:  # reading it still works
        assert len(reader) == 3
