"""The training loop: fine-tune the current model's NER on decided articles, in a budget.

Why a loop of ``nlp.update`` over ``Example`` objects rather than ``spacy train`` with a
generated config: the base is an installed pipeline whose other components (tagger,
parser, lemmatizer: what the quote and speaker detectors read) must come out unchanged,
and a loop that updates only the ``ner`` component (``select_pipes``) guarantees that by
construction, where a config would have to source and freeze every component by name
and still save a pipeline shaped by the config rather than the base.  The loop also
checks the time budget after every update and reports progress as it goes, which
``spacy train`` (``max_steps``, its own console output) cannot do; and it needs no
corpus files on disk.

If the base's ``ner`` listens to a shared ``tok2vec`` (larger pipelines), the listener is
replaced by a private copy first (``nlp.replace_listeners``), so training the NER cannot
move the embeddings the tagger and parser read.  ``en_core_web_sm``'s NER has its own.

Settings (:class:`TrainConfig`) were chosen on wikigold (``bench/learn.py``): 30 epochs,
batches of 4 articles, dropout 0.35; F still rose at 24 epochs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotate.detect.nlp import load_model
from annotate.learn.examples import Converted, Decided, to_examples

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example


class TrainingError(ValueError):
    """Training cannot start or finish; the message is one line saying why."""


class BudgetExceeded(TrainingError):
    """The time budget ran out before one pass over the training data was done."""


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """How to train (defaults chosen on wikigold, see the module)."""

    epochs: int = 30
    batch_size: int = 4
    dropout: float = 0.35
    seed: int = 0
    max_steps: int | None = None
    """Stop after this many updates (tests train a few steps)."""


@dataclass(frozen=True, slots=True)
class Step:
    """Progress of a training: updates done of those planned, the epoch, its loss so far."""

    done: int
    total: int
    epoch: int
    loss: float


Progress = Callable[[Step], None]


def _quiet(_: Step) -> None:
    return None


@dataclass(slots=True)
class Trained:
    """A trained pipeline and how its training went."""

    nlp: Language
    data: Converted
    epochs: int
    """Complete passes over the training data."""
    steps: int
    seconds: float
    stopped_by_budget: bool = False
    losses: list[float] = field(default_factory=list)
    """The NER loss of each complete epoch."""


def check_data(train: Sequence[Decided], evaluate: Sequence[Decided], done: int) -> None:
    """Refuse, with a one-line reason, data that cannot give a model worth scoring."""
    if done == 0:
        raise TrainingError(
            "no article is done yet: finish at least two (one is held out to score the model)"
        )
    if not evaluate:
        raise TrainingError(
            "only one article is done: at least two are needed (one is held out to score "
            "the model, never trained on)"
        )
    if not train:
        raise TrainingError(
            f"every done article is held out for evaluation ({len(evaluate)}); "
            "finish more articles to train on"
        )


def check_labels(data: Converted) -> None:
    """Refuse training data with fewer than two entity labels."""
    labels = sorted(data.labels)
    if not labels:
        raise TrainingError("the articles to train on hold no accepted entity")
    if len(labels) == 1:
        raise TrainingError(
            f"the accepted entities have one label only ({labels[0]}): training needs at least two"
        )


def prepare(base: str | None, items: Sequence[Decided]) -> tuple[Language, Converted]:
    """A private copy of the base pipeline, ready to train on ``items``' examples."""
    nlp = load_model(base, fresh=True)
    data = to_examples(nlp, items)
    check_labels(data)
    for name, component in nlp.pipeline:
        if "ner" in getattr(component, "listening_components", ()):
            nlp.replace_listeners(name, "ner", ["model.tok2vec"])
    if "ner" not in nlp.pipe_names:
        nlp.add_pipe("ner")
        ner = nlp.get_pipe("ner")
        for label in sorted(data.labels):
            ner.add_label(label)  # type: ignore[attr-defined]
        with nlp.select_pipes(enable=["ner"]):
            nlp.initialize(lambda: data.examples)
    else:
        ner = nlp.get_pipe("ner")
        for label in sorted(data.labels):
            ner.add_label(label)  # type: ignore[attr-defined]
    return nlp, data


def train(
    base: str | None,
    items: Sequence[Decided],
    *,
    deadline: float,
    config: TrainConfig = TrainConfig(),
    progress: Progress = _quiet,
    clock: Callable[[], float] = time.monotonic,
) -> Trained:
    """Fine-tune ``base``'s NER on ``items`` until the epochs or the budget run out.

    ``deadline`` is a time of ``clock`` (:func:`time.monotonic`).  Passing it during the first epoch
    raises :class:`BudgetExceeded` (a model trained on part of the data is not kept);
    later, training stops there and the result says so.  The base pipeline in the
    process-wide cache is never changed (a private copy is trained).
    """
    from spacy.util import fix_random_seed, minibatch

    started = clock()
    fix_random_seed(config.seed)
    nlp, data = prepare(base, items)
    examples: list[Example] = list(data.examples)
    shuffle = random.Random(config.seed).shuffle
    per_epoch = -(-len(examples) // config.batch_size)
    total = per_epoch * config.epochs
    if config.max_steps is not None:
        total = min(total, config.max_steps)
    trained = Trained(nlp, data, epochs=0, steps=0, seconds=0.0)
    others = [name for name in nlp.pipe_names if name != "ner"]
    with nlp.select_pipes(disable=others):
        optimizer = nlp.resume_training()
        while trained.steps < total:
            shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=config.batch_size):
                nlp.update(batch, sgd=optimizer, drop=config.dropout, losses=losses)
                trained.steps += 1
                loss = float(losses.get("ner", 0.0))
                progress(Step(trained.steps, total, trained.epochs + 1, loss))
                if clock() > deadline and trained.steps < total:
                    if trained.epochs == 0:
                        raise BudgetExceeded(
                            "the time budget ran out before one pass over the "
                            f"{len(examples)} training articles; raise --max-minutes"
                        )
                    trained.stopped_by_budget = True
                    break
                if trained.steps >= total:
                    break
            if trained.stopped_by_budget:
                break
            trained.epochs += 1
            trained.losses.append(float(losses.get("ner", 0.0)))
    trained.seconds = clock() - started
    return trained
