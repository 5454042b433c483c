"""Entity labels and their style classes (the colours themselves live in newsread.tcss)."""

from __future__ import annotations

from tui.config import ONTONOTES_LABELS

OTHER = "label--other"
LABEL_CLASSES: frozenset[str] = frozenset(
    {f"label--{label}" for label in ONTONOTES_LABELS} | {OTHER}
)


def label_class(label: str) -> str:
    """The component class that colours ``label`` (unknown labels share one colour)."""
    name = f"label--{label}"
    return name if name in LABEL_CLASSES else OTHER


QUOTE_CHOICE = "QUOTE:"
"""The label picker's answer for "this span is a quote": ``QUOTE:direct``, ``QUOTE:partial``."""
