"""Importing another annotator's export keeps their work as their version (issue 11, 16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.model import Status
from store import Store
from tests.store_support import decide, make_article
from tui.cli import main


def _annotate(root: Path, who: str, statuses: list[Status]) -> None:
    """A store of two articles where ``who`` decided every suggestion in turn."""
    with Store.open(root, annotator=who) as store:
        store.add_articles([make_article(i, entities=3) for i in range(2)])
        for summary in store.list_articles():
            _, annotations = store.get(summary.id)
            for span, status in zip(annotations.entities, statuses, strict=True):
                store.save_decision(summary.id, decide(span, status, who))


def _export(root: Path, who: str, out: Path) -> Path:
    assert main(["--store", str(root), "export", "--version", who, "--out", str(out)]) == 0
    return out


def _import(root: Path, path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert main(["--store", str(root), *extra, "import", str(path)]) == 0
    return capsys.readouterr().out.strip()


def _article_files(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((root / "articles").rglob("*.json"))}


def test_two_exports_of_the_same_texts_become_two_versions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accept, reject = Status.ACCEPTED, Status.REJECTED
    _annotate(tmp_path / "alice", "alice", [accept, accept, reject])
    _annotate(tmp_path / "bob", "bob", [accept, reject, reject])
    alice = _export(tmp_path / "alice", "alice", tmp_path / "alice.jsonl")
    bob = _export(tmp_path / "bob", "bob", tmp_path / "bob.jsonl")
    root = tmp_path / "shared"

    first = _import(root, alice, capsys)
    assert (
        first
        == "imported 2 new articles (4 annotations), 0 gained annotations, 0 unchanged, 0 failed"
    )
    second = _import(root, bob, capsys)
    assert (
        second
        == "imported 0 new articles (0 annotations), 2 gained annotations, 0 unchanged, 0 failed"
    )
    files = _article_files(root)
    again = _import(root, bob, capsys)
    assert (
        again
        == "imported 0 new articles (0 annotations), 0 gained annotations, 2 unchanged, 0 failed"
    )
    assert _article_files(root) == files  # idempotent: not a byte changed

    with Store.open(root, readonly=True) as store:
        for summary in store.list_articles():
            versions = store.versions(summary.id)
            assert sorted(versions) == ["alice", "bob"]
            accepted = {
                name: sorted(e.label for e in v.entities if e.status is Status.ACCEPTED)
                for name, v in versions.items()
            }
            assert len(accepted["alice"]) == 2 and len(accepted["bob"]) == 1
    # alice's export from the shared store is what she exported herself
    assert _export(root, "alice", tmp_path / "again.jsonl").read_bytes() == alice.read_bytes()
    # their pairwise agreement: per article alice accepted 2, bob 1 of them
    capsys.readouterr()
    assert main(["--store", str(root), "agreement", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["annotators"] == ["alice", "bob"] and report["articles"] == 2
    (pair,) = report["pairs"]
    assert (pair["a"], pair["b"], pair["articles"]) == ("alice", "bob", 2)
    assert pair["exact"]["entities"]["overall"] == pytest.approx(2 * 2 / (4 + 2))
    assert [d["count"] for d in report["disagreements"]] == [1, 1]


def test_alices_export_is_unchanged_by_bobs_work_and_carols_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accept, reject = Status.ACCEPTED, Status.REJECTED
    root = tmp_path / "shared"
    _annotate(root, "alice", [accept, reject, accept])
    before = _export(root, "alice", tmp_path / "before.jsonl").read_bytes()
    with Store.open(root, annotator="bob") as store:
        for summary in store.list_articles():
            _, seen = store.get(summary.id)
            assert all(e.status is Status.PENDING for e in seen.entities)  # blind to alice
            store.save_decision(summary.id, decide(seen.entities[0], reject, "bob"))
    _annotate(tmp_path / "carol", "carol", [reject, accept, accept])
    out = _import(root, _export(tmp_path / "carol", "carol", tmp_path / "c.jsonl"), capsys)
    assert "2 gained annotations" in out
    assert _export(root, "alice", tmp_path / "after.jsonl").read_bytes() == before
    with Store.open(root, readonly=True) as store:
        assert sorted(store.versions(store.list_articles()[0].id)) == ["alice", "bob", "carol"]


def test_the_annotator_option_names_a_version_without_annotator_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Ada Lovelace met Charles Babbage in London."
    plain = tmp_path / "plain.jsonl"
    plain.write_text(f'{{"text": "{text}"}}\n')
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        f'{{"text": "{text}", "spans": [{{"start": 0, "end": 12, "label": "PERSON"}}]}}\n'
    )
    root = tmp_path / "store"
    _import(root, plain, capsys)
    out = _import(root, gold, capsys, "--annotator", "carol")
    assert "1 gained annotations" in out
    with Store.open(root, readonly=True) as store:
        (summary,) = store.list_articles()
        (span,) = store.versions(summary.id)["carol"].entities
        assert (span.label, span.status, span.annotator) == ("PERSON", Status.ACCEPTED, "carol")
