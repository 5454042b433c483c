"""One version per annotator (``store.versions``): blind views over shared suggestions,
undo per annotator, progress per annotator, exports of one version."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotate.model import ArticleStatus, Status
from store import Store
from store.stats import compute_stats
from tests.store_support import decide, make_article, tag
from tui.cli import main


def _store_with_one(root: Path) -> tuple[Store, str]:
    store = Store.open(root)
    article, annotations = make_article(0, entities=3)
    store.add_articles([(article, annotations)])
    return store, article.id


def test_each_annotator_sees_the_suggestions_and_only_their_own_decisions(
    tmp_path: Path,
) -> None:
    store, article_id = _store_with_one(tmp_path / "store")
    _, shared = store.get(article_id)
    first, second, _ = shared.entities
    store.save_decision(article_id, decide(first, Status.ACCEPTED, "alice"))
    store.save_decision(article_id, decide(first, Status.REJECTED, "bob"))
    store.save_decision(article_id, tag(0, 5, ("claim",), "bob"))
    store.close()
    with Store.open(tmp_path / "store", annotator="bob") as bob:
        _, seen = bob.get(article_id)
        assert {e.id: e.status for e in seen.entities} == {
            first.id: Status.REJECTED,
            second.id: Status.PENDING,
            shared.entities[2].id: Status.PENDING,
        }
        assert [s.tags for s in seen.statements] == [("claim",)]
        _, alice = bob.get(article_id, "alice")
        assert {e.id: e.status for e in alice.entities}[first.id] is Status.ACCEPTED
        assert alice.statements == ()
        assert sorted(bob.versions(article_id)) == ["alice", "bob"]
        # Undo is bob's: alice's decision stays.
        undone = bob.undo(article_id)
        assert undone is not None and undone[0].statements == ()
        assert [e.action for e in bob.history(article_id)[0]] == ["rejected", "tag"]
        assert bob.history(article_id)[1] == 1
        assert [e.action for e in bob.history(article_id, "alice")[0]] == ["accepted"]
        _, alice_after = bob.get(article_id, "alice")
        assert alice_after == alice


def test_progress_is_counted_per_annotator(tmp_path: Path) -> None:
    store, article_id = _store_with_one(tmp_path / "store")
    _, shared = store.get(article_id)
    for span in shared.entities:
        store.save_decision(article_id, decide(span, Status.ACCEPTED, "alice"))
    store.save_decision(article_id, decide(shared.entities[0], Status.REJECTED, "bob"))
    store.close()
    for who, status, pending in (
        ("alice", ArticleStatus.DONE, 0),
        ("bob", ArticleStatus.IN_PROGRESS, 2),
        ("carol", ArticleStatus.NEW, 3),
    ):
        with Store.open(tmp_path / "store", annotator=who) as seen:
            summary = seen.summary(article_id)
            assert (summary.status, summary.pending) == (status, pending), who
    with Store.open(tmp_path / "store", readonly=True) as reader:
        stats = compute_stats(reader.list_articles())
    assert stats.progress == {
        "alice": {"done": 1, "in progress": 0},
        "bob": {"done": 0, "in progress": 1},
    }


def test_an_annotators_export_is_unchanged_by_anothers_work(tmp_path: Path, capsys: object) -> None:
    root = tmp_path / "store"
    store, article_id = _store_with_one(root)
    _, shared = store.get(article_id)
    store.save_decision(article_id, decide(shared.entities[0], Status.ACCEPTED, "alice"))
    store.save_decision(article_id, decide(shared.entities[1], Status.REJECTED, "alice"))
    store.close()
    out = tmp_path / "alice.jsonl"

    def export(version: str) -> bytes:
        assert main(["--store", str(root), "export", "--version", version, "--out", str(out)]) == 0
        return out.read_bytes()

    before = export("alice")
    with Store.open(root, annotator="bob") as bob:
        _, seen = bob.get(article_id)
        assert all(e.status is Status.PENDING for e in seen.entities)  # blind
        for span in seen.entities:
            bob.save_decision(article_id, decide(span, Status.REJECTED, "bob"))
    assert export("alice") == before
    (task,) = [orjson.loads(line) for line in export("bob").splitlines()]
    assert task["spans"] == []  # bob rejected every suggestion
    (task,) = [orjson.loads(line) for line in before.splitlines()]
    assert [s["label"] for s in task["spans"]] == [shared.entities[0].label]


def test_versions_survive_a_crash_and_replay_from_the_journal(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store, article_id = _store_with_one(root)
    _, shared = store.get(article_id)
    store.save_decision(article_id, decide(shared.entities[0], Status.ACCEPTED, "alice"))
    store.save_decision(article_id, decide(shared.entities[0], Status.REJECTED, "bob"))
    store.save_decision(article_id, decide(shared.entities[1], Status.REJECTED, "bob"))
    assert store.undo(article_id, "bob") is not None
    expected = store.versions(article_id)
    store._release()  # killed: the decisions are only in the journal
    with Store.open(root) as again:
        assert any("recovered" in n for n in again.notices)
        assert again.versions(article_id) == expected
        assert again.history(article_id, "bob")[1] == 1  # the undo replayed too
        redone = again.redo(article_id, "bob")
        assert redone is not None
        assert {e.id: e.status for e in redone[0].entities}[
            shared.entities[1].id
        ] is Status.REJECTED
        assert again.history(article_id, "alice")[1] == 1


def test_an_export_of_one_version_reads_decisions_still_in_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 3600.0)  # keep them in the journal
    store, article_id = _store_with_one(root)
    try:
        _, shared = store.get(article_id)
        store.save_decision(article_id, decide(shared.entities[0], Status.ACCEPTED, "alice"))
        store.save_decision(article_id, decide(shared.entities[1], Status.ACCEPTED, "bob"))
        out = tmp_path / "out.jsonl"
        for who, index in (("alice", 0), ("bob", 1)):
            argv = ["--store", str(root), "export", "--version", who, "--out", str(out)]
            assert main(argv) == 0
            (task,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
            span = shared.entities[index]
            assert [(s["start"], s["end"]) for s in task["spans"]] == [(span.start, span.end)]
    finally:
        store.close()


def test_an_index_written_before_versions_is_not_trusted(tmp_path: Path) -> None:
    """An old index calls alice's work everyone's: the files are read again instead, so
    bob's list and export do not show it as his."""
    root = tmp_path / "store"
    store, article_id = _store_with_one(root)
    _, shared = store.get(article_id)
    store.save_decision(article_id, decide(shared.entities[0], Status.ACCEPTED, "alice"))
    store.close()
    index = root / "index.json"
    old = index.read_bytes().replace(b',"versions":{', b',"old":{')
    assert old != index.read_bytes()
    index.write_bytes(old)
    with Store.open(root, readonly=True, annotator="bob") as bob:
        assert bob.summary(article_id).status is ArticleStatus.NEW
    out = tmp_path / "bob.jsonl"
    assert main(["--store", str(root), "export", "--version", "bob", "--out", str(out)]) == 0
    assert out.read_bytes() == b""  # bob's version is new: nothing to export
