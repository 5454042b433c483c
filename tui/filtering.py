"""The article filter typed after ``/``: words, ``status:…`` and ``label:…``.

``status:new``, ``status:progress`` (or ``status:in-progress``), ``status:done``,
``status:mine`` (the articles assigned to the annotator, ``annotate.assignment``, or
that they have a version of);
``label:ORG`` keeps articles with an ORG entity that is pending or accepted (a rejected
one does not count: ``ArticleSummary.has_label``, the one label test); every other word must occur
in the title or source (case-insensitive).  Terms combine with AND.  It works on the
store's summaries only, so filtering 10,000 articles never reads an article file.
"""

from __future__ import annotations

from collections.abc import Callable

from annotate.model import ArticleStatus
from store import ArticleSummary

STATUS_WORDS = {
    "new": ArticleStatus.NEW,
    "progress": ArticleStatus.IN_PROGRESS,
    "in-progress": ArticleStatus.IN_PROGRESS,
    "inprogress": ArticleStatus.IN_PROGRESS,
    "done": ArticleStatus.DONE,
}

Predicate = Callable[[ArticleSummary], bool]


def parse_filter(query: str, mine: Predicate | None = None) -> Predicate | None:
    """A predicate for ``query``; ``None`` when the query is empty (show everything).
    ``mine`` says which articles are the annotator's (``status:mine``)."""
    words: list[str] = []
    statuses: set[ArticleStatus] = set()
    labels: set[str] = set()
    own = False
    for term in query.split():
        key, sep, value = term.partition(":")
        if sep and key.lower() == "status" and value.lower() == "mine":
            own = True
        elif sep and key.lower() == "status" and value.lower() in STATUS_WORDS:
            statuses.add(STATUS_WORDS[value.lower()])
        elif sep and key.lower() == "label" and value:
            labels.add(value.upper())
        else:
            words.append(term.lower())
    if not (words or statuses or labels or own):
        return None

    def predicate(summary: ArticleSummary) -> bool:
        if own and mine is not None and not mine(summary):
            return False
        if statuses and summary.status not in statuses:
            return False
        if not all(summary.has_label(label) for label in labels):
            return False
        haystack = f"{summary.title} {summary.source}".lower()
        return all(word in haystack for word in words)

    return predicate
