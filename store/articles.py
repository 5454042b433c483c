"""One article's file: a small TinyDB database holding its text, annotations and history.

Partitioning the store per article keeps every file small (a few kB to a few hundred
kB) whatever the size of the store, and keeps each file readable by a person and by
TinyDB itself (``TinyDB(path).table("items").search(where("label") == "PERSON")``).
Tables of an article file (schema 2):

``article``  one document, the :class:`~annotate.model.Article`;
``items``    one document per entity, quote or statement (``type`` says which);
``state``    one document: sentence boundaries, list order, undo ``cursor`` and
             ``seq``, the last journal entry folded into this file (``store.journal``);
``history``  one document per decision (``pos``, ``edit``), oldest first;
``export``   an extra table a rewrite hook made for the article (the export keeps
             its line there), always the last table (``store.trailer``).

The file is always rewritten whole (atomically, see ``store.durable``) from an
:class:`~store.history.ArticleState`; decisions between two rewrites live in the
journal, so the keystroke path never rewrites an article file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from tinydb import TinyDB

from annotate.edits import Item
from annotate.model import Annotations, Article
from store.codec import edit_doc, edit_from_doc, item_doc, item_from_doc
from store.durable import DurableStorage, Signature
from store.errors import StoreCorrupt, StoreError
from store.history import ArticleState, item_order
from store.trailer import FoundExtra, file_bytes, version_and_rest


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article file's content: the state, the journal position it includes, and the
    signature of the file it was read from."""

    state: ArticleState
    seq: int
    signature: Signature
    line: str = ""
    """The version of the file's extra table, ``""`` when none (``store.trailer``)."""


class ArticleFile:
    """Read and write one article's TinyDB file."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.line = ""
        self.storage = DurableStorage(path, readonly=readonly, prepare=self._without_extra)
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
        return StoredArticle(stored, seq, self.storage.signature, self.line)

    def _without_extra(self, raw: bytes) -> bytes:
        """The file's bytes without its extra table (most of the file, and only for
        its hook), whose version is noted in :attr:`line`."""
        self.line, rest = version_and_rest(raw)
        return rest

    def write(
        self, state: ArticleState, seq: int, extra: tuple[bytes, dict[str, Any]] | None = None
    ) -> Signature:
        """Replace the file with ``state`` (one atomic, fsynced write); returns the new
        file's signature.  ``seq`` is the last journal entry ``state`` includes;
        ``extra`` is the payload and document 2 of its extra table, if any, written
        last with the CRC of the bytes before it (``store.trailer.file_bytes``).

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
        data = {
            name: {str(i): doc for i, doc in enumerate(docs, 1)} for name, docs in tables.items()
        }
        payload = file_bytes(data, *extra) if extra is not None else None
        self.storage.write(data, payload)
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


class ArticleDocs(NamedTuple):
    """An article's current content as plain documents, as an export reads it.

    ``article`` is in ``Article.to_dict`` form and each item in its class's ``to_dict``
    form (documents read from a file also carry the store's ``type`` key); the items of
    a group come in no particular order.  ``tokens`` is what the store's token cache
    holds for the article, if anything (see ``store.tokens``).
    """

    article: dict[str, Any]
    entities: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    sentences: list[list[int]]
    tokens: bytes | None

    @classmethod
    def of(cls, state: ArticleState, tokens: bytes | None) -> ArticleDocs:
        """The documents of an article held in memory."""
        annotations = state.annotations
        return cls(
            state.article.to_dict(),
            [e.to_dict() for e in annotations.entities],
            [q.to_dict() for q in annotations.quotes],
            [s.to_dict() for s in annotations.statements],
            [list(s) for s in annotations.sentences],
            tokens,
        )


def read_docs(path: str, tokens: bytes | None = None) -> ArticleDocs:
    """An article file's current content as :class:`ArticleDocs`, read in one go.

    What :meth:`ArticleFile.read` gives, minus the undo history and the objects: one
    ``read`` and one ``orjson.loads`` of the TinyDB file, the documents used as they
    are.  An export reads every article, and building an object per annotation and
    parsing the history (which outgrows everything else in a worked-on article) cost it
    more than the reading itself.  Values are not converted or checked one by one --
    whoever uses them converts them as ``from_dict`` would -- but a file that is
    missing, not JSON, or not laid out as an article file raises :class:`StoreCorrupt`
    naming it.  ``tokens`` is passed on as :attr:`ArticleDocs.tokens`.
    """
    raw = read_bytes(path)
    if raw is None:
        raise StoreCorrupt(Path(path), "it is missing")
    if not raw or raw.isspace():
        raise StoreCorrupt(Path(path), "it is empty")
    try:
        data = orjson.loads(version_and_rest(raw)[1])  # the extra table is not needed here
    except orjson.JSONDecodeError as exc:
        raise StoreCorrupt(Path(path), f"it is not valid JSON ({exc})") from exc
    try:
        articles = data["article"]
        if not articles:
            raise StoreCorrupt(Path(path), "it holds no article")
        article = next(iter(articles.values()))
        groups: dict[str, list[dict[str, Any]]] = {"entity": [], "quote": [], "statement": []}
        for doc in (data.get("items") or {}).values():
            groups[doc["type"]].append(doc)
        state: dict[str, Any] = next(iter((data.get("state") or {}).values()), {})
        if not isinstance(article, dict):
            raise TypeError("the article table holds something other than a document")
        sentences = list(state.get("sentences", ()))
    except StoreCorrupt:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoreCorrupt(Path(path), f"its content is malformed ({exc!r})") from exc
    return ArticleDocs(
        article,
        groups["entity"],
        groups["quote"],
        groups["statement"],
        sentences,
        tokens,
    )


_READ_SIZE = 1 << 16


def read_bytes(path: str) -> bytes | None:
    """The whole file, ``None`` when it does not exist: ``os`` calls, not a file
    object, since an export runs this for every article."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreCorrupt(Path(path), f"cannot read it: {exc.strerror or exc}") from exc
    try:
        raw = os.read(fd, _READ_SIZE)  # no fstat: most article files are smaller
        if len(raw) == _READ_SIZE:
            chunks = [raw]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            raw = b"".join(chunks)
    except OSError as exc:
        raise StoreCorrupt(Path(path), f"cannot read it: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return raw


_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
"""Article ids that can be file names (the ids the store makes, and nothing else)."""


def article_file(folder: str, article_id: str) -> str:
    """The path of an article's file under the articles ``folder`` (as a string:
    building ``Path`` objects cost an export more than reading the file's bytes)."""
    if not _SAFE_ID.fullmatch(article_id):
        raise StoreError(f"article id {article_id!r} cannot be used as a file name")
    return f"{folder}/{article_id[:2]}/{article_id}.json"


def read_article(path: Path, article_id: str) -> StoredArticle:
    """The article file at ``path``, which must hold ``article_id`` (else
    :class:`StoreCorrupt` naming it)."""
    stored = ArticleFile(path, readonly=True).read()
    if stored.state.article.id != article_id:
        raise StoreCorrupt(path, f"it holds article {stored.state.article.id!r}")
    return stored


class ListedArticle(NamedTuple):
    """An article as an export lists it: what it selects on, whether its file holds
    all its decisions (``False``: some are still in the journal, held in memory), and
    its extra table (``store.trailer``) when the lister read it already."""

    id: str
    status: str
    updated: float
    folded: bool = True
    extra: FoundExtra | None = None
