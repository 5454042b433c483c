"""Quotations and reported clauses into one list of attributions.

:mod:`annotate.detect.quotes` finds what is in quotation marks and
:mod:`annotate.detect.reported` the clauses reported by a cue.  They overlap, and this
module decides what each overlap is:

* a clause that is (nearly) all one quotation (``said: “We will fight”``) stays the
  quotation already found, ``direct`` or ``partial``, with its own speaker;
* a clause holding quoted words around writer's words (``said the plan was “dead on
  arrival”``) becomes one ``mixed`` attribution whose content is the clause and whose
  ``quoted`` lists the stretches in marks; those quotations are not listed again;
* a clause with no marks is ``indirect``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from annotate.detect.attribution import ArticleIndex
from annotate.detect.linking import Linker
from annotate.detect.reported import Reported
from annotate.model import Origin, Quote, QuoteKind, Span

CUE = "CUE"
_WORD = re.compile(r"\w+")
_SAME = 0.7  # share of a clause's words in marks that makes it the quotation itself


def _words(text: str, start: int, end: int) -> set[int]:
    return {m.start() for m in _WORD.finditer(text, start, end)}


def _own_attribution(item: Reported, quote: Quote) -> bool:
    """A quotation under ``according to`` whose own cue is inside the reported content
    (``according to X, Molano denounced “…”``) stays Molano's."""
    cue, speaker = quote.cue, quote.speaker
    return (
        item.how == "according"
        and cue is not None
        and speaker is not None
        and item.start <= cue.start < item.end
        and item.start <= speaker.start < item.end
    )


def _coordinated(text: str, item: Reported, quote: Quote) -> bool:
    """A whole quoted sentence joined to the clause by a conjunction (``said the talks
    were “constructive,” but that “serious differences remain.”``) stands on its own."""
    if quote.kind is not QuoteKind.DIRECT or quote.start <= item.start + 1:
        return False
    before = [
        w.strip("“\"‘',") for w in text[max(item.start, quote.start - 12) : quote.start].split()
    ]
    before = [w for w in before if w]
    if before and before[-1] == "that":  # "… but that “serious differences remain.”"
        before.pop()
    return bool(before) and before[-1] in ("but", "and", "or", "while")


def merge(
    art: ArticleIndex, linker: Linker, quotes: Sequence[Quote], reported: Sequence[Reported]
) -> tuple[Quote, ...]:
    """The attributions of an article, in text order (module docstring)."""
    text = art.text
    absorbed: set[int] = set()
    added: list[Quote] = []
    for item in reported:
        clause = _words(text, item.start, item.end)
        if not clause:
            continue
        inside = [
            i
            for i, q in enumerate(quotes)
            if q.start >= item.start - 1
            and q.end <= item.end + 1
            and not _own_attribution(item, q)
            and not _coordinated(text, item, q)
        ]
        quoted_words: set[int] = set()
        for i in inside:
            quoted_words |= _words(text, quotes[i].start, quotes[i].end)
        crossing = [
            q
            for i, q in enumerate(quotes)
            if i not in inside and q.start < item.end and item.start < q.end
        ]
        for q in crossing:
            quoted_words |= _words(text, q.start, q.end) & clause
        if len(quoted_words & clause) >= _SAME * len(clause):
            continue  # the clause is the quotation: it is already listed
        if crossing:
            continue  # a quotation running out of the clause: the quotation stands
        if inside and any(i in absorbed for i in inside):
            continue  # already part of a mixed attribution (a nested cue)
        speaker, ref = linker.spans(item.speaker) if item.speaker is not None else (None, None)
        if inside:
            absorbed.update(inside)
            kind = QuoteKind.MIXED
            if speaker is None:
                speaker, ref = quotes[inside[0]].speaker, quotes[inside[0]].speaker_ref
        else:
            kind = QuoteKind.INDIRECT
        # A quotation may run one mark past the clause: the content covers it whole, so
        # its quoted stretches always lie inside it.
        start = min([item.start, *(quotes[i].start for i in inside)])
        end = max([item.end, *(quotes[i].end for i in inside)])
        added.append(
            Quote(
                start,
                end,
                kind,
                speaker=speaker,
                cue=Span(item.cue[0], item.cue[1], CUE, origin=Origin.RULE),
                speaker_ref=ref,
                origin=Origin.RULE,
                quoted=tuple((quotes[i].start, quotes[i].end) for i in inside),
            )
        )
    kept = [q for i, q in enumerate(quotes) if i not in absorbed]
    return tuple(sorted(kept + added, key=lambda q: (q.start, -q.end)))
