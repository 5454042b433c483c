"""Review: conflicts between versions, the majority preselected, a gold version (issue 16)."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from annotate.model import Annotations, Status
from annotate.review import conflicts, gold
from store import Store
from tests.store_support import decide, make_article
from tests.test_agreement import TEXT, fixture
from tui.cli import main


def test_conflicts_show_every_choice_and_the_majority() -> None:
    versions = fixture().versions
    found = conflicts(versions)
    summary = [(i.key, i.majority, i.who(i.majority)) for i in found]
    assert summary == [
        (("tag", 0, 20, "claim"), "claim", ["alice", "bob"]),  # reading order: longest first
        (("tag", 0, 20, "opinion"), None, ["alice", "carol"]),
        (("entity", 0, 12, ""), "PERSON", ["alice", "carol"]),
        (("entity", 0, 3, ""), None, ["alice", "carol"]),
        (("entity", 17, 20, ""), "PERSON", ["alice", "carol"]),
        (("entity", 24, 29, ""), "GPE", ["alice", "bob"]),  # carol's is still pending
    ]
    assert found[4].options == ["PERSON", "ORG"]
    made = gold(Annotations(), versions, {("entity", 24, 29, ""): None}, "rita", 5.0)
    accepted = [(TEXT[s.start : s.end], s.label) for s in made.entities]
    assert accepted == [("Ada Lovelace", "PERSON"), ("Bob", "PERSON")]  # GPE answered: none
    assert all(s.status is Status.ACCEPTED and s.annotator == "rita" for s in made.entities)
    assert [(s.start, s.end, s.tags) for s in made.statements] == [(0, 20, ("claim",))]


def _three_annotators(root: Path, articles: int) -> None:
    """alice and bob accept every suggestion; carol rejects the first and relabels none."""
    with Store.open(root) as store:
        store.add_articles([make_article(i, entities=3) for i in range(articles)])
        for summary in store.list_articles():
            _, shared = store.get(summary.id)
            for who in ("alice", "bob", "carol"):
                for n, span in enumerate(shared.entities):
                    status = Status.REJECTED if (who, n) == ("carol", 0) else Status.ACCEPTED
                    store.save_decision(summary.id, decide(span, status, who))


def test_review_of_100_conflicts_takes_one_key_each_and_exports_gold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    _three_annotators(root, 100)
    answers = ["\n"] * 99 + ["2\n"]  # the last conflict: the minority (carol's "none")
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(answers)))
    assert main(["--store", str(root), "--annotator", "rita", "review"]) == 0
    out = capsys.readouterr().out
    assert out.count("1* ") == 100 and "carol" in out
    assert out.strip().endswith(
        "gold written for 100 articles; 100 questions answered with 101 keys"
    )
    assert main(["--store", str(root), "export", "--version", "gold"]) == 0
    tasks = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(tasks) == 100
    assert [len(t["spans"]) for t in tasks] == [3] * 99 + [2]
    assert {t["_annotator_id"] for t in tasks} == {"rita"}
    # reviewed articles are passed over the next time
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--store", str(root), "review"]) == 0
    assert "gold written for 0 articles" in capsys.readouterr().out


def test_a_review_leaves_every_annotators_version_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    _three_annotators(root, 2)

    def export(who: str) -> bytes:
        assert main(["--store", str(root), "export", "--version", who]) == 0
        return capsys.readouterr().out.encode()

    before = export("alice")
    monkeypatch.setattr("sys.stdin", io.StringIO("\n\n"))
    assert main(["--store", str(root), "--annotator", "rita", "review"]) == 0
    capsys.readouterr()
    assert export("alice") == before
    with Store.open(root, readonly=True) as store:
        names = store.versions(store.list_articles()[0].id)
        assert sorted(names) == ["alice", "bob", "carol", "gold"]
