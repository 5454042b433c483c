"""What the store says after a journal or an article file went missing or was cut: the
truth -- what could not be recovered, which file is gone -- never "nothing was lost"."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store, StoreCorrupt
from store.journal import JOURNAL_NAME
from tests.store_support import accepted, decide, make_article, pending


@pytest.fixture(autouse=True)
def _no_background_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decisions stay in the journal until the test kills or closes the writer."""
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 3600.0)


def _killed_after_decisions(path: Path, decisions: int) -> str:
    """A store whose writer made ``decisions`` decisions on one article and was killed
    before folding them; returns the article's id."""
    store = Store.open(path)
    article, annotations = make_article(1)
    store.add_articles([(article, annotations), make_article(2)])
    for span in pending(store, article.id)[:decisions]:
        store.save_decision(article.id, decide(span))
    store._release()
    return article.id


def test_a_cut_journal_tail_is_reported_as_a_decision_not_recovered(tmp_path: Path) -> None:
    path = tmp_path / "store"
    article_id = _killed_after_decisions(path, 2)
    journal = path / JOURNAL_NAME
    journal.write_bytes(journal.read_bytes()[:-9])  # the second decision's line cut
    with Store.open(path) as store:
        assert len(accepted(store)) == 1
        said = " | ".join(store.notices)
    assert "1 decision of the last run could not be recovered" in said
    assert f"the last line of {journal} was cut off" in said
    assert "recovered 1 decision from" in said and "nothing was lost" not in said
    with Store.open(path) as again:  # the writer started a fresh journal: all is told
        assert again.notices == [] and len(accepted(again)) == 1
    assert article_id


def test_a_clean_recovery_still_says_nothing_was_lost(tmp_path: Path) -> None:
    path = tmp_path / "store"
    _killed_after_decisions(path, 2)
    with Store.open(path) as store:
        assert len(accepted(store)) == 2
        assert any("recovered 2 decisions" in n and "nothing was lost" in n for n in store.notices)


def test_a_missing_journal_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "store"
    _killed_after_decisions(path, 2)
    (path / JOURNAL_NAME).unlink()
    with Store.open(path, readonly=True) as reader:
        assert accepted(reader) == set()  # the two decisions were only in the journal
        said = " | ".join(reader.notices)
    assert f"{path / JOURNAL_NAME} was missing" in said and "are lost" in said
    assert "nothing was lost" not in said


def test_a_new_store_has_no_journal_yet_and_nothing_to_report(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as store:
        assert store.notices == []
    with Store.open(tmp_path / "store") as store:
        assert store.notices == []


def test_a_renamed_article_file_is_named_not_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.add_articles([make_article(i) for i in range(3)])
        gone = store.list_articles()[1]
    file = path / "articles" / gone.id[:2] / f"{gone.id}.json"
    file.rename(file.with_suffix(".json.bak"))
    with Store.open(path) as store:
        assert gone.id not in store and len(store) == 2
        said = " | ".join(store.notices)
    assert "1 article file listed in the index is missing (removed or renamed?)" in said
    assert f"{file} ('Story 1')" in said


def test_a_missing_article_file_with_decisions_in_the_journal_is_named(tmp_path: Path) -> None:
    path = tmp_path / "store"
    article_id = _killed_after_decisions(path, 1)
    file = path / "articles" / article_id[:2] / f"{article_id}.json"
    file.unlink()
    with pytest.raises(StoreCorrupt) as caught:
        Store.open(path)
    assert caught.value.path == file  # not journal.jsonl
    assert str(caught.value).startswith(f"store file {file} is missing (removed or renamed? ")
    assert (path / JOURNAL_NAME).read_bytes().count(b"\n") == 2  # the journal kept whole
