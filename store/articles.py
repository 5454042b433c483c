"""One article's file: a small TinyDB database holding its text, suggestions and history.

Partitioning the store per article is what keeps a decision's cost constant: a
keystroke rewrites only the file of the article being annotated (a few kB), never
the whole dataset.  Tables of an article file:

``article``  one document, the :class:`~annotate.model.Article`;
``items``    one document per entity, quote or statement (``kind`` says which);
``state``    one document: sentence boundaries, list order, undo cursor;
``history``  one document per decision (an :class:`~annotate.edits.Edit`), in order.

A decision and its history entry are written in one atomic batch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinydb import TinyDB, where

from annotate.edits import KINDS, Edit, Item, apply_edit, item_from_dict, item_to_dict, kind_of
from annotate.model import Annotations, Article, Quote, Span, Statement
from store.durable import DurableStorage
from store.errors import StoreCorrupt

HISTORY_LIMIT = 1000
"""Decisions kept per article for undo; older ones are dropped to bound the file size."""

_CLASSES: dict[str, type[Span] | type[Quote] | type[Statement]] = {
    kind: cls for cls, kind in KINDS.items()
}


class ArticleFile:
    """Read and write one article's TinyDB file."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.storage = DurableStorage(path, readonly=readonly)
        storage = self.storage
        self.db = TinyDB(storage=lambda: storage)  # TinyDB calls the factory once

    # -- reading -----------------------------------------------------------------
    def exists(self) -> bool:
        """True when the file is on disk."""
        return self.path.exists()

    def article(self) -> Article:
        """The article (raises :class:`StoreCorrupt` if the file lacks it)."""
        docs = self.db.table("article").all()
        if not docs:
            raise StoreCorrupt(self.path, "it holds no article")
        try:
            return Article.from_dict(docs[0])
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreCorrupt(self.path, f"its article is malformed ({exc})") from exc

    def state(self) -> dict[str, Any]:
        """Sentence boundaries, list order and the undo cursor."""
        docs = self.db.table("state").all()
        return dict(docs[0]) if docs else {"sentences": [], "order": 0, "cursor": 0}

    def annotations(self) -> Annotations:
        """All entities, quotes and statements with their current decisions."""
        groups: dict[str, list[Any]] = {"entity": [], "quote": [], "statement": []}
        try:
            for doc in self.db.table("items").all():
                groups[doc["kind"]].append(item_from_dict(doc))
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreCorrupt(self.path, f"an annotation is malformed ({exc})") from exc
        sentences = tuple((int(a), int(b)) for a, b in self.state().get("sentences", ()))
        order = _sort_key
        return Annotations(
            entities=tuple(sorted(groups["entity"], key=order)),
            quotes=tuple(sorted(groups["quote"], key=order)),
            statements=tuple(sorted(groups["statement"], key=order)),
            sentences=sentences,
        )

    def history(self) -> list[Edit]:
        """The decisions in the order they were made (including undone ones after the cursor)."""
        docs = sorted(self.db.table("history").all(), key=lambda d: d["seq"])
        return [Edit.from_dict(d["edit"]) for d in docs]

    # -- writing -----------------------------------------------------------------
    def create(self, article: Article, annotations: Annotations, order: int) -> None:
        """Write a new article file with its initial suggestions (one atomic write)."""
        with self.storage.batch():
            self.db.table("article").insert(article.to_dict())
            self.db.table("items").insert_multiple(_item_docs(annotations))
            self.db.table("state").insert(
                {"sentences": [list(s) for s in annotations.sentences], "order": order, "cursor": 0}
            )

    def replace_annotations(self, annotations: Annotations, article: Article | None = None) -> None:
        """Overwrite all items (a new analysis merged with decisions), history kept."""
        with self.storage.batch():
            items = self.db.table("items")
            items.truncate()
            items.insert_multiple(_item_docs(annotations))
            state = self.state()
            state["sentences"] = [list(s) for s in annotations.sentences]
            self._put_state(state)
            if article is not None:
                table = self.db.table("article")
                table.truncate()
                table.insert(article.to_dict())

    def record(self, annotations: Annotations, edit: Edit) -> Annotations:
        """Apply ``edit`` and log it as the newest decision; both land in one write."""
        updated = apply_edit(annotations, edit)
        with self.storage.batch():
            self._apply_items(edit)
            state = self.state()
            cursor = int(state.get("cursor", 0))
            history = self.db.table("history")
            history.remove(where("seq") >= cursor)  # a new decision ends the redo branch
            history.insert({"seq": cursor, "edit": edit.to_dict()})
            if cursor >= HISTORY_LIMIT:
                history.remove(where("seq") <= cursor - HISTORY_LIMIT)
            state["cursor"] = cursor + 1
            self._put_state(state)
        return updated

    def step(self, annotations: Annotations, *, back: bool) -> tuple[Annotations, Edit] | None:
        """Undo (``back``) or redo one decision; ``None`` when there is nothing to do."""
        state = self.state()
        cursor = int(state.get("cursor", 0))
        seq = cursor - 1 if back else cursor
        docs = self.db.table("history").search(where("seq") == seq)
        if not docs:
            return None
        edit = Edit.from_dict(docs[0]["edit"])
        if back:
            edit = edit.inverted()
        updated = apply_edit(annotations, edit)
        with self.storage.batch():
            self._apply_items(edit)
            state["cursor"] = seq if back else cursor + 1
            self._put_state(state)
        return updated, edit

    def _apply_items(self, edit: Edit) -> None:
        items = self.db.table("items")
        for item in edit.before:
            items.remove((where("kind") == kind_of(item)) & (where("id") == item.id))
        items.insert_multiple(_item_doc(i) for i in edit.after)

    def _put_state(self, state: dict[str, Any]) -> None:
        table = self.db.table("state")
        table.truncate()
        table.insert(state)


def _sort_key(item: Item) -> tuple[int, int, str]:
    return (item.start, -item.end, item.id)


def _item_doc(item: Item) -> dict[str, Any]:
    return item_to_dict(item)


def _item_docs(annotations: Annotations) -> list[dict[str, Any]]:
    items: list[Item] = [*annotations.entities, *annotations.quotes, *annotations.statements]
    return [_item_doc(i) for i in items]
