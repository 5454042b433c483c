"""One decision applied to every mention of the same text (``m``): the rule and the key."""

from __future__ import annotations

import re
from dataclasses import replace

from annotate import actions, propagation
from annotate.edits import apply_edit
from annotate.learn.lexicon import learned
from annotate.model import Annotations, Article, Origin, Span, Status
from store import Store
from tests.conftest import wait_for
from tui.app import NewsreadApp
from tui.config import Settings

TEXT = (
    "Diego Molano spoke in Bogota.\n\n"
    "Molano said the border was calm. Later Molano added more, and Molanos laughed.\n\n"
    "Reporters asked Molano again."
)


def _at(needle: str, nth: int) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def _span(needle: str, nth: int, label: str, status: Status = Status.PENDING) -> Span:
    start, end = _at(needle, nth)
    return Span(start, end, label, origin=Origin.MODEL, status=status)


def _suggested() -> Annotations:
    """The model's view: the full name right, the surname as ORG twice, once not at all."""
    return Annotations(
        entities=(
            _span("Diego Molano", 0, "PERSON"),
            _span("Bogota", 0, "GPE"),
            _span("Molano", 1, "ORG"),  # "Molano said"
            _span("Molano", 2, "ORG"),  # "Later Molano"
        )
    )


def _labels(annotations: Annotations) -> dict[tuple[int, int], tuple[str, Status]]:
    return {(s.start, s.end): (s.label, s.status) for s in annotations.entities}


def test_mentions_are_whole_words_only() -> None:
    start, end = _at("Molano", 1)
    found = propagation.mentions(TEXT, start, end)
    assert found == [_at("Molano", n) for n in (0, 2, 4)]  # not "Molanos" (3)


def test_a_relabel_applied_to_every_mention_of_the_surname() -> None:
    first = _at("Molano", 1)
    annotations = _suggested()
    relabel = actions.relabel(annotations, _span("Molano", 1, "ORG").id, "PERSON", "ann")
    assert relabel is not None
    annotations = apply_edit(annotations, relabel)
    source = next(s for s in annotations.entities if (s.start, s.end) == first)
    found = propagation.propagate(annotations, TEXT, source.id, "ann")
    assert found is not None
    edit, count = found
    after = _labels(apply_edit(annotations, edit))
    assert count == 2 and edit.action == "label PERSON 2 more mentions"
    assert after[_at("Molano", 2)] == ("PERSON", Status.ACCEPTED)  # the model's ORG, fixed
    assert after[_at("Molano", 4)] == ("PERSON", Status.ACCEPTED)  # never suggested: added
    assert after[_at("Diego Molano", 0)] == ("PERSON", Status.PENDING)  # the longer name stays
    assert _at("Molano", 0) not in after  # inside "Diego Molano": not a mention to label
    added = next(s for s in edit.after if isinstance(s, Span) and s.start == _at("Molano", 4)[0])
    assert added.origin is Origin.USER and added.annotator == "ann"
    # once applied, there is nothing left to change
    assert propagation.propagate(apply_edit(annotations, edit), TEXT, source.id, "ann") is None


def test_a_rejection_rejects_the_same_label_on_the_other_mentions() -> None:
    annotations = _suggested()
    extra = _span("Molano", 4, "PERSON")  # another label on a mention: not this decision
    annotations = replace(annotations, entities=(*annotations.entities, extra))
    reject = actions.reject(annotations, _span("Molano", 1, "ORG").id, "ann")
    assert reject is not None
    annotations = apply_edit(annotations, reject)
    found = propagation.propagate(annotations, TEXT, _span("Molano", 1, "ORG").id, "ann")
    assert found is not None and found[1] == 1
    after = _labels(apply_edit(annotations, found[0]))
    assert after[_at("Molano", 2)] == ("ORG", Status.REJECTED)
    assert after[_at("Molano", 4)] == ("PERSON", Status.PENDING)


def test_a_pending_source_or_a_unique_text_changes_nothing() -> None:
    annotations = _suggested()
    assert propagation.propagate(annotations, TEXT, _span("Molano", 1, "ORG").id, "ann") is None
    bogota = replace(_span("Bogota", 0, "GPE"), status=Status.ACCEPTED)
    accepted = apply_edit(
        annotations,
        actions.accept(annotations, bogota.id, "ann"),  # type: ignore[arg-type]
    )
    assert propagation.propagate(accepted, TEXT, bogota.id, "ann") is None
    assert propagation.last_decided([], 0) is None


async def test_one_key_fixes_every_mention_and_one_undo_removes_it(
    store: Store, settings: Settings
) -> None:
    article = replace(Article.from_text(TEXT), analysis={"model": "test", "version": "0"})
    store.add_article(article, _suggested())
    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        while app.main.focused_item is None or app.main.focused_item.start != _at("Molano", 1)[0]:
            await pilot.press("tab")
        labels = list(settings.labels)
        await pilot.press(str(labels.index("PERSON") + 1))  # relabel "Molano said" as PERSON
        await pilot.press("m")
        await pilot.pause()
        after = _labels(store.get(article.id)[1])
        assert after[_at("Molano", 1)] == ("PERSON", Status.ACCEPTED)
        assert after[_at("Molano", 2)] == ("PERSON", Status.ACCEPTED)
        assert after[_at("Molano", 4)] == ("PERSON", Status.ACCEPTED)
        shown = [str(n.message) for n in app._notifications]
        assert any("label PERSON 2 more mentions of 'Molano'" in m for m in shown)
        await pilot.press("u")
        await pilot.pause()
        undone = _labels(store.get(article.id)[1])
        assert undone[_at("Molano", 1)] == ("PERSON", Status.ACCEPTED)  # the relabel stays
        assert undone[_at("Molano", 2)] == ("ORG", Status.PENDING)
        assert _at("Molano", 4) not in undone


SECOND = "Caracas answers\n\nMolano visited Caracas, and Molano spoke."


async def test_a_decision_becomes_a_learned_suggestion_in_the_next_article_and_undo_removes_it(
    store: Store, settings: Settings
) -> None:
    first = replace(Article.from_text(TEXT), analysis={"model": "test", "version": "0"})
    second = replace(Article.from_text(SECOND), analysis={"model": "test", "version": "0"})
    caracas = SECOND.index("Caracas", 10)
    store.add_articles(
        [
            (first, _suggested()),
            (second, Annotations(entities=(Span(caracas, caracas + 7, "GPE"),))),
        ]
    )
    molanos = [(m.start(), m.end()) for m in re.finditer("Molano", SECOND)]

    def learned_in_second() -> set[tuple[int, int, str]]:
        return learned(store.get(second.id)[1].entities)

    app = NewsreadApp(store, settings, analyze=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.main.article is not None and app.main.article.id == first.id
        while app.main.focused_item is None or app.main.focused_item.start != _at("Molano", 1)[0]:
            await pilot.press("tab")
        await pilot.press(str(list(settings.labels).index("PERSON") + 1), "m")
        await pilot.press("j")  # the next article
        assert app.main.article is not None and app.main.article.id == second.id
        assert app.learned is not None
        await wait_for(lambda: learned_in_second() == {(s, e, "PERSON") for s, e in molanos})
        await pilot.pause()
        shown = {(e.start, e.end) for e in app.main.annotations.entities if e.origin == "learned"}
        assert shown == set(molanos)  # on screen, pending, to accept or reject
        await pilot.press("k", "u", "u")  # back, undo the propagation and the relabel
        await pilot.press("j")
        await wait_for(lambda: not learned_in_second())
        assert [e.label for e in store.get(second.id)[1].entities] == ["GPE"]
