"""``annotate.learn``: what trains (only what a person decided), the held-out set, scores.

The model is not the subject here: a blank English pipeline stands in (the training
loop adds an NER to it), so these run in the fast lane.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from annotate.detect.nlp import load_model
from annotate.learn.examples import Converted, Decided, reference_doc, to_examples
from annotate.learn.heldout import eval_score, read_heldout, split, write_heldout
from annotate.learn.lexicon import Lexicon
from annotate.learn.scoring import Prf, score_sets
from annotate.learn.training import (
    BudgetExceeded,
    Step,
    TrainConfig,
    TrainingError,
    check_data,
    train,
)
from annotate.model import Annotations, Article, Origin, Span, Status


def _span(text: str, part: str, label: str, status: Status = Status.ACCEPTED) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), label, status=status)


def _decided(text: str, *spans: tuple[str, str, Status], complete: bool = True) -> Decided:
    article = Article.from_text(text)
    entities = tuple(_span(text, part, label, status) for part, label, status in spans)
    return Decided(article, Annotations(entities=entities), complete)


TEXT = "Ann Lee met Bob Ray in Oslo on Monday."


def _iob(item: Decided) -> list[str]:
    doc = reference_doc(load_model("blank:en"), item, Converted())
    return [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else t.ent_iob_ for t in doc]


def test_a_done_article_is_complete_and_one_in_progress_leaves_the_undecided_missing() -> None:
    decisions = (
        ("Ann Lee", "PERSON", Status.ACCEPTED),
        ("Oslo", "ORG", Status.REJECTED),
        ("Bob Ray", "PERSON", Status.PENDING),
    )
    done = _iob(_decided(TEXT, *decisions, complete=True))
    assert done == ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O", "O", "O"]
    partial = _iob(_decided(TEXT, *decisions, complete=False))
    # accepted as accepted, the rejected Oslo is O, every undecided token is missing ("")
    assert partial == ["B-PERSON", "I-PERSON", "", "", "", "", "O", "", "", ""]


def test_an_entity_off_token_boundaries_is_missing_never_outside() -> None:
    item = Decided(
        Article.from_text(TEXT),
        Annotations(entities=(Span(1, 7, "PERSON", status=Status.ACCEPTED),)),  # "nn Lee"
        complete=True,
    )
    converted = Converted()
    doc = reference_doc(load_model("blank:en"), item, converted)
    assert [t.ent_iob_ for t in doc][:3] == ["", "", "O"]
    assert converted.unaligned == 1 and not converted.labels


def test_examples_count_the_labels_they_carry() -> None:
    items = [
        _decided(TEXT, ("Ann Lee", "PERSON", Status.ACCEPTED), ("Oslo", "GPE", Status.ACCEPTED)),
        _decided("Bob Ray left.", ("Bob Ray", "PERSON", Status.ACCEPTED)),
    ]
    converted = to_examples(load_model("blank:en"), items)
    assert len(converted.examples) == 2
    assert converted.labels == {"PERSON": 2, "GPE": 1}


def test_the_held_out_set_is_fixed_and_never_trained_on() -> None:
    done = [f"a{i}" for i in range(40)]
    first = split(done[:20], ["p1", "p2"])
    assert first.evaluate and first.evaluate <= set(done[:20])
    assert not first.train & first.heldout and {"p1", "p2"} <= first.train
    # the store grows: every article held out before stays held out, the rest by hash
    second = split(done, ["p1"], first.heldout)
    assert first.evaluate <= second.evaluate
    assert second.evaluate == first.evaluate | {i for i in done[20:] if eval_score(i) < 0.2}
    # an article held out and reopened (in progress again) is neither trained nor scored
    reopened = next(iter(first.evaluate))
    third = split([d for d in done if d != reopened], [reopened], second.heldout)
    assert reopened not in third.train and reopened not in third.evaluate


def test_two_done_articles_hold_one_out_and_it_stays_out() -> None:
    ids = sorted([i for i in map(str, range(20)) if eval_score(i) >= 0.2][:2], key=eval_score)
    chosen = split(ids, [])
    assert chosen.evaluate == {ids[0]} and chosen.train == {ids[1]}
    more = split([*ids, "z"], [], chosen.heldout)
    assert ids[0] in more.evaluate and ids[0] not in more.train


def test_held_out_ids_survive_in_their_file(tmp_path: Path) -> None:
    folder = tmp_path / "models"
    assert read_heldout(folder) == set()
    write_heldout(folder, {"b", "a"})
    assert read_heldout(folder) == {"a", "b"}
    (folder / "heldout.json").write_text("{not json", encoding="utf-8")
    assert read_heldout(folder) == set()


def test_scores_per_label_and_overall() -> None:
    gold = [{(0, 3, "PER"), (5, 9, "LOC")}, {(0, 2, "ORG")}]
    found = [{(0, 3, "PER"), (5, 9, "ORG")}, set()]
    scores = score_sets(gold, found)
    assert scores.labels["PER"] == Prf(1.0, 1.0, 1.0, 1, 1)
    assert scores.labels["LOC"] == Prf(0.0, 0.0, 0.0, 1, 0)
    assert scores.labels["ORG"].predicted == 1 and scores.labels["ORG"].support == 1
    assert scores.overall.p == pytest.approx(0.5) and scores.overall.r == pytest.approx(1 / 3)
    assert scores.overall.f == pytest.approx(0.4)


def test_bad_data_is_refused_in_one_line() -> None:
    item = _decided(TEXT, ("Ann Lee", "PERSON", Status.ACCEPTED))
    with pytest.raises(TrainingError, match="no article is done"):
        check_data([item], [], done=0)
    with pytest.raises(TrainingError, match="only one article is done"):
        check_data([], [], done=1)
    with pytest.raises(TrainingError, match="one label only \\(PERSON\\)"):
        train("blank:en", [item], deadline=time.monotonic() + 60)


def _items() -> list[Decided]:
    texts = [
        ("Ann Lee flew to Oslo.", "Ann Lee", "Oslo"),
        ("Bob Ray flew to Rome.", "Bob Ray", "Rome"),
        ("Cy Dee flew to Lima.", "Cy Dee", "Lima"),
    ]
    return [
        _decided(t, (p, "PERSON", Status.ACCEPTED), (c, "GPE", Status.ACCEPTED))
        for t, p, c in texts
    ]


def test_training_runs_its_steps_and_never_changes_the_shared_pipeline() -> None:
    shared = load_model("blank:en")
    seen: list[Step] = []
    trained = train(
        "blank:en",
        _items(),
        deadline=time.monotonic() + 120,
        config=TrainConfig(epochs=2, batch_size=2),
        progress=seen.append,
    )
    assert trained.epochs == 2 and trained.steps == 4 and not trained.stopped_by_budget
    assert [s.done for s in seen] == [1, 2, 3, 4] and {s.total for s in seen} == {4}
    assert set(trained.nlp.get_pipe("ner").labels) == {"PERSON", "GPE"}  # type: ignore[attr-defined]
    assert "ner" not in shared.pipe_names and trained.nlp is not shared


def test_a_budget_that_ends_in_the_first_pass_keeps_nothing() -> None:
    with pytest.raises(BudgetExceeded, match="raise --max-minutes"):
        train("blank:en", _items(), deadline=time.monotonic() - 1, config=TrainConfig())


def test_a_budget_that_ends_later_stops_there() -> None:
    steps: list[Step] = []

    def clock() -> float:  # the budget of 10 runs out after the third update
        return 0.0 if len(steps) < 3 else 11.0

    trained = train(
        "blank:en",
        _items(),
        deadline=10.0,
        config=TrainConfig(epochs=50, batch_size=2),
        progress=steps.append,
        clock=clock,
    )
    assert trained.stopped_by_budget and trained.epochs == 1 and trained.steps == 3


def test_the_lexicon_suggests_accepted_names_elsewhere_and_forgets_undone_ones() -> None:
    lexicon = Lexicon()
    first = _decided(TEXT, ("Ann Lee", "PERSON", Status.ACCEPTED), ("Oslo", "GPE", Status.REJECTED))
    assert lexicon.update("one", first.article.text, first.annotations)
    assert not lexicon.update("one", first.article.text, first.annotations)  # no change
    other = "Later Ann Lee and Ann Leeds went to Oslo with Ann Lee."
    existing = Annotations(entities=(_span(other, "Ann Lee", "ORG", Status.PENDING),))
    found = lexicon.suggest(other, existing)
    last = other.rindex("Ann Lee")
    # the free whole-word mention only: not "Ann Leeds", not one an entity already covers,
    # not the rejected Oslo
    assert [(s.start, s.end, s.label, s.origin, s.status) for s in found] == [
        (last, last + 7, "PERSON", Origin.LEARNED, Status.PENDING)
    ]
    assert lexicon.update("one", first.article.text, Annotations())  # undone
    assert lexicon.suggest(other, Annotations()) == ()


def test_the_label_most_often_accepted_wins() -> None:
    lexicon = Lexicon()
    for n, label in enumerate(["ORG", "PERSON", "PERSON"]):
        item = _decided(f"Story {n}: Molano spoke.", ("Molano", label, Status.ACCEPTED))
        lexicon.update(str(n), item.article.text, item.annotations)
    assert lexicon.labels() == {"Molano": "PERSON"}


def _model(text: str, part: str, label: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), label)  # pending, origin model


def test_a_text_corrected_twice_overrides_the_model_s_same_suggestion() -> None:
    from dataclasses import replace

    from annotate.learn.lexicon import Lexicon

    lexicon = Lexicon()
    elsewhere = "Then Molano met Ruiz in Lima."
    pending = Annotations(
        entities=(
            _model(elsewhere, "Molano", "GPE"),
            _model(elsewhere, "Ruiz", "PERSON"),
            _model(elsewhere, "Lima", "GPE"),
        )
    )
    for n in range(2):
        text = f"Story {n}: Molano met Ruiz."
        molano, ruiz = _model(text, "Molano", "GPE"), _model(text, "Ruiz", "PERSON")
        decided = Annotations(
            entities=(
                replace(molano, label="PERSON", status=Status.ACCEPTED),  # relabelled (id kept)
                replace(ruiz, status=Status.REJECTED),
            )
        )
        lexicon.update(str(n), text, decided)
        found = lexicon.overrides(elsewhere, pending)
        if n == 0:
            assert found == []  # once is not enough
    by_text = {elsewhere[m.start : m.end]: r for m, r in found}
    assert set(by_text) == {"Molano", "Ruiz"}  # Lima was never corrected
    molano_now = by_text["Molano"]
    assert molano_now is not None
    assert (molano_now.label, molano_now.origin, molano_now.status) == (
        "PERSON",
        Origin.LEARNED,
        Status.PENDING,
    )
    assert by_text["Ruiz"] is None  # rejected twice with that label: no replacement
    # a suggestion already carrying the chosen label is left alone
    person = Annotations(entities=(_model(elsewhere, "Molano", "PERSON"),))
    assert lexicon.overrides(elsewhere, person) == []
    # accepted with that label more often than rejected: no override
    for n in range(3):
        text = f"Note {n}: Ruiz spoke."
        accepted = replace(_model(text, "Ruiz", "PERSON"), status=Status.ACCEPTED)
        lexicon.update(f"a{n}", text, Annotations(entities=(accepted,)))
    assert [elsewhere[m.start : m.end] for m, _ in lexicon.overrides(elsewhere, pending)] == [
        "Molano"
    ]
    # undoing the corrections takes the override back
    lexicon.update("0", "Story 0: Molano met Ruiz.", Annotations())
    assert lexicon.overrides(elsewhere, pending) == []
