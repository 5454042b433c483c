"""Crash safety: a decision acknowledged by ``Store.save_decision`` survives any kill.

The main test runs a real writer process (``tests/store_support.py crash-writer``) and
SIGKILLs it at random moments, 55 times, restarting it each time: one kill in five
while it starts and recovers the store, the others while it makes decisions.  After
every kill the store must open and hold every decision whose ``commit``/``undo``/
``redo`` had returned.  The other tests pin down the recovery paths the kills can hit.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import store_support

from store import Store
from store.articles import ArticleFile
from store.journal import JOURNAL_NAME, read_journal
from tests.store_support import accepted, decide, make_article, pending

SUPPORT = Path(store_support.__file__)
KILLS = 55


@pytest.fixture(autouse=True)
def _no_background_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look at the journal between decisions: fold only when they say so."""
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 3600.0)


def _wait_for_open(log: Path, writer: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while not log.read_bytes().startswith(b"OPEN\n"):
        assert writer.poll() is None and time.monotonic() < deadline, "writer did not start"
        time.sleep(0.005)


def _wait_for_acknowledged(log: Path, writer: subprocess.Popen[bytes], count: int) -> None:
    deadline = time.monotonic() + 30
    while log.read_bytes().count(b"\nOK\n") < count:
        assert writer.poll() is None and time.monotonic() < deadline, "writer stopped"
        time.sleep(0.002)


def _acknowledged(log: bytes) -> tuple[list[tuple[str, str, str]], tuple[str, str, str] | None]:
    """The operations that returned before the kill, and the one in flight (if any)."""
    done: list[tuple[str, str, str]] = []
    in_flight = None
    for line in log.split(b"\n")[:-1]:  # a line cut by the kill is not acknowledged
        words = line.decode().split()
        if words[:1] == ["BEGIN"]:
            in_flight = (words[1], words[2], words[3])
        elif words == ["OK"] and in_flight is not None:
            done.append(in_flight)
            in_flight = None
    return done, in_flight


def test_sigkill_at_random_moments_never_loses_an_acknowledged_decision(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.add_articles([make_article(i, 12) for i in range(10)])
    expected: set[tuple[str, str]] = set()
    rng = random.Random(7)
    operations = interrupted = 0
    for run in range(KILLS):
        log, errors = tmp_path / "writer.out", tmp_path / "writer.err"
        with log.open("wb") as out, errors.open("wb") as err:
            writer = subprocess.Popen(
                [sys.executable, str(SUPPORT), "crash-writer", str(path), str(run)],
                stdout=out,
                stderr=err,
            )
            if rng.random() < 0.2:
                time.sleep(rng.uniform(0.1, 0.3))  # while it starts and recovers the store
            else:
                _wait_for_open(log, writer)
                # while it decides: after a random number of acknowledged calls (not a
                # random time, which a loaded machine would fill with fewer calls)
                _wait_for_acknowledged(log, writer, rng.randint(5, 40))
                time.sleep(rng.uniform(0.0, 0.01))
            writer.send_signal(signal.SIGKILL)
            writer.wait()
        assert writer.returncode == -signal.SIGKILL, errors.read_text()
        done, in_flight = _acknowledged(log.read_bytes())
        operations += len(done)
        interrupted += in_flight is not None
        for op, article_id, span_id in done:
            if op == "undo":
                expected.discard((article_id, span_id))
            else:
                expected.add((article_id, span_id))
        with Store.open(path, readonly=True) as reader:  # reads the journal, folds nothing
            actual = accepted(reader)
        unexplained = actual ^ expected
        if in_flight is not None:  # the call that was running may or may not have landed
            unexplained.discard((in_flight[1], in_flight[2]))
        assert not unexplained, f"run {run}: store differs from the acknowledged decisions"
        expected = actual
    assert operations > 10 * KILLS  # the kills really interrupted a busy writer
    assert interrupted > KILLS // 2  # and most of them hit a call that had not returned
    with Store.open(path) as store:  # the writer's recovery: fold the journal
        assert accepted(store) == expected
    assert not list(path.rglob("*.tmp"))  # temp files of interrupted writes are cleaned up
    assert read_journal(path / JOURNAL_NAME).entries == []


def test_replay_after_a_crash_between_folding_and_journal_reset(tmp_path: Path) -> None:
    """An article file already holding some journal entries is not given them twice."""
    path = tmp_path / "store"
    store = Store.open(path)
    article, annotations = make_article(1)
    store.add_article(article, annotations)
    first, second, third = pending(store, article.id)[:3]
    store.save_decision(article.id, decide(first))
    store.save_decision(article.id, decide(second))
    folded = store._files.cache.peek(article.id)
    assert folded is not None
    store._files.write_article(article.id, folded, fold=True)  # folded …
    store.save_decision(article.id, decide(third))
    store._release()  # … but killed before the journal was reset
    assert len(read_journal(path / JOURNAL_NAME).entries) == 3

    with Store.open(path) as reopened:
        assert {s for _, s in accepted(reopened)} == {first.id, second.id, third.id}
        assert reopened.history(article.id)[1] == 3
        assert any("recovered 3 decisions" in n for n in reopened.notices)


def test_a_torn_last_journal_line_is_ignored_and_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store.open(path)
    article, annotations = make_article(1)
    store.add_article(article, annotations)
    span = pending(store, article.id)[0]
    store.save_decision(article.id, decide(span))
    store._release()
    with (path / JOURNAL_NAME).open("ab") as journal:  # a write cut short by the crash
        journal.write(b'{"seq": 2, "article": "' + article.id.encode() + b'", "op": "com')

    with Store.open(path, readonly=True) as reader:
        assert accepted(reader) == {(article.id, span.id)}
    with Store.open(path) as writer:
        assert accepted(writer) == {(article.id, span.id)}
    assert (path / JOURNAL_NAME).read_bytes().endswith(b"\n")


def test_every_commit_is_in_the_journal_on_disk_when_it_returns(tmp_path: Path) -> None:
    """What another process sees on disk right after ``commit`` returns."""
    store = Store.open(tmp_path / "store")
    article, annotations = make_article(1)
    store.add_article(article, annotations)
    for n, span in enumerate(pending(store, article.id), start=1):
        store.save_decision(article.id, decide(span))
        entries = read_journal(tmp_path / "store" / JOURNAL_NAME).entries
        assert len(entries) == n
        assert entries[-1]["edit"]["after"][0]["id"] == span.id
    store.close()


def test_close_folds_the_journal_into_the_article_files(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store.open(path)
    article, annotations = make_article(1)
    store.add_article(article, annotations)
    spans = pending(store, article.id)
    for span in spans:
        store.save_decision(article.id, decide(span))
    store.close()
    assert read_journal(path / JOURNAL_NAME).entries == []
    (path / JOURNAL_NAME).unlink()  # the article file alone now holds every decision
    with Store.open(path) as reopened:
        assert accepted(reopened) == {(article.id, s.id) for s in spans}


def test_past_the_journal_limit_each_decision_folds_one_article(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store.open(path)
    store.JOURNAL_LIMIT = 4  # type: ignore[misc]
    store._decisions.fold_limit = 4
    items = [make_article(i, 4) for i in range(3)]
    store.add_articles(items)
    for article, _ in items:  # three dirty articles, one decision each …
        store.save_decision(article.id, decide(pending(store, article.id)[0]))
    journal = path / JOURNAL_NAME
    assert len(read_journal(journal).entries) == 3
    article = items[0][0]
    inode = os.stat(store._article_path(article.id)).st_ino
    store.save_decision(article.id, decide(pending(store, article.id)[0]))  # … the 4th folds one
    assert len(read_journal(journal).entries) == 4
    assert len(store._files.cache.unfolded) == 2
    store.save_decision(article.id, decide(pending(store, article.id)[0]))
    store.save_decision(article.id, decide(pending(store, article.id)[0]))  # the last one: reset
    assert read_journal(journal).entries == []
    assert os.stat(store._article_path(article.id)).st_ino != inode
    expected = accepted(store)
    store.close()
    with Store.open(path) as reopened:
        assert accepted(reopened) == expected


def test_a_pause_lets_the_background_fold_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 0.05)
    path = tmp_path / "store"
    store = Store.open(path)
    items = [make_article(i, 4) for i in range(3)]
    store.add_articles(items)
    for article, _ in items:
        store.save_decision(article.id, decide(pending(store, article.id)[0]))
    journal = path / JOURNAL_NAME
    deadline = time.monotonic() + 30
    while read_journal(journal).entries and time.monotonic() < deadline:
        time.sleep(0.01)
    assert read_journal(journal).entries == []  # folded while nobody decided
    on_disk = {a.id: ArticleFile(store._article_path(a.id)).read() for a, _ in items}
    assert all(s.state.annotations == store.get(i)[1] for i, s in on_disk.items())
    store.save_decision(items[0][0].id, decide(pending(store, items[0][0].id)[0]))  # goes on
    folder = store._fold.thread if store._fold else None
    assert folder is not None and folder.is_alive()
    store.close()
    assert not folder.is_alive()
