"""Statement tags learned: a ``textcat_multilabel`` trained next to the fine-tuned NER.

The data follows the textcat export's rule (``annotate.formats.textcat``): a statement a
person tagged, in a done article or one in progress, is an example on its own -- a
positive for its tags and a negative for every other tag of the tag set.  Untagged text
is never an example: tagging a statement is optional, so a sentence nobody tagged is
*unknown*, not "none of the tags", even in a done article.

The classifier is trained only when it can learn something worth scoring: at least
:data:`MIN_TAGS` tags with :data:`MIN_EXAMPLES` positives each.  It is a bag-of-words
model (``spacy.TextCatBOW.v3``) with no embedding layer of its own to share, so adding it
cannot change what the tagger, parser or NER compute, and it trains in seconds on two
cores.  It is scored per tag on the tagged statements of the held-out done articles.
Its name and the score a tag needs (:data:`PIPE`, :data:`THRESHOLD`) live with the code
that suggests tags from it (``annotate.detect.tags``).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotate.detect.tags import PIPE, THRESHOLD
from annotate.learn.scoring import Prf, Scores
from annotate.learn.training import BudgetExceeded, Progress, Step, TrainConfig
from annotate.statements import is_tagged

if TYPE_CHECKING:
    from spacy.language import Language

    from annotate.learn.examples import Decided

MIN_TAGS = 2
MIN_EXAMPLES = 10
MODEL_CONFIG: dict[str, Any] = {
    "threshold": THRESHOLD,
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "ngram_size": 2,
        "no_output_layer": False,
    },
}


@dataclass(frozen=True, slots=True)
class Tagged:
    """One tagged statement's text and its tags."""

    text: str
    tags: frozenset[str]


def tagged(items: Iterable[Decided]) -> list[Tagged]:
    """The tagged statements of decided articles, in article and reading order."""
    found = []
    for item in items:
        text = item.article.text
        for statement in sorted(item.annotations.statements, key=lambda s: (s.start, -s.end)):
            if is_tagged(statement) and text[statement.start : statement.end].strip():
                found.append(
                    Tagged(text[statement.start : statement.end], frozenset(statement.tags))
                )
    return found


def tag_set(configured: Iterable[str], statements: Iterable[Tagged]) -> tuple[str, ...]:
    """The configured tags plus every tag in use (the export's tag set)."""
    tags = dict.fromkeys(configured)
    for statement in statements:
        tags.update(dict.fromkeys(sorted(statement.tags)))
    return tuple(tags)


def counts(statements: Iterable[Tagged]) -> Counter[str]:
    """Positive examples per tag."""
    found: Counter[str] = Counter()
    for statement in statements:
        found.update(statement.tags)
    return found


def enough(found: Counter[str]) -> bool:
    """True when at least :data:`MIN_TAGS` tags have :data:`MIN_EXAMPLES` positives each."""
    return sum(1 for n in found.values() if n >= MIN_EXAMPLES) >= MIN_TAGS


@dataclass(slots=True)
class TrainedTags:
    """How the classifier's training went."""

    labels: tuple[str, ...]
    examples: int
    epochs: int = 0
    seconds: float = 0.0
    stopped_by_budget: bool = False
    losses: list[float] = field(default_factory=list)


def train_tags(
    nlp: Language,
    statements: Sequence[Tagged],
    labels: Sequence[str],
    *,
    deadline: float,
    config: TrainConfig | None = None,
    progress: Progress = lambda _: None,
    clock: Callable[[], float] = time.monotonic,
) -> TrainedTags:
    """Add a ``textcat_multilabel`` to ``nlp`` and train it alone (module docstring).

    The other components are not updated (their weights stay as they are); a classifier
    the base already had (a model trained before) is replaced, on the tag set of now.  Passing
    ``deadline`` in the first epoch raises :class:`BudgetExceeded`.
    """
    from spacy.training import Example
    from spacy.util import minibatch

    config = config or TrainConfig()
    started = clock()
    if PIPE in nlp.pipe_names:  # the base is a trained model: its classifier starts over
        nlp.remove_pipe(PIPE)
    textcat = nlp.add_pipe(PIPE, config=MODEL_CONFIG)
    for label in labels:
        textcat.add_label(label)  # type: ignore[attr-defined]
    examples = [
        Example.from_dict(
            nlp.make_doc(s.text), {"cats": {t: 1.0 if t in s.tags else 0.0 for t in labels}}
        )
        for s in statements
    ]
    textcat.initialize(lambda: examples, nlp=nlp)  # type: ignore[attr-defined]
    optimizer = textcat.create_optimizer()  # type: ignore[attr-defined]
    result = TrainedTags(tuple(labels), len(examples))
    shuffle = random.Random(config.seed).shuffle
    batch = max(8, config.batch_size * 4)
    per_epoch = -(-len(examples) // batch)
    total, done = per_epoch * config.epochs, 0
    for epoch in range(config.epochs):
        shuffle(examples)
        losses: dict[str, float] = {}
        for part in minibatch(examples, size=batch):
            textcat.update(part, sgd=optimizer, drop=config.dropout, losses=losses)  # type: ignore[attr-defined]
            done += 1
            progress(Step(done, total, epoch + 1, float(losses.get(PIPE, 0.0))))
            if clock() > deadline and done < total:
                if epoch == 0:
                    raise BudgetExceeded(
                        "the time budget ran out before one pass over the "
                        f"{len(examples)} tagged statements; raise --max-minutes"
                    )
                result.stopped_by_budget = True
                break
        if result.stopped_by_budget:
            break
        result.epochs += 1
        result.losses.append(float(losses.get(PIPE, 0.0)))
    result.seconds = clock() - started
    return result


def evaluate_tags(nlp: Language, statements: Sequence[Tagged], labels: Sequence[str]) -> Scores:
    """Per-tag P/R/F of ``nlp``'s classifier on tagged statements (a tag counts as
    predicted at :data:`THRESHOLD`); the overall score is micro-averaged."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    textcat = nlp.get_pipe(PIPE)
    docs = textcat.pipe(nlp.make_doc(s.text) for s in statements)  # type: ignore[attr-defined]
    for statement, doc in zip(statements, docs, strict=True):
        for label in labels:
            found = doc.cats.get(label, 0.0) >= THRESHOLD
            wanted = label in statement.tags
            tp[label] += found and wanted
            fp[label] += found and not wanted
            fn[label] += wanted and not found
    per_label = {label: Prf.of(tp[label], fp[label], fn[label]) for label in labels}
    overall = Prf.of(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return Scores(overall, per_label)
