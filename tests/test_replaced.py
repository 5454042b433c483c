"""A text people corrected twice overrides the model's same suggestion, as *replaced*.

The rule (``annotate.learn.lexicon``: ``Lexicon.plan``, ``with_learned``), what a replaced
suggestion counts as (still waiting: an article holding one is not done, and no export
says anything about its text), what the keys do with it, and the app showing it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotate import actions
from annotate.edits import apply_edit, merge_suggestions
from annotate.learn.lexicon import Learned, Lexicon, restored, with_learned
from annotate.model import Annotations, Article, ArticleStatus, Origin, Span, Status
from store import Store
from store.summary import summarize, summary_after
from tests.conftest import wait_for
from tests.test_export_claims import docbin_docs, iob
from tui.app import NewsreadApp
from tui.cli import main
from tui.config import Settings

ANALYSED = {"model": "m", "version": "1"}
THIRD = "Molano met Reuters staff in Lima."


def _model(text: str, part: str, label: str, status: Status = Status.PENDING) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), label, status=status)


def _corrected(n: int, annotator: str = "ann") -> tuple[Article, Annotations]:
    """An article where the model's ``Molano`` ORG was relabelled PERSON and its
    ``Reuters`` PERSON rejected (a relabel keeps the id the model's label made)."""
    text = f"Story {n}: Molano spoke to Reuters."
    molano = _model(text, "Molano", "ORG")
    reuters = _model(text, "Reuters", "PERSON")
    return replace(Article.from_text(text), analysis=ANALYSED), Annotations(
        entities=(
            replace(molano, label="PERSON", status=Status.ACCEPTED, annotator=annotator),
            replace(reuters, status=Status.REJECTED, annotator=annotator),
        )
    )


def _third() -> Annotations:
    return Annotations(
        entities=(
            _model(THIRD, "Molano", "ORG"),
            _model(THIRD, "Reuters", "PERSON"),
            _model(THIRD, "Lima", "GPE"),
        )
    )


def _lexicon(articles: int = 2) -> Lexicon:
    lexicon = Lexicon()
    for n in range(articles):
        article, annotations = _corrected(n)
        lexicon.update(str(n), article.text, annotations)
    return lexicon


def _by_text(annotations: Annotations) -> dict[tuple[str, str], Span]:
    return {(THIRD[e.start : e.end], e.label): e for e in annotations.entities}


def test_the_plan_replaces_the_corrected_suggestions_and_keeps_them() -> None:
    assert _lexicon(1).plan(THIRD, _third()) == Learned()  # once is not enough
    plan = _lexicon().plan(THIRD, _third())
    held = _third().replace(entities=with_learned(_third(), plan))
    by_text = _by_text(held)
    assert by_text[("Molano", "ORG")].status is Status.REPLACED  # kept, never deleted
    assert by_text[("Reuters", "PERSON")].status is Status.REPLACED
    assert by_text[("Lima", "GPE")].status is Status.PENDING  # never corrected
    replacement = by_text[("Molano", "PERSON")]
    assert (replacement.origin, replacement.status) == (Origin.LEARNED, Status.PENDING)
    assert ("Reuters", "ORG") not in by_text and len(held.entities) == 4  # none for a rejection
    assert plan.held_by(held) and not plan.held_by(_third())
    assert restored(held) == _third()  # what the model said is all still there


def test_a_replaced_suggestion_still_waits_for_the_person() -> None:
    held = _third().replace(entities=with_learned(_third(), _lexicon().plan(THIRD, _third())))
    assert (held.pending, held.decided) == (4, 0)
    assert held.status(analysed=True) is ArticleStatus.NEW
    by_text = _by_text(held)
    # Lima and the learned Molano decided: the replaced Reuters keeps the article open.
    for key in (("Lima", "GPE"), ("Molano", "PERSON")):
        held = apply_edit(held, actions.accept(held, by_text[key].id, "ann"))  # type: ignore[arg-type]
    assert _by_text(held)[("Molano", "ORG")].status is Status.REJECTED  # settled by the accept
    assert held.pending == 1 and held.status(analysed=True) is ArticleStatus.IN_PROGRESS
    reuters = by_text[("Reuters", "PERSON")]
    assert actions.step(held, None) == reuters  # tab reaches it
    kept = apply_edit(held, actions.accept(held, reuters.id, "ann"))  # type: ignore[arg-type]
    assert _by_text(kept)[("Reuters", "PERSON")].status is Status.ACCEPTED  # a keeps the model's
    assert kept.status(analysed=True) is ArticleStatus.DONE


def test_tab_goes_to_the_replacement_and_accept_all_takes_what_is_shown() -> None:
    held = _third().replace(entities=with_learned(_third(), _lexicon().plan(THIRD, _third())))
    by_text = _by_text(held)
    assert actions.step(held, None) == by_text[("Molano", "PERSON")]  # not the replaced ORG
    everything = apply_edit(held, actions.accept_all(held, "ann"))  # type: ignore[arg-type]
    assert {k: e.status for k, e in _by_text(everything).items()} == {
        ("Molano", "ORG"): Status.REJECTED,
        ("Molano", "PERSON"): Status.ACCEPTED,
        ("Reuters", "PERSON"): Status.REJECTED,
        ("Lima", "GPE"): Status.ACCEPTED,
    }


def test_counts_kept_by_edits_equal_a_full_count_and_analysis_replaces_replaced() -> None:
    article = replace(Article.from_text(THIRD), analysis=ANALYSED)
    before = _third()
    held = before.replace(entities=with_learned(before, _lexicon().plan(THIRD, before)))
    removed = [e for e in before.entities if e not in held.entities]
    added = [e for e in held.entities if e not in before.entities]
    quick = summary_after(summarize(article, before, 0), removed, added, held)
    assert quick == summarize(article, held, 0)
    assert (quick.pending, quick.decided, quick.status) == (4, 0, ArticleStatus.NEW)
    assert quick.counts["entity|ORG|replaced|"] == 1
    again = merge_suggestions(held, _third())  # a new analysis: suggestions, not decisions
    assert again == _third()


def _store_with_third(path: Path, entities: tuple[Span, ...]) -> None:
    article = replace(Article.from_text(THIRD, source="third"), analysis=ANALYSED)
    lima = _model(THIRD, "Lima", "GPE", Status.ACCEPTED)
    lima = replace(lima, annotator="ann", timestamp=1.0)
    with Store.open(path) as store:
        store.add_articles([(article, Annotations(entities=(lima, *entities)))])


def test_exports_say_nothing_about_a_replaced_suggestion(tmp_path: Path) -> None:
    """The same article with its suggestions replaced or plain pending exports the same
    bytes: replacing is not a decision."""
    plan = _lexicon().plan(THIRD, _third())
    pending = tuple(e for e in _third().entities if e.label != "GPE")
    replaced = tuple(e for e in with_learned(_third(), plan) if e.label != "GPE")
    assert any(e.status is Status.REPLACED for e in replaced)
    outputs = []
    for name, entities in (("pending", pending), ("replaced", replaced)):
        _store_with_third(tmp_path / name, entities)
        out = tmp_path / f"{name}.jsonl"
        args = ["--store", str(tmp_path / name), "export", "--status", "all"]
        assert main([*args, "--format", "jsonl", "--out", str(out)]) == 0
        assert main([*args, "--format", "spacy", "--out", str(tmp_path / f"{name}-spacy")]) == 0
        outputs.append(out.read_bytes())
        line = json.loads(out.read_text())
        assert line["answer"] == "ignore"  # in progress: nothing is claimed about the rest
        assert [(s["label"]) for s in line["spans"]] == ["GPE"]
        doc = docbin_docs(tmp_path / f"{name}-spacy")[THIRD]
        assert iob(doc)[:4] == [("Molano", ""), ("met", ""), ("Reuters", ""), ("staff", "")]
    assert outputs[0] == outputs[1]


def _three_articles(store: Store) -> str:
    # the app's annotator's own decisions: views are blind to the others'
    first, second = _corrected(0, "tester"), _corrected(1, "tester")
    third = replace(Article.from_text(THIRD), analysis=ANALYSED)
    store.add_articles([first, second, (third, _third())])
    return third.id


async def test_the_app_shows_the_override_and_one_key_settles_it(
    store: Store, settings: Settings
) -> None:
    third_id = _three_articles(store)

    def replaced_in_third() -> set[str]:
        entities = store.get(third_id)[1].entities
        return {THIRD[e.start : e.end] for e in entities if e.status is Status.REPLACED}

    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        while app.main.article is None or app.main.article.id != third_id:
            await pilot.press("j")
        await wait_for(lambda: replaced_in_third() == {"Molano", "Reuters"})
        await pilot.pause()
        screen = app.main.reader.rendered_text
        assert "ORG↷" in screen and "PERSON↷" in screen  # in text, not only in colour
        visited = []
        for _ in range(3):  # tab visits what waits: the replacement, not the replaced ORG
            await pilot.press("tab")
            item = app.main.focused_item
            assert isinstance(item, Span)
            visited.append((THIRD[item.start : item.end], item.label, item.origin))
        assert sorted(visited) == [
            ("Lima", "GPE", Origin.MODEL),
            ("Molano", "PERSON", Origin.LEARNED),
            ("Reuters", "PERSON", Origin.MODEL),
        ]
        while (item := app.main.focused_item) is not None and item.origin is not Origin.LEARNED:
            await pilot.press("tab")
        await pilot.press("a")
        await pilot.pause()
        after = _by_text(store.get(third_id)[1])
        assert after[("Molano", "PERSON")].status is Status.ACCEPTED
        assert after[("Molano", "ORG")].status is Status.REJECTED
        await pilot.press("u")
        await pilot.pause()
        undone = _by_text(store.get(third_id)[1])
        assert undone[("Molano", "ORG")].status is Status.REPLACED  # as before the key
        assert undone[("Molano", "PERSON")].status is Status.PENDING


def test_undoing_a_correction_takes_the_override_back() -> None:
    lexicon = _lexicon()
    held = _third().replace(entities=with_learned(_third(), lexicon.plan(THIRD, _third())))
    article, _ = _corrected(0)
    lexicon.update("0", article.text, Annotations())  # its decisions undone
    plan = lexicon.plan(THIRD, held)
    assert plan == Learned()
    assert held.replace(entities=with_learned(held, plan)) == _third()


def test_stats_count_a_replaced_suggestion_as_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _lexicon().plan(THIRD, _third())
    _store_with_third(tmp_path / "s", tuple(e for e in with_learned(_third(), plan)))
    assert main(["--store", str(tmp_path / "s"), "stats"]) == 0
    out = capsys.readouterr().out
    assert "pending suggestions: 3 (2 replaced)" in out  # learned Molano + 2 replaced
    org = next(line.split() for line in out.splitlines() if line.split()[:2] == ["entity", "ORG"])
    assert org[2:] == ["0", "0", "0", "1"]  # accepted, rejected, pending, replaced
