"""What ``newsread stats`` reports, computed from the article summaries alone.

Counting from the summaries (kept in memory and cached in ``index.json``) means the
numbers for a 100k-annotation store come without opening a single article file, and
work on a read-only view while the app writes to the same store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from annotate.model import ArticleStatus
from store.summary import COUNT_SEPARATOR, ArticleSummary

DECIDED = ("accepted", "rejected")
UNKNOWN_ANNOTATOR = "(unknown)"


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Articles by status; suggestions and decisions by kind, label, status, annotator."""

    articles: int
    by_status: dict[str, int]
    by_label: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    """``{kind: {label: {status: count}}}``, pending suggestions included."""
    by_annotator: dict[str, dict[str, int]] = field(default_factory=dict)
    """``{annotator: {status: count}}``, decisions only."""
    progress: dict[str, dict[str, int]] = field(default_factory=dict)
    """``{annotator: {"done": n, "in progress": n}}``: articles by the status of each
    annotator's own version (``store.versions``); the rest are new to them."""

    @property
    def decisions(self) -> dict[str, int]:
        """Decisions by status (``accepted``/``rejected``) over every kind and label."""
        totals: Counter[str] = Counter()
        for labels in self.by_label.values():
            for statuses in labels.values():
                totals.update({s: n for s, n in statuses.items() if s in DECIDED})
        return {status: totals[status] for status in DECIDED}

    @property
    def pending(self) -> int:
        """Suggestions still waiting for a decision (replaced ones wait too)."""
        return sum(
            statuses.get("pending", 0) + statuses.get("replaced", 0)
            for labels in self.by_label.values()
            for statuses in labels.values()
        )

    @property
    def replaced(self) -> int:
        """Model suggestions replaced by what people chose elsewhere (still waiting)."""
        return sum(
            statuses.get("replaced", 0)
            for labels in self.by_label.values()
            for statuses in labels.values()
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (what ``newsread stats --json`` prints)."""
        decisions = self.decisions
        return {
            "articles": {"total": self.articles, **self.by_status},
            "decisions": {"total": sum(decisions.values()), **decisions},
            "pending": self.pending,
            "by_label": self.by_label,
            "by_annotator": self.by_annotator,
            "progress": self.progress,
        }


def compute_stats(summaries: Iterable[ArticleSummary]) -> StoreStats:
    """Count over ``summaries`` (see :class:`StoreStats`)."""
    by_status = {str(status): 0 for status in ArticleStatus}
    counts: Counter[str] = Counter()
    articles = 0
    progress: dict[str, Counter[str]] = {}
    for summary in summaries:
        articles += 1
        by_status[str(summary.status)] += 1
        counts.update(summary.counts)
        for name in summary.names():
            own = progress.setdefault(name or UNKNOWN_ANNOTATOR, Counter())
            own[str(summary.versions[name][0])] += 1
    by_label: dict[str, dict[str, dict[str, int]]] = {}
    by_annotator: dict[str, dict[str, int]] = {}
    for key, count in sorted(counts.items()):
        kind, label, status, annotator = key.split(COUNT_SEPARATOR, 3)
        if not count:
            continue
        statuses = by_label.setdefault(kind, {}).setdefault(label, {})
        statuses[status] = statuses.get(status, 0) + count
        if status in DECIDED:
            person = by_annotator.setdefault(annotator or UNKNOWN_ANNOTATOR, {})
            person[status] = person.get(status, 0) + count
    mine = {
        name: {s: done[s] for s in (str(ArticleStatus.DONE), str(ArticleStatus.IN_PROGRESS))}
        for name, done in sorted(progress.items())
    }
    return StoreStats(articles, by_status, by_label, dict(sorted(by_annotator.items())), mine)
