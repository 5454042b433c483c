"""Bounded, linear analysis (issue #12): pathological text never reaches spaCy's tokenizer
whole, and an analysis over its time budget is stored as skipped, never waited for.

No test here is timed (timings are in ``bench/scale.py``): they check what the guard
gives spaCy, that offsets still index ``Article.text``, and how the budget behaves
with work that is held on an event.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from annotate.clean import clean_article
from annotate.detect.nlp import load_model
from annotate.detect.pipeline import RUN_KEPT, BudgetedRunner, OverBudget, analyze, spacy_text
from annotate.model import Annotations
from seeds import seed_files
from store import Store
from tests.conftest import wait_for
from tui import app as app_module
from tui.app import NewsreadApp
from tui.config import Settings

EQUALS = "He said so.\n\nResult: " + "=" * 30000 + " end."
NESTED = "Data\n\n" + '{"a": ' * 3000 + "1" + "}" * 3000


def test_the_guard_keeps_length_and_leaves_prose_alone() -> None:
    for path in seed_files():
        text = clean_article(path.read_text("utf-8")).text
        assert spacy_text(text) == text
    guarded = spacy_text(EQUALS)
    assert len(guarded) == len(EQUALS)
    assert guarded.startswith("He said so.\n\nResult: " + "=" * RUN_KEPT + " ")
    assert guarded.endswith(" end.") and guarded.count("=") == RUN_KEPT
    assert spacy_text("Wait... no!!!! --- ok") == "Wait... no!!!! --- ok"


def test_a_line_of_symbols_is_blanked_but_its_neighbours_are_not() -> None:
    text = "Maria Lopez spoke in Geneva.\n" + "[" * 10000 + "]" * 10000 + "\nShe left."
    guarded = spacy_text(text)
    assert len(guarded) == len(text)
    assert guarded.splitlines()[0] == "Maria Lopez spoke in Geneva."
    assert guarded.splitlines()[-1] == "She left."
    assert set(guarded.splitlines()[1]) == {" "}
    assert set(spacy_text(NESTED)[6:]) == {" "}


@pytest.mark.model
def test_offsets_still_index_the_article_text() -> None:
    nlp = load_model()
    raw = "Talks\n\nMaria Lopez met the envoy in Geneva. " + "=" * 5000 + " Paris agreed."
    article = clean_article(raw)
    ((_, found),) = analyze(nlp, [article])
    texts = {article.text[e.start : e.end] for e in found.entities}
    assert {"Maria Lopez", "Geneva", "Paris"} <= texts


def test_work_over_budget_is_abandoned_on_a_daemon_thread() -> None:
    release = threading.Event()
    runner = BudgetedRunner()
    with pytest.raises(OverBudget, match="longer than 0 s; skipped"):
        runner.run(lambda: release.wait(60), 0.0, lambda: False)
    runaway = runner._thread
    assert runaway is not None and runaway.daemon and runaway.is_alive()
    # The next run waits for the runaway (one pipeline, one thread), unless cancelled:
    assert runner.run(lambda: "never", 60.0, lambda: True) is None
    release.set()
    assert runner.run(lambda: "next", 60.0, lambda: False) == "next"
    assert not runaway.is_alive()


def test_results_and_errors_come_back_from_the_thread() -> None:
    runner = BudgetedRunner()
    assert runner.run(lambda: [1, 2], 60.0, lambda: False) == [1, 2]
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda: 1 // 0, 60.0, lambda: False)


@pytest.mark.model
async def test_the_app_stores_an_article_over_budget_as_skipped(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def stuck(*_: object) -> list[Annotations]:
        release.wait(60)
        return []

    monkeypatch.setattr(app_module, "_suggestions", stuck)
    store = Store.open(tmp_path / "s")
    store.add_article(clean_article(EQUALS, source="eq.txt"))
    app = NewsreadApp(store, settings)
    app.analysis_budget_s = 0.0
    try:
        async with app.run_test(size=(120, 30)):
            await wait_for(lambda: all(s.analysed for s in store.list_articles()))
            (summary,) = store.list_articles()
            article, annotations = store.get(summary.id)
        # Quitting did not wait for the stuck analysis: it is still running.
        assert any(t.name == "analysis" and t.is_alive() for t in threading.enumerate())
    finally:
        release.set()
        store.close()
    assert article.analysis is not None
    assert article.analysis["skipped"] == "analysis took longer than 0 s; skipped"
    assert annotations.entities == () and annotations.quotes == ()


def test_export_tokens_are_spacys_on_prose_and_linear_on_symbols() -> None:
    from annotate.formats.tokens import guarded_doc

    nlp = load_model("blank:en")
    for path in seed_files():
        text = clean_article(path.read_text("utf-8")).text
        assert [t.text for t in guarded_doc(text)] == [t.text for t in nlp.make_doc(text)]
    doc = guarded_doc(EQUALS)
    assert doc.text == EQUALS
    assert "=" * (30000 - RUN_KEPT) in [t.text for t in doc]
    assert [t.text for t in doc][-2:] == ["end", "."]
    nested = guarded_doc(NESTED)
    assert nested.text == NESTED and [t.text for t in nested][:3] == ["Data", "\n\n", '{"a":']
