"""The results every reader yields: one imported article, or one failure with its place.

A reader never raises for bad input inside a file: it yields a :class:`Failure`
naming the file and line (``where``) and goes on with the next record, so a broken
line costs that line only.  An :class:`Imported` is complete (article and all its
annotations) or not yielded at all, which is what keeps an import from ever
storing half an article.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotate.model import Annotations, Article


class FormatError(ValueError):
    """A record that cannot be read; the message says which key or value is wrong."""


@dataclass(frozen=True, slots=True)
class Imported:
    """One article read from a file, with the annotations that came with it (if any)."""

    article: Article
    annotations: Annotations | None
    where: str


@dataclass(frozen=True, slots=True)
class Failure:
    """One record (a file, a JSONL line, a CoNLL document) that could not be imported."""

    where: str
    reason: str
    count: int = 1
    """How many records this failure stands for (more than one: a summed-up tail)."""

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"
