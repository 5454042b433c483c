"""The article filter typed after ``/``: words, ``speaker:``, ``quote:``, ``status:``, ``label:``.

``status:new``, ``status:progress`` (or ``status:in-progress``), ``status:done``,
``status:mine`` (the articles assigned to the annotator, ``annotate.assignment``, or
that they have a version of);
``label:ORG`` keeps articles with an ORG entity that is pending or accepted (a rejected
one does not count: ``ArticleSummary.has_label``, the one label test); ``speaker:NAME``
keeps articles with a quote whose speaker's words start with NAME's; ``quote:WORDS``
those with a quote holding such words; every other word must start a word of the title,
the source or the body (case-insensitive).  Terms combine with AND.

Words, speakers and quotes are looked up in a :class:`~tui.search_index.SearchIndex`, so
filtering 10,000 articles never reads an article file.  Until the index is built, plain
words match titles and sources only, and ``speaker:``/``quote:`` match nothing yet.
"""

from __future__ import annotations

from collections.abc import Callable

from annotate.model import ArticleStatus
from store import ArticleSummary
from tui.search_index import QUOTE, SPEAKER, TEXT, SearchIndex, words

STATUS_WORDS = {
    "new": ArticleStatus.NEW,
    "progress": ArticleStatus.IN_PROGRESS,
    "in-progress": ArticleStatus.IN_PROGRESS,
    "inprogress": ArticleStatus.IN_PROGRESS,
    "done": ArticleStatus.DONE,
}
FIELDS = {"speaker": SPEAKER, "quote": QUOTE}

Predicate = Callable[[ArticleSummary], bool]


def parse_filter(
    query: str, index: SearchIndex | None = None, mine: Predicate | None = None
) -> Predicate | None:
    """A predicate for ``query``; ``None`` when the query is empty (show everything).
    ``mine`` says which articles are the annotator's (``status:mine``)."""
    terms: list[tuple[str, str]] = []  # (field prefix, words)
    statuses: set[ArticleStatus] = set()
    labels: set[str] = set()
    own = False
    for term in query.split():
        key, sep, value = term.partition(":")
        key = key.lower()
        if sep and key == "status" and value.lower() == "mine":
            own = True
        elif sep and key == "status" and value.lower() in STATUS_WORDS:
            statuses.add(STATUS_WORDS[value.lower()])
        elif sep and key == "label" and value:
            labels.add(value.upper())
        elif sep and key in FIELDS:
            if value:
                terms.append((FIELDS[key], value))
        else:
            terms.append((TEXT, term))
    if not (terms or statuses or labels or own):
        return None
    allowed: set[str] | None = None
    if index is not None:
        for field, value in terms:
            found = index.match(field, value)
            allowed = found if allowed is None else allowed & found
    title_words = [t for f, t in terms if f == TEXT] if index is None else []
    nothing_yet = index is None and any(f != TEXT for f, _ in terms)
    own_only = mine if own else None

    if allowed is not None and not (statuses or labels or title_words or own_only):
        found = allowed  # only indexed terms: a set lookup per row
        return lambda summary: summary.id in found

    def predicate(summary: ArticleSummary) -> bool:
        if nothing_yet or (allowed is not None and summary.id not in allowed):
            return False
        if own_only is not None and not own_only(summary):
            return False
        if statuses and summary.status not in statuses:
            return False
        if labels and not all(summary.has_label(label) for label in labels):
            return False
        if title_words:
            haystack = words(f"{summary.title} {summary.source}")
            return all(
                any(w.startswith(part) for w in haystack)
                for term in title_words
                for part in words(term)
            )
        return True

    return predicate
