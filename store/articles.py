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

from annotate.edits import Edit, Item, kind_of
from annotate.model import Annotations, Article
from store.codec import edit_doc, edit_from_doc, item_doc, item_from_doc
from store.durable import DurableStorage, Signature
from store.errors import StoreCorrupt, StoreError
from store.history import ArticleState, Version, item_order
from store.trailer import FoundExtra, file_bytes, version_and_rest
from store.versions import (
    Overlay,
    apply_overlays,
    is_suggestion,
    iter_items,
    overlay_of,
    recovered_suggestions,
    version_name,
)


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
            history = sorted(self.db.table("history").all(), key=lambda d: int(d["pos"]))
            stored = _state(article, self.db.table("items").all(), history, state)
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
        tables = {
            "article": [state.article.to_dict()],
            "items": _item_docs(state),
            "state": [
                {
                    "sentences": [list(s) for s in state.base.sentences],
                    "order": state.order,
                    "cursors": {name: v.cursor for name, v in state.versions.items()},
                    "seq": seq,
                }
            ],
            "history": [
                {"pos": pos, "version": name, "edit": edit_doc(edit)}
                for pos, (name, edit) in enumerate(
                    (name, edit) for name, v in state.versions.items() for edit in v.history
                )
            ],
        }
        data = {
            name: {str(i): doc for i, doc in enumerate(docs, 1)} for name, docs in tables.items()
        }
        payload = file_bytes(data, *extra) if extra is not None else None
        self.storage.write(data, payload)
        assert self.storage.signature is not None  # set by the write above
        return self.storage.signature


def _state(
    article: Article, docs: list[Any], history_docs: list[Any], state: dict[str, Any]
) -> ArticleState:
    """An article file's tables as a state (``store.versions``: items with a ``version``
    key are that version's overlay; an older file's decisions are split by annotator)."""
    groups: dict[str, list[Any]] = {"entity": [], "quote": [], "statement": []}
    overlays: dict[str, tuple[list[Item], list[tuple[str, str]]]] = {}
    for doc in docs:
        name = doc.get("version")
        if name is not None:
            items, removed = overlays.setdefault(str(name), ([], []))
            if doc.get("removed"):
                removed.append((str(doc["type"]), str(doc["id"])))
            else:
                items.append(item_from_doc(doc))
            continue
        item = item_from_doc(doc)
        if is_suggestion(item):
            groups[doc["type"]].append(item)
        else:
            overlays.setdefault(version_name(item), ([], []))[0].append(item)
    histories: dict[str, list[Edit]] = {}
    applied: dict[str, int] = {}
    legacy = "cursors" not in state
    cursor = int(state.get("cursor", 0))
    if legacy and not 0 <= cursor <= len(history_docs):
        raise ValueError(f"undo cursor {cursor} outside its history")
    for pos, doc in enumerate(history_docs):
        edit = edit_from_doc(doc["edit"])
        name = str(doc.get("version", version_name_of(edit)))
        histories.setdefault(name, []).append(edit)
        if legacy and pos < cursor:
            applied[name] = applied.get(name, 0) + 1
    if legacy:
        for item in recovered_suggestions(
            Annotations(*(tuple(g) for g in groups.values())),
            (e for h in histories.values() for e in h),
        ):
            groups[kind_of(item)].append(item)
    else:
        applied = {str(k): int(v) for k, v in dict(state["cursors"]).items()}
    base = Annotations(
        entities=tuple(sorted(groups["entity"], key=item_order)),
        quotes=tuple(sorted(groups["quote"], key=item_order)),
        statements=tuple(sorted(groups["statement"], key=item_order)),
        sentences=tuple((int(a), int(b)) for a, b in state.get("sentences", ())),
    )
    versions: dict[str, Version] = {}
    for name in sorted(set(overlays) | set(histories)):
        items, removed = overlays.get(name, ([], []))
        history = tuple(histories.get(name, ()))
        at = applied.get(name, 0)
        if not 0 <= at <= len(history):
            raise ValueError(f"undo cursor {at} of version {name!r} outside its history")
        view = apply_overlays(base, [Overlay(tuple(items), tuple(removed))])
        versions[name] = Version(view, history, at)
    return ArticleState(article, base, versions, int(state.get("order", 0)))


def version_name_of(edit: Edit) -> str:
    """The version an edit of an older file (written before versions) belongs to."""
    return edit.annotator or ""


def _item_docs(state: ArticleState) -> list[dict[str, Any]]:
    """The base's items, then each version's overlay (``store.versions``)."""
    docs = [item_doc(i) for i in iter_items(state.base)]
    for name, version in state.versions.items():
        overlay = overlay_of(state.base, version.annotations)
        docs += [{**item_doc(i), "version": name} for i in overlay.items]
        docs += [
            {"type": kind, "id": item_id, "version": name, "removed": True}
            for kind, item_id in overlay.removed
        ]
    return docs


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
    def of(
        cls, state: ArticleState, tokens: bytes | None, annotations: Annotations | None = None
    ) -> ArticleDocs:
        """The documents of an article held in memory (``annotations``: a version of it;
        default: its merged view)."""
        annotations = state.annotations if annotations is None else annotations
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
        versioned: list[dict[str, Any]] = []
        for doc in (data.get("items") or {}).values():
            if "version" in doc:
                versioned.append(doc)
            else:
                groups[doc["type"]].append(doc)
        if versioned:
            groups = _merged_docs(groups, versioned)
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


def _merged_docs(
    groups: dict[str, list[dict[str, Any]]], versioned: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """The merged view (``store.versions``) from the documents: the base's with each
    version's overlay laid over them, the version decided most recently last -- what
    ``ArticleState.annotations`` holds, without building the objects."""
    overlays: dict[str, list[dict[str, Any]]] = {}
    for doc in versioned:
        overlays.setdefault(str(doc["version"]), []).append(doc)

    def latest(docs: list[dict[str, Any]]) -> float:
        return max((float(d.get("timestamp") or 0.0) for d in docs), default=0.0)

    items = {(d["type"], d["id"]): d for docs in groups.values() for d in docs}
    for name in sorted(overlays, key=lambda n: (latest(overlays[n]), n)):
        for doc in overlays[name]:
            if doc.get("removed"):
                items.pop((doc["type"], doc["id"]), None)
        for doc in overlays[name]:
            if not doc.get("removed"):
                items[(doc["type"], doc["id"])] = doc
    merged: dict[str, list[dict[str, Any]]] = {"entity": [], "quote": [], "statement": []}
    for (kind, _), doc in items.items():
        merged[kind].append(doc)
    return merged


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
