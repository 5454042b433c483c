"""Schema versions, migrations and backups.

``tests/data/store_v1`` was written by schema 1 of the store (see ``store_v1.md``):
article one holds five decisions of which the last (a tag) is undone, article two
holds a quote that schema 1 stored under the wrong item kind.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

from annotate.model import QuoteKind, Status
from store import SchemaError, Store, StoreCorrupt
from store.backup import list_backups
from store.schema import MIGRATIONS, SCHEMA_VERSION, _article_1_to_2
from tests.store_support import accepted, decide, make_article, pending

FIXTURE = Path(__file__).parent / "data" / "store_v1"
ONE, TWO = "baa39a47da503d63", "5becb7b5747bb29a"


@pytest.fixture
def v1_store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(FIXTURE, path)
    return path


def _tree(root: Path) -> dict[str, bytes]:
    files = (p for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock")
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in files
        if "backups" not in p.relative_to(root).parts
    }


def test_every_older_schema_has_a_migration_step() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))
    assert all(step.source == version for version, step in MIGRATIONS.items())


def test_a_schema_1_store_is_backed_up_then_migrated(v1_store: Path) -> None:
    original = _tree(v1_store)
    store = Store.open(v1_store)
    assert any("store upgraded" in n and "schema 1 -> 2" in n for n in store.notices)
    assert orjson.loads((v1_store / "meta.json").read_bytes())["schema"] == SCHEMA_VERSION

    (snapshot,) = list_backups(v1_store)
    assert "before-schema-2" in snapshot.name
    assert _tree(snapshot) == original  # the backup is the schema-1 store, byte for byte

    _, one = store.get(ONE)
    assert {(s.label, s.status, s.annotator) for s in one.entities} == {
        ("PERSON", Status.ACCEPTED, "alice"),
        ("PERSON", Status.ACCEPTED, "alice"),
        ("LOC", Status.ACCEPTED, "bob"),
        ("DATE", Status.REJECTED, "bob"),
    }
    assert one.statements == ()  # the tag was undone in schema 1
    # The one history of schema 1 is split into each annotator's version (store.versions).
    history, cursor = store.history(ONE, "alice")
    assert [e.action for e in history] == ["accept", "accept", "tag"]
    assert cursor == 2
    history, cursor = store.history(ONE, "bob")
    assert ([e.action for e in history], cursor) == (["reject", "relabel"], 2)
    # Undo and redo carry on exactly where schema 1 left them, per annotator.
    redone = store.redo(ONE, "alice")
    assert redone is not None and redone[1].action == "tag"
    assert [s.tags for s in redone[0].statements] == [("claim",)]
    undone = store.undo(ONE, "alice")
    assert undone is not None and undone[0].statements == ()
    undone = store.undo(ONE, "bob")
    assert undone is not None and undone[1].action == "undo relabel"
    # bob's view: his decisions over the suggestions, alice's recovered as pending
    assert {(s.label, s.status) for s in undone[0].entities} == {
        ("PERSON", Status.PENDING),
        ("GPE", Status.PENDING),
        ("DATE", Status.REJECTED),
    }

    _, two = store.get(TWO)  # the quote schema 1 could not read back is recovered
    (quote,) = two.quotes
    assert quote.kind is QuoteKind.DIRECT and quote.speaker is not None
    assert store.summary(TWO).counts["quote|direct|pending|"] == 1
    store.close()

    with Store.open(v1_store) as again:  # migrated once: no second backup or notice
        assert not any("upgraded" in n for n in again.notices)
        assert len(list_backups(v1_store)) == 1


def test_a_migration_interrupted_half_way_resumes(v1_store: Path) -> None:
    """Meta still says 1, one article file is converted already: it is not converted twice."""
    path = next((v1_store / "articles").rglob(f"{ONE}.json"))
    converted = _article_1_to_2(orjson.loads(path.read_bytes()))
    assert converted is not None
    path.write_bytes(orjson.dumps(converted))
    assert _article_1_to_2(converted) is None
    with Store.open(v1_store) as store:
        history, cursor = store.history(ONE, "alice")
        assert len(history) == 3 and cursor == 2
        assert len(store.history(ONE, "bob")[0]) == 2
        assert store.get(TWO)[1].quotes[0].kind is QuoteKind.DIRECT


def test_a_read_only_open_refuses_an_older_store_and_changes_nothing(v1_store: Path) -> None:
    original = _tree(v1_store)
    with pytest.raises(SchemaError, match="older newsread.*open it once for writing"):
        Store.open(v1_store, readonly=True)
    assert _tree(v1_store) == original
    assert not (v1_store / "backups").exists()


def test_a_newer_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.add_articles([make_article(1)])
    (path / "meta.json").write_bytes(b'{"kind": "newsread-store", "schema": 99}')
    original = _tree(path)
    for readonly in (False, True):
        with pytest.raises(SchemaError, match=r"newer newsread \(store schema 99.*upgrade"):
            Store.open(path, readonly=readonly)
    assert _tree(path) == original


def test_a_bulk_import_backs_up_the_store_first_with_hard_links(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store.open(path)
    store.add_articles([make_article(1)])  # into an empty store: nothing to keep
    assert list_backups(path) == []
    article_id = store.list_articles()[0].id
    store.save_decision(article_id, decide(pending(store, article_id)[0]))
    before = accepted(store)

    store.add_articles([make_article(2)])
    (snapshot,) = list_backups(path)
    assert snapshot.name.endswith("-import")
    live = store._article_path(article_id)
    backed_up = snapshot / live.relative_to(path)
    assert os.stat(backed_up).st_ino == os.stat(live).st_ino  # a link, not a copy
    store.save_decision(article_id, decide(pending(store, article_id)[0]))
    store.close()  # folds the decision: the live file is replaced, the backup is not
    assert os.stat(backed_up).st_ino != os.stat(live).st_ino
    assert orjson.loads((snapshot / "journal.jsonl").read_bytes().split(b"\n")[0])["base"] >= 1

    shutil.rmtree(path / "articles")  # restore the backup as its docstring says
    for name in ("meta.json", "index.json", "journal.jsonl"):
        (path / name).unlink()
    shutil.copytree(snapshot, path, dirs_exist_ok=True)
    with Store.open(path) as restored:
        assert len(restored) == 1
        assert accepted(restored) == before


def test_old_backups_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Store, "BACKUPS_KEPT", 2)
    path = tmp_path / "store"
    with Store.open(path) as store:
        for n in range(5):
            store.add_articles([make_article(n)])
        kept = list_backups(path)
        assert len(kept) == 2
        newest = store.backup("manual")
    assert list_backups(path) == [kept[1], newest]


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(SchemaError, match="not a newsread store"):
        Store.open(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_a_missing_meta_json_next_to_articles_is_not_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.add_articles([make_article(1)])
    (path / "meta.json").unlink()
    with pytest.raises(StoreCorrupt, match=r"meta\.json.*missing.*backups/"):
        Store.open(path)
    assert not (path / "meta.json").exists()
