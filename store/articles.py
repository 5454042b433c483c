"""One article's file: a small TinyDB database holding its text, annotations and history.

Partitioning the store per article keeps every file small (a few kB to a few hundred
kB) whatever the size of the store, and keeps each file readable by a person and by
TinyDB itself (``TinyDB(path).table("items").search(where("label") == "PERSON")``).
Tables of an article file (schema 2):

``article``  one document, the :class:`~annotate.model.Article`;
``items``    one document per entity, quote or statement (``type`` says which);
``state``    one document: sentence boundaries, list order, undo ``cursor`` and
             ``seq``, the last journal entry folded into this file (``store.journal``);
``history``  one document per decision (``pos``, ``edit``), oldest first.

The file is always rewritten whole (atomically, see ``store.durable``) from an
:class:`~store.history.ArticleState`; decisions between two rewrites live in the
journal, so the keystroke path never rewrites an article file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from annotate.edits import Item
from annotate.model import Annotations, Article
from store.codec import edit_doc, edit_from_doc, item_doc, item_from_doc
from store.durable import DurableStorage, Signature
from store.errors import StoreCorrupt
from store.history import ArticleState, item_order


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article file's content: the state, the journal position it includes, and the
    signature of the file it was read from."""

    state: ArticleState
    seq: int
    signature: Signature


class ArticleFile:
    """Read and write one article's TinyDB file."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.storage = DurableStorage(path, readonly=readonly)
        storage = self.storage
        self.db = TinyDB(storage=lambda: storage)  # TinyDB calls the factory once

    def read(self) -> StoredArticle:
        """The article file's content; :class:`StoreCorrupt` naming the file if it is
        missing, not JSON, or not a newsread article."""
        if self.storage.read() is None:
            raise StoreCorrupt(self.path, "it is missing")
        try:
            docs = self.db.table("article").all()
            if not docs:
                raise StoreCorrupt(self.path, "it holds no article")
            article = Article.from_dict(docs[0])
            state_docs = self.db.table("state").all()
            state = dict(state_docs[0]) if state_docs else {}
            annotations = _annotations(self.db.table("items").all(), state)
            history = tuple(
                edit_from_doc(d["edit"])
                for d in sorted(self.db.table("history").all(), key=lambda d: int(d["pos"]))
            )
            cursor = int(state.get("cursor", 0))
            if not 0 <= cursor <= len(history):
                raise ValueError(f"undo cursor {cursor} outside its history")
            stored = ArticleState(
                article=article,
                annotations=annotations,
                history=history,
                cursor=cursor,
                order=int(state.get("order", 0)),
            )
            seq = int(state.get("seq", 0))
        except StoreCorrupt:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise StoreCorrupt(self.path, f"its content is malformed ({exc})") from exc
        assert self.storage.signature is not None  # set by the read above
        return StoredArticle(stored, seq, self.storage.signature)

    def write(self, state: ArticleState, seq: int) -> Signature:
        """Replace the file with ``state`` (one atomic, fsynced write); returns the new
        file's signature.  ``seq`` is the last journal entry ``state`` includes.

        The document is built in TinyDB's own layout (``{table: {doc_id: doc}}``) and
        handed to the storage in one ``write``: inserting 10,000 items one table
        operation at a time would cost TinyDB ten times more for the same bytes.
        """
        annotations = state.annotations
        tables = {
            "article": [state.article.to_dict()],
            "items": _item_docs(annotations),
            "state": [
                {
                    "sentences": [list(s) for s in annotations.sentences],
                    "order": state.order,
                    "cursor": state.cursor,
                    "seq": seq,
                }
            ],
            "history": [
                {"pos": pos, "edit": edit_doc(edit)} for pos, edit in enumerate(state.history)
            ],
        }
        self.storage.write(
            {name: {str(i): doc for i, doc in enumerate(docs, 1)} for name, docs in tables.items()}
        )
        assert self.storage.signature is not None  # set by the write above
        return self.storage.signature


def _annotations(docs: list[Any], state: dict[str, Any]) -> Annotations:
    groups: dict[str, list[Any]] = {"entity": [], "quote": [], "statement": []}
    for doc in docs:
        groups[doc["type"]].append(item_from_doc(doc))
    sentences = tuple((int(a), int(b)) for a, b in state.get("sentences", ()))
    return Annotations(
        entities=tuple(sorted(groups["entity"], key=item_order)),
        quotes=tuple(sorted(groups["quote"], key=item_order)),
        statements=tuple(sorted(groups["statement"], key=item_order)),
        sentences=sentences,
    )


def _item_docs(annotations: Annotations) -> list[dict[str, Any]]:
    items: list[Item] = [*annotations.entities, *annotations.quotes, *annotations.statements]
    return [item_doc(i) for i in items]
