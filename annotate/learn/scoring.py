"""How well a pipeline finds the entities a person accepted: precision, recall, F per label.

An entity counts as found when the pipeline predicts exactly its character offsets and
its label (the CoNLL rule, and spaCy's ``ents_f``).  Scoring is on character offsets,
not tokens, so two pipelines that tokenize differently are scored the same way, and the
base model and a trained one are compared on the same evaluation articles.

``mapping`` renames the predicted labels first (a label it does not name is dropped):
how a model trained on OntoNotes labels is scored on a PER/ORG/LOC/MISC corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotate.detect.pipeline import spacy_text
from annotate.model import Status

if TYPE_CHECKING:
    from spacy.language import Language

    from annotate.learn.examples import Decided

Entity = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Prf:
    """Precision, recall and F1 of one label (or of all), with the gold and predicted
    counts (precision means nothing without a prediction, recall without a gold one)."""

    p: float
    r: float
    f: float
    support: int
    predicted: int = 0

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> Prf:
        """From true positives, false positives and false negatives (0 when undefined)."""
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(p, r, f, tp + fn, tp + fp)

    def to_dict(self) -> dict[str, float | int]:
        """Rounded for a meta file or a JSON line."""
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4),
                "support": self.support}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Scores:
    """The overall entity score and one per label."""

    overall: Prf
    labels: Mapping[str, Prf] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the meta of a trained model keeps its scores this way)."""
        return {
            "overall": self.overall.to_dict(),
            "labels": {label: prf.to_dict() for label, prf in sorted(self.labels.items())},
        }


def score_sets(gold: Sequence[set[Entity]], predicted: Sequence[set[Entity]]) -> Scores:
    """Scores of predicted entity sets against gold ones, article by article."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for wanted, found in zip(gold, predicted, strict=True):
        for entity in found & wanted:
            tp[entity[2]] += 1
        for entity in found - wanted:
            fp[entity[2]] += 1
        for entity in wanted - found:
            fn[entity[2]] += 1
    labels = sorted(set(tp) | set(fp) | set(fn))
    per_label = {label: Prf.of(tp[label], fp[label], fn[label]) for label in labels}
    overall = Prf.of(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return Scores(overall, per_label)


def gold_entities(item: Decided) -> set[Entity]:
    """The accepted entities of a (done) article."""
    return {
        (e.start, e.end, e.label) for e in item.annotations.entities if e.status is Status.ACCEPTED
    }


def predict(
    nlp: Language, texts: Iterable[str], mapping: Mapping[str, str] | None = None
) -> list[set[Entity]]:
    """The entities ``nlp`` finds in each text (labels renamed by ``mapping`` if given)."""
    found = []
    for doc in nlp.pipe(spacy_text(t) for t in texts):
        entities = set()
        for ent in doc.ents:
            label = ent.label_ if mapping is None else mapping.get(ent.label_)
            if label is not None:
                entities.add((ent.start_char, ent.end_char, label))
        found.append(entities)
    return found


def evaluate(
    nlp: Language, items: Sequence[Decided], mapping: Mapping[str, str] | None = None
) -> Scores:
    """``nlp``'s scores on done articles (module docstring)."""
    predicted = predict(nlp, (item.article.text for item in items), mapping)
    return score_sets([gold_entities(item) for item in items], predicted)
