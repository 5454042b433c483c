"""A read-only store for exports that walks the articles one at a time.

:meth:`Store.open <store.repository.Store.open>` reads every article's summary into
memory (``index.json`` parsed whole, then one object per article): what the app's list
needs, but an export only walks the articles once, in list order, and with 10,000
articles those summaries (and the parse of the index) were most of its memory -- 67 MB
against 29 MB for 1,000 (``bench/export.py``).  :class:`StreamedStore` gives the export
the same articles without them: it reads ``index.json`` one summary per line (the
layout ``store.index.write_index`` writes, in list order) and holds only the articles
with decisions still in the journal.

It lists exactly what a read-only :class:`~store.repository.Store` would.  The journal
is read first, then the article files, and its decisions are replayed in memory.  A
summary is used only while it describes the file on disk: an article the export wants
is read anyway (and its kept line, ``store.lines``, says its status), one it does not
want costs a ``stat`` to check that its summary is current.  Article files the index
does not list yet (added since it was written: the ``unindexed`` marker of
``store.index`` says when there can be any) are found by listing the article folders,
and come last, as their list order is.  Whenever it cannot be sure to list the
articles as the store would -- an index of an older layout or none, an index out of
list order, a journal or a file it cannot read -- :meth:`StreamedStore.open` returns
``None`` and the caller opens a :class:`Store` (which also reports any problem as it
always did).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple, Protocol

import orjson

from annotate.edits import EditConflict
from annotate.model import Annotations, Article
from store import lines
from store.articles import ArticleDocs, ArticleFile, StoredArticle, read_bytes, read_docs
from store.errors import StoreCorrupt, StoreError
from store.history import ArticleState
from store.index import INDEX_NAME, UNINDEXED_NAME, article_ids, index_entries, open_index
from store.journal import JOURNAL_NAME, JournalContent, read_journal
from store.lines import KeptLine
from store.repository import _SAFE_ID, Listed
from store.schema import SCHEMA_VERSION, read_schema
from store.summary import summarize
from store.tokens import TokenPacks

Wanted = Callable[[str, float], bool]
"""Whether an export wants an article of this status and latest decision time."""


class ArticleSource(Protocol):
    """What an export reads: a :class:`~store.repository.Store` or a :class:`StreamedStore`."""

    def listing(self, wanted: Wanted | None = None) -> Iterator[Listed]: ...
    def kept_line(self, listed: Listed) -> KeptLine | None: ...
    def docs(self, article_id: str) -> ArticleDocs: ...
    def get(self, article_id: str) -> tuple[Article, Annotations]: ...
    def close(self) -> None: ...


class _Held(NamedTuple):
    """An article with decisions not folded into its file, replayed from the journal."""

    state: ArticleState
    status: str
    updated: float


class StreamedStore:
    """A store read for an export, one article at a time (see the module)."""

    def __init__(self, root: Path, index: BinaryIO) -> None:
        self.root = root
        self._index = index
        self._articles_folder = os.path.join(root, "articles")
        self._held: dict[str, _Held] = {}
        self._unindexed: list[Listed] = []
        self._token_packs: TokenPacks | None = None

    @classmethod
    def open(cls, root: str | Path) -> StreamedStore | None:
        """The store at ``root`` read as a stream; ``None`` when it cannot be (see the
        module): the caller then opens it with ``Store.open(root, readonly=True)``."""
        root = Path(root).expanduser()
        try:
            if not root.is_dir() or read_schema(root, create=False) != SCHEMA_VERSION:
                return None
            journal = read_journal(root / JOURNAL_NAME)  # before the article files
            unindexed = (root / UNINDEXED_NAME).exists()  # before the index
        except (StoreError, OSError):
            return None
        index = open_index(root)
        if index is None:
            return None
        stream = cls(root, index)
        try:
            if stream._replay(journal) and (not unindexed or stream._find_unindexed()):
                return stream
        except (StoreError, OSError, ValueError):
            pass
        stream.close()
        return None

    def _replay(self, journal: JournalContent) -> bool:
        """``Store._replay``: the journal's decisions not in the article files yet."""
        states: dict[str, ArticleState] = {}
        stored_seq: dict[str, int] = {}
        touched: set[str] = set()
        for entry in journal.entries:
            article_id, seq = entry["article"], int(entry["seq"])
            if article_id not in stored_seq:
                stored = self._read_file(article_id)  # StoreCorrupt if unknown: the store says
                stored_seq[article_id] = stored.seq
                states[article_id] = stored.state
            if seq <= stored_seq[article_id]:
                continue
            try:
                states[article_id] = states[article_id].replayed(entry)
            except (EditConflict, ValueError, KeyError, TypeError):
                return False
            touched.add(article_id)
        for article_id in touched:
            state = states[article_id]
            summary = summarize(state.article, state.annotations, state.order)
            self._held[article_id] = _Held(state, str(summary.status), summary.updated)
        return True

    def _find_unindexed(self) -> bool:
        """The article files the index does not list (it says there may be some); each
        must sort after every listed article, as articles added later do."""
        on_disk = article_ids(self.root)
        last: tuple[int, str] | None = None
        for raw in index_entries(self._index):
            found = _id_and_order(raw)
            if found is None or (last is not None and (found[1], found[0]) <= last):
                return False
            last = (found[1], found[0])
            on_disk.discard(found[0])
        unindexed = []
        for article_id in on_disk:
            held = self._held.get(article_id)
            if held is not None:
                state, status, updated = held
            else:
                state = self._read_file(article_id).state
                summary = summarize(state.article, state.annotations, state.order)
                status, updated = str(summary.status), summary.updated
            if last is not None and (state.order, article_id) <= last:
                return False
            listed = Listed(article_id, status, updated, held is None)
            unindexed.append(((state.order, article_id), listed))
        self._unindexed = [listed for _, listed in sorted(unindexed)]
        return True

    # -- reading --------------------------------------------------------------------
    def listing(self, wanted: Wanted | None = None) -> Iterator[Listed]:
        """Every article in list order (see :class:`~store.repository.Listed`); with
        ``wanted``, an article whose summary says it is not wanted may be left out (the
        caller filters what comes on the status and time given).

        A wanted article's file is read here, and its kept line (``store.lines``) says
        its status; one without a kept line whose file changed since the index was
        written is read the slow way for its summary.  Raises :class:`StoreCorrupt`
        naming ``index.json`` when it is not in list order (only a hand edit makes it
        so), and naming an article file that cannot be read.
        """
        held = self._held
        last: tuple[int, str] | None = None
        for raw, (article_id, order, status, updated) in self._entries():
            if last is not None and (order, article_id) <= last:
                raise self._damaged_index("it is not in list order")
            last = (order, article_id)
            if article_id in held:
                _, status, updated = held[article_id]
                yield Listed(article_id, status, updated, False)
                continue
            path = self._article_file(article_id)
            if wanted is None or wanted(status, updated):
                raw_file = read_bytes(path)
                if raw_file is None:
                    continue  # gone since the index was written
                kept = lines.kept_in(raw_file, article_id)
                if kept is not None:
                    yield Listed(article_id, kept.status, kept.updated, True, kept)
                    continue
            listed = self._current(article_id, path, raw, status, updated)
            if listed is not None and (wanted is None or wanted(listed.status, listed.updated)):
                yield listed
        yield from self._unindexed

    def _entries(self) -> Iterator[tuple[bytes, tuple[str, int, str, float]]]:
        """The index's summaries, each with :func:`_fields`; a damaged index (only a
        hand edit or a disk fault makes one: it is written atomically) is named."""
        entries = index_entries(self._index)
        while True:
            try:
                raw = next(entries)
                fields = _fields(raw)
            except StopIteration:
                return
            except (ValueError, KeyError, TypeError) as exc:
                raise self._damaged_index(f"a summary is malformed ({exc})") from exc
            yield raw, fields

    def _damaged_index(self, reason: str) -> StoreCorrupt:
        return StoreCorrupt(
            self.root / INDEX_NAME,
            reason,
            advice="delete it (it is a cache: newsread writes it anew) and export again",
        )

    def _current(
        self, article_id: str, path: str, raw: bytes, status: str, updated: float
    ) -> Listed | None:
        """The article as its file is now: the index's summary when it describes that
        file, else the file's own (``None`` when the file is gone)."""
        try:
            found = os.stat(path)
        except FileNotFoundError:
            return None
        signature = [found.st_ino, found.st_mtime_ns, found.st_size]
        try:
            if orjson.loads(raw)["signature"] == signature:
                return Listed(article_id, status, updated)
        except (orjson.JSONDecodeError, KeyError, TypeError):
            pass
        state = self._read_file(article_id).state
        summary = summarize(state.article, state.annotations, state.order)
        return Listed(article_id, str(summary.status), summary.updated)

    def kept_line(self, listed: Listed) -> KeptLine | None:
        """The kept line :meth:`listing` read with the article, if any."""
        return listed.kept

    def docs(self, article_id: str) -> ArticleDocs:
        """As ``Store.docs``."""
        if self._token_packs is None:
            self._token_packs = TokenPacks(self.root)
        tokens = self._token_packs.get(article_id)
        held = self._held.get(article_id)
        if held is not None:
            return ArticleDocs.of(held.state, tokens)
        path = self._article_file(article_id)
        docs = read_docs(path, tokens)
        if docs.article.get("id") != article_id:
            raise StoreCorrupt(Path(path), f"it holds article {docs.article.get('id')!r}")
        return docs

    def get(self, article_id: str) -> tuple[Article, Annotations]:
        """As ``Store.get``."""
        held = self._held.get(article_id)
        state = held.state if held is not None else self._read_file(article_id).state
        return state.article, state.annotations

    def close(self) -> None:
        """Close the index and the token packs."""
        self._index.close()
        if self._token_packs is not None:
            self._token_packs.close()
            self._token_packs = None

    def __enter__(self) -> StreamedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _article_file(self, article_id: str) -> str:
        if not _SAFE_ID.fullmatch(article_id):
            raise StoreError(f"article id {article_id!r} cannot be used as a file name")
        return f"{self._articles_folder}/{article_id[:2]}/{article_id}.json"

    def _read_file(self, article_id: str) -> StoredArticle:
        path = Path(self._article_file(article_id))
        stored = ArticleFile(path, readonly=True).read()
        if stored.state.article.id != article_id:
            raise StoreCorrupt(path, f"it holds article {stored.state.article.id!r}")
        return stored


# A summary line of the index starts {"id":"…", and a raw ,"key": cannot be inside a
# JSON string (its quotes are escaped): the fields an export selects on are found
# without parsing the whole summary (``ArticleSummary.to_dict`` writes each once).
_ID_START = b'{"id":"'
_ORDER = b',"order":'
_STATUS = b',"status":"'
_UPDATED = b',"updated":'


def _id_and_order(raw: bytes) -> tuple[str, int] | None:
    """The id and list order of an index summary; ``None`` if it is not one."""
    if not raw.startswith(_ID_START):
        return None
    try:
        at = raw.index(_ORDER) + len(_ORDER)
        return raw[len(_ID_START) : raw.index(b'"', len(_ID_START))].decode(), int(
            raw[at : raw.index(b",", at)]
        )
    except ValueError:
        return None


def _fields(raw: bytes) -> tuple[str, int, str, float]:
    """Id, list order, status and latest decision time of an index summary."""
    try:
        at = raw.index(_ORDER) + len(_ORDER)
        order = int(raw[at : raw.index(b",", at)])
        at = raw.index(_STATUS) + len(_STATUS)
        status = raw[at : raw.index(b'"', at)].decode()
        at = raw.index(_UPDATED) + len(_UPDATED)
        updated = float(raw[at : raw.index(b",", at)])
        if not raw.startswith(_ID_START):
            raise ValueError("no id first")
        return (
            raw[len(_ID_START) : raw.index(b'"', len(_ID_START))].decode(),
            order,
            status,
            updated,
        )
    except ValueError:  # written by hand? the whole summary says it
        doc = orjson.loads(raw)
        return str(doc["id"]), int(doc["order"]), str(doc["status"]), float(doc["updated"])
