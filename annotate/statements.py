"""Statements suggested by a model, and which statements are training data.

A trained tag classifier (``annotate.detect.tags``) suggests a statement as a pending one
of origin ``model``; a person accepts, rejects or re-tags it.  Only tags a person gave or
accepted are training data: every export, the training, agreement and review ask
:func:`is_tagged`.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotate.model import Origin, Statement, Status, span_id


def suggested_statement(start: int, end: int, tags: Iterable[str]) -> Statement:
    """A model's tag suggestion on the sentence ``start:end``, waiting for a decision."""
    return Statement(
        start,
        end,
        tuple(tags),
        id=span_id("statement", start, end, "", Origin.MODEL),
        origin=Origin.MODEL,
        status=Status.PENDING,
    )


def is_tagged(statement: Statement) -> bool:
    """True when ``statement`` is training data: tags a person gave or accepted (pending
    and rejected suggestions are *unknown*, never negatives)."""
    return statement.status is Status.ACCEPTED and bool(statement.tags)
