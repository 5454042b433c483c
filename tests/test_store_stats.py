"""``newsread stats``: counts read from the store, also while another newsread writes to it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotate.model import Status
from store import Store
from tests.store_support import Writer, decide, files_on_disk, make_article, pending, tag
from tui.cli import main


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Three articles of 3 entities (PERSON, ORG, GPE): #0 done by alice and bob, #1 with
    one rejection by bob and a tag by alice, #2 untouched."""
    root = tmp_path / "store"
    with Store.open(root) as store:
        store.add_articles([make_article(i, 3) for i in range(3)])
        ids = [s.id for s in store.list_articles()]
        person, org, gpe = pending(store, ids[0])
        store.save_decision(ids[0], decide(person, annotator="alice"))
        store.save_decision(ids[0], decide(org, annotator="alice"))
        store.save_decision(ids[0], decide(gpe, Status.REJECTED, annotator="bob"))
        store.save_decision(ids[1], decide(pending(store, ids[1])[1], Status.REJECTED, "bob"))
        store.save_decision(ids[1], tag(0, 7, ("claim",), annotator="alice"))
    return root


def _stats_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["--store", str(path), "stats", "--json"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1  # one JSON object on one line
    data: dict[str, Any] = json.loads(out)
    data["stderr"] = err
    return data


def test_stats_json_counts_articles_and_decisions(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _stats_json(path, capsys)
    assert data["articles"] == {"total": 3, "new": 1, "in progress": 1, "done": 1}
    assert data["decisions"] == {"total": 5, "accepted": 3, "rejected": 2}  # a tag counts
    assert data["pending"] == 5
    assert data["by_label"] == {
        "entity": {
            "GPE": {"rejected": 1, "pending": 2},
            "ORG": {"accepted": 1, "rejected": 1, "pending": 1},
            "PERSON": {"accepted": 1, "pending": 2},
        },
        "statement": {"claim": {"accepted": 1}},
    }
    assert data["by_annotator"] == {
        "alice": {"accepted": 3},
        "bob": {"rejected": 2},
    }


def test_stats_table_for_people(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", str(path), "stats"]) == 0
    out = capsys.readouterr().out
    assert "Articles: 3   (new 1 · in progress 1 · done 1)" in out
    assert "Decisions: 5   (accepted 3 · rejected 2) · pending suggestions: 5" in out
    rows = {tuple(line.split()) for line in out.splitlines()}
    assert ("kind", "label", "accepted", "rejected", "pending") in rows
    assert ("entity", "ORG", "1", "1", "1") in rows
    assert ("statement", "claim", "1", "0", "0") in rows
    assert ("alice", "3", "0") in rows and ("bob", "0", "2") in rows


def test_stats_while_another_newsread_writes(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(path, readonly=True) as peek:
        article_id = peek.list_articles()[2].id
        span = pending(peek, article_id)[0]
    writer = Writer(path)
    try:
        assert writer.greeting == "READY"
        assert writer.send(f"accept {article_id} {span.id}") == "OK"  # only in its journal
        before = files_on_disk(path)
        data = _stats_json(path, capsys)
        assert data["decisions"] == {"total": 6, "accepted": 4, "rejected": 2}
        assert data["by_annotator"]["other"] == {"accepted": 1}
        assert data["articles"]["in progress"] == 2
        assert files_on_disk(path) == before  # stats wrote nothing
    finally:
        writer.quit()


def test_stats_of_a_missing_store_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", str(tmp_path / "nowhere"), "stats"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsread: no store at ") and err.count("\n") == 1
    assert not (tmp_path / "nowhere").exists()


def test_stats_leaves_out_a_damaged_article_and_names_it(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(path, readonly=True) as store:
        damaged = store._article_path(store.list_articles()[0].id)
    damaged.write_bytes(b"{")
    data = _stats_json(path, capsys)
    assert data["articles"] == {"total": 2, "new": 1, "in progress": 1, "done": 0}
    assert len(data["damaged"]) == 1 and str(damaged) in data["damaged"][0]
    assert f"left out of the counts: store file {damaged} is damaged" in data["stderr"]
    assert damaged.read_bytes() == b"{"


def test_stats_never_prints_control_characters_from_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    with Store.open(root) as store:
        article, annotations = make_article(1, 1)
        store.add_article(article, annotations)
        span = pending(store, article.id)[0]
        store.save_decision(article.id, decide(span, annotator="eve\x1b[2J\x1b]0;pwned\x07"))
    assert main(["--store", str(root), "stats"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "eve" in out


def test_the_installed_command_runs_stats(path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--store", str(path), "stats", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["decisions"]["total"] == 5
