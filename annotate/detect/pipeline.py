"""Running the detectors over articles: spaCy once per batch, then the rules on each Doc.

``nlp.pipe`` is the expensive part, so everything else works on the Doc it returns
and hands back plain :class:`~annotate.model.Annotations` (no Doc leaves this module):
entities (:mod:`annotate.detect.entities`), quotations with speakers (:mod:`annotate.detect.quotes`)
and sentence bounds.  With ``n_process > 1`` spaCy parses in worker processes and the
rules run here, on the Docs as they come back, in input order.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from annotate.detect.entities import fix_entities
from annotate.detect.quotes import detect_quotes
from annotate.detect.tags import PIPE, THRESHOLD, suggest_tags, tag_classifier
from annotate.model import Annotations, Article

T = TypeVar("T")

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


RUN_KEPT = 4
"""Of a run of one symbol (``=====``, ``]]]]]``), this many characters reach spaCy."""
SYMBOL_LINE_MIN = 200
"""A line at least this long that is mostly symbols is not given to spaCy at all."""
SYMBOL_LINE_ALNUM = 0.3
"""...mostly symbols: fewer than this share of its non-space characters are alphanumeric."""
_RUN = re.compile(r"([^\w\s])\1{" + str(RUN_KEPT) + ",}")
_LONG_LINE = re.compile(r"[^\n]{" + str(SYMBOL_LINE_MIN) + ",}")
_NON_SPACE = re.compile(r"\S")


def spacy_text(text: str) -> str:
    """``text`` as given to spaCy: same length, pathological stretches blanked.

    spaCy's tokenizer is quadratic in the length of a whitespace-free stretch (it
    peels one prefix or suffix at a time, each a search of the rest): 30,000 ``=``
    took 155 s.  And a line of symbols (deeply nested JSON, ``[[[[…]]]]``) makes a
    token per character, tens of thousands for the tagger and parser, with nothing
    in them to find.  So a run of one symbol keeps its first :data:`RUN_KEPT`
    characters and the rest become spaces, and a long line that is mostly symbols
    becomes spaces entirely.  Replacing characters one for one (never inserting or
    deleting) keeps every offset of the Doc an offset into ``Article.text``; prose
    is never changed.
    """

    def run(match: re.Match[str]) -> str:
        return match.group()[:RUN_KEPT] + " " * (len(match.group()) - RUN_KEPT)

    def line(match: re.Match[str]) -> str:
        stretch = match.group()
        visible = len(stretch) - stretch.count(" ") - stretch.count("\t")
        alnum = sum(1 for c in stretch if c.isalnum())
        if visible and alnum < SYMBOL_LINE_ALNUM * visible:
            return _NON_SPACE.sub(" ", stretch)
        return stretch

    return _LONG_LINE.sub(line, _RUN.sub(run, text))


def sentence_bounds(doc: Doc, text: str) -> tuple[tuple[int, int], ...]:
    """Sentence character bounds without trailing whitespace (``()`` without a parser).

    The first token of any Doc counts as a sentence start, so a pipeline without a
    parser or sentencizer (``blank:en``) is told by the tokens after it, as spaCy's own
    ``doc.sents`` check does (which would raise instead).
    """
    if len(doc) < 2 or not doc.to_array("SENT_START")[1:].any():
        return ()
    bounds = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            bounds.append((start, end))
    return tuple(bounds)


def annotations_from_doc(
    doc: Doc,
    *,
    labels: Collection[str] | None = None,
    scare_quotes: bool = False,
    cognition: bool = True,
) -> Annotations:
    """Entity and quotation suggestions and sentence bounds of one analysed Doc.

    ``labels`` restricts the entity labels suggested (``None``: all the model's);
    ``scare_quotes`` suggests short unattributed quotations and quoted names too;
    ``cognition`` lets verbs of belief (``believes``, ``fears``) report a clause.
    Quotations are found with every entity available, so that a pronoun speaker can
    resolve to a PERSON even when PERSON is not an annotated label.
    """
    text = doc.text  # spaCy joins the tokens on every access: once is enough
    sentences = sentence_bounds(doc, text)
    entities = fix_entities(doc, text=text)
    quotes = detect_quotes(
        doc,
        entities=entities,
        sentences=sentences,
        text=text,
        scare_quotes=scare_quotes,
        cognition=cognition,
    )
    if labels is not None:
        allowed = set(labels)
        entities = tuple(e for e in entities if e.label in allowed)
    return Annotations(entities=entities, quotes=quotes, sentences=sentences)


def analyze(
    nlp: Language,
    articles: Iterable[Article],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    labels: Collection[str] | None = None,
    scare_quotes: bool = False,
    cognition: bool = True,
    tag_threshold: float = THRESHOLD,
) -> Iterator[tuple[Article, Annotations]]:
    """Each article with the suggestions made for it, in input order.

    ``n_process`` is spaCy's multiprocessing (worker processes parse, this process
    applies the rules); ``labels`` restricts the entity labels; ``scare_quotes`` and
    ``cognition`` see :func:`annotations_from_doc`.  A pipeline with a statement-tag
    classifier (a trained model) also suggests tags, sentence by sentence
    (:mod:`annotate.detect.tags`) scoring ``tag_threshold`` or more.
    """
    classifier = tag_classifier(nlp)
    disable = [PIPE] if classifier is not None else []
    stream = ((spacy_text(a.text), a) for a in articles)
    for doc, article in nlp.pipe(
        stream, as_tuples=True, batch_size=batch_size, n_process=n_process, disable=disable
    ):
        found = annotations_from_doc(
            doc, labels=labels, scare_quotes=scare_quotes, cognition=cognition
        )
        if classifier is not None:
            statements = suggest_tags(
                nlp, classifier, doc.text, found.sentences, threshold=tag_threshold
            )
            found = found.replace(statements=statements)
        yield article, found


class OverBudget(RuntimeError):
    """An analysis ran past its time budget; the message says how long it was given."""


class BudgetedRunner:
    """Runs one analysis at a time on a daemon thread and waits for it within a budget.

    spaCy cannot be interrupted, so an analysis over budget is abandoned, not stopped:
    its thread is a daemon (quitting never waits for it) and its result is dropped.
    The next analysis waits for it to end, because one pipeline is never run from two
    threads at once; ``cancelled`` is polled all along, so a quitting app is not held.
    """

    POLL_S = 0.1

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None

    def run(
        self, work: Callable[[], T], budget_s: float, cancelled: Callable[[], bool]
    ) -> T | None:
        """``work()``'s result; ``None`` when cancelled; :class:`OverBudget` past the budget."""
        while self._thread is not None and self._thread.is_alive():
            if cancelled():
                return None
            self._thread.join(self.POLL_S)
        box: list[tuple[bool, Any]] = []

        def target() -> None:
            try:
                box.append((True, work()))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                box.append((False, exc))

        thread = self._thread = threading.Thread(target=target, name="analysis", daemon=True)
        deadline = time.monotonic() + budget_s
        thread.start()
        while thread.is_alive():
            if cancelled():
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise OverBudget(f"analysis took longer than {budget_s:g} s; skipped")
            thread.join(min(self.POLL_S, remaining))
        ok, value = box[0]
        if not ok:
            raise value
        result: T = value
        return result
