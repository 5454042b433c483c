"""How annotations and edits are written in the store's files (items, history, journal).

Each item document carries its class under ``type`` (``entity``, ``quote``,
``statement``) next to the item's own ``to_dict`` fields.  Not under ``kind``: a
quote's own ``kind`` (``direct``/``partial``) would overwrite it, so an edit on a quote
could not be read back -- schema 1 of the store had that bug (its migration recovers
such documents).  This is the one encoding of items and edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotate.edits import KINDS, Edit, Item, kind_of
from annotate.model import Quote, Span, Statement

CLASSES: dict[str, type[Span] | type[Quote] | type[Statement]] = {
    kind: cls for cls, kind in KINDS.items()
}


def item_doc(item: Item) -> dict[str, Any]:
    """An item as a JSON-ready document with its class under ``type``."""
    return {"type": kind_of(item), **item.to_dict()}


def item_from_doc(doc: Mapping[str, Any]) -> Item:
    """The item of an :func:`item_doc` document (``KeyError``/``ValueError`` if malformed)."""
    return CLASSES[str(doc["type"])].from_dict(doc)


def edit_doc(edit: Edit) -> dict[str, Any]:
    """An edit as a JSON-ready document."""
    return {
        "action": edit.action,
        "before": [item_doc(i) for i in edit.before],
        "after": [item_doc(i) for i in edit.after],
        "annotator": edit.annotator,
        "timestamp": edit.timestamp,
    }


def edit_from_doc(doc: Mapping[str, Any]) -> Edit:
    """The edit of an :func:`edit_doc` document."""
    return Edit(
        action=str(doc.get("action", "")),
        before=tuple(item_from_doc(d) for d in doc.get("before", ())),
        after=tuple(item_from_doc(d) for d in doc.get("after", ())),
        annotator=doc.get("annotator"),
        timestamp=float(doc.get("timestamp") or 0.0),
    )
