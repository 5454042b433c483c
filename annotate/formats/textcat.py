"""textcat JSONL: one line per tagged statement, ``{"text", "cats", "meta"}``.

This is the shape ``spacy`` text-classification projects and Prodigy's textcat
recipes read: ``cats`` maps every tag of the tag set to 1.0 (tagged) or 0.0, so a
multi-label classifier learns the negatives too.  ``meta`` says where the statement
sits (article id and offsets), so a prediction can be traced back to its article.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from annotate.model import Annotations, Article
from annotate.statements import is_tagged


def cats(tags: Iterable[str], tag_set: Iterable[str]) -> dict[str, float]:
    """Every tag of ``tag_set`` mapped to 1.0 when it is in ``tags``, else 0.0."""
    chosen = set(tags)
    return {tag: 1.0 if tag in chosen else 0.0 for tag in tag_set}


def textcat_records(
    article: Article, annotations: Annotations, tag_set: Iterable[str]
) -> Iterator[dict[str, Any]]:
    """The textcat records of an article's tagged statements, in reading order.

    ``tag_set`` should hold every tag in use (the configured tags plus any found
    in the store), so that every record has the same keys in ``cats``.
    """
    ordered = tuple(dict.fromkeys(tag_set))
    for statement in sorted(annotations.statements, key=lambda s: (s.start, -s.end)):
        if not is_tagged(statement):
            continue
        yield {
            "text": article.text[statement.start : statement.end],
            "cats": cats(statement.tags, ordered),
            "meta": {"article": article.id, "start": statement.start, "end": statement.end},
        }
