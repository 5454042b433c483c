"""The store's read API for exports: a read-only store that walks the articles one at a time.

What a reader may use is :func:`open_source` and the methods a :class:`StreamedStore`
shares with a read-only :class:`~store.repository.Store`: ``listing``, ``extra_table``,
``docs``, ``get`` and ``close`` (``annotate.export.source.ArticleSource``).

:meth:`Store.open <store.repository.Store.open>` reads every article's summary into
memory (``index.json`` parsed whole, then one object per article): what the app's list
needs, but an export only walks the articles once, in list order, and those summaries
(and the parse of the index) would make its memory grow with the store
(``bench/export.py`` checks it does not).  :class:`StreamedStore` gives the export
the same articles without them: it reads ``index.json`` one summary per line (the
layout ``store.index.write_index`` writes, in list order) and holds only the articles
with decisions still in the journal, and the few fields an export needs of the
summaries of ``index.log`` (which replace the index's, or list articles added since:
at most a quarter of the store, see ``store.index``).

It lists exactly what a read-only :class:`~store.repository.Store` would.  The journal
is read first, then the article files, and its decisions are replayed in memory.  A
summary is used only while it describes the file on disk: an article the export wants
is read anyway (and its extra table, ``store.trailer``, says its status), one it does not
want costs a ``stat`` to check that its summary is current.  Article files the index
does not list -- added since it was written (a writer writes the index after adding
articles, and a crash can come in between), copied in by hand -- are found by listing
the article folders, as the store scans them (names only: no ``stat``), and come last,
as their list order is.  Whenever it cannot be sure to list the articles as the store
would -- an index of an older layout or none, an index out of list order, an article
the index does not list that does not sort after those it does, a journal or a file it
cannot read -- :meth:`StreamedStore.open` returns ``None`` and the caller opens a
:class:`Store` (which also reports any problem as it always did: a damaged file is
named).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

import orjson

from annotate.model import Annotations, Article
from store.articles import (
    ArticleDocs,
    ListedArticle,
    StoredArticle,
    article_file,
    read_article,
    read_bytes,
    read_docs,
)
from store.durable import signature_of
from store.errors import StoreCorrupt, StoreError
from store.history import ArticleState
from store.index import (
    INDEX_NAME,
    article_id_of,
    article_names,
    open_index,
    read_log,
    summary_of,
)
from store.journal import JOURNAL_NAME, JournalContent, read_journal
from store.loading import replay_entries
from store.repository import Store
from store.schema import SCHEMA_VERSION, read_schema
from store.summary import summarize
from store.tokens import TokenPacks
from store.trailer import FoundExtra, find_extra

Wanted = Callable[[str, float], bool]
"""Whether an export wants an article of this status and latest decision time."""


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
        self._articles_dir = os.path.join(root, "articles")
        self._held: dict[str, _Held] = {}
        self._unindexed: list[ListedArticle] = []
        self._token_packs: TokenPacks | None = None
        self._logged: dict[bytes, _Fields] = {}
        """The summaries of ``index.log``, by id: they replace the index's."""
        self._log_only: list[_Fields] = []
        """Those of articles the index does not list, in list order (after its own)."""

    @classmethod
    def open(cls, root: str | Path) -> StreamedStore | None:
        """The store at ``root`` read as a stream; ``None`` when it cannot be (see the
        module): the caller then opens it with ``Store.open(root, readonly=True)``."""
        root = Path(root).expanduser()
        try:
            if not root.is_dir() or read_schema(root, create=False) != SCHEMA_VERSION:
                return None
            journal = read_journal(root / JOURNAL_NAME)  # before the article files
        except (StoreError, OSError):
            return None
        index = open_index(root)
        if index is None:
            return None
        stream = cls(root, index)
        try:
            stream._read_log()
            if stream._replay(journal) and stream._find_unindexed():
                return stream
        except (StoreError, OSError, ValueError):
            pass
        stream.close()
        return None

    def _replay(self, journal: JournalContent) -> bool:
        """As the store replays: the journal's decisions not in the article files yet
        (an unknown article raises :class:`StoreCorrupt`, an entry that does not apply
        ``ValueError``: the store then opens the slow way and reports them)."""
        states, touched = replay_entries(journal.entries, self._read_file)
        for article_id in touched:
            state = states[article_id]
            summary = summarize(state.article, state.annotations, state.order)
            self._held[article_id] = _Held(state, str(summary.status), summary.updated)
        return True

    def _read_log(self) -> None:
        """The summaries of ``index.log`` when it follows the very ``index.json`` opened
        (a log of another index is ignored: its articles are then read as unindexed).
        A damaged line is left out the same way."""
        lines, _ = read_log(self.root, signature_of(os.fstat(self._index.fileno())))
        for line in lines:
            try:
                fields = _fields(line)
            except (ValueError, KeyError, TypeError):
                continue
            self._logged[fields.id.encode()] = fields

    def _find_unindexed(self) -> bool:
        """Read the article files the index does not list (see the module), and check
        that the index is in list order; ``False`` when an unlisted article does not
        sort after every listed one, as articles added later do, or the index is out of
        order or cut short: the store is then read whole instead.  A damaged file
        raises :class:`StoreCorrupt`, which the store reports too.

        This pass reads only each summary's id and order (a tenth of the cost of
        :meth:`_entries`: it runs before every export); a summary damaged further on
        is named by :meth:`listing`."""
        on_disk = article_names(self.root)
        last: tuple[int, bytes] | None = None
        match, discard = _ID_AND_ORDER.match, on_disk.discard
        log_only = dict(self._logged)
        self._index.seek(len(_INDEX_HEAD))
        try:
            for line in self._index:
                found = match(line)
                if found is not None:
                    key = (int(found[2]), found[1])
                elif line == _INDEX_TAIL:
                    break
                else:
                    fields = _fields(summary_of(line))  # keys in another order
                    key = (fields.order, fields.id.encode())
                if last is not None and key <= last:
                    return False
                last = key
                discard(key[1] + b".json")
                if log_only:
                    log_only.pop(key[1], None)
            else:
                return False  # cut short
        except (ValueError, KeyError, TypeError):
            return False
        self._log_only = sorted(log_only.values(), key=lambda f: (f.order, f.id))
        for fields in self._log_only:  # added since the index: after it, in order
            key = (fields.order, fields.id.encode())
            if last is not None and key <= last:
                return False
            last = key
            discard(key[1] + b".json")
        unindexed = []
        for name in on_disk:
            article_id = article_id_of(name)
            if article_id is None:
                continue
            held = self._held.get(article_id)
            if held is not None:
                state, status, updated = held
            else:
                state = self._read_file(article_id).state
                summary = summarize(state.article, state.annotations, state.order)
                status, updated = str(summary.status), summary.updated
            if last is not None and (state.order, name[:-5]) <= last:
                return False
            listed = ListedArticle(article_id, status, updated, held is None)
            unindexed.append(((state.order, article_id), listed))
        self._unindexed = [listed for _, listed in sorted(unindexed)]
        return True

    # -- reading --------------------------------------------------------------------
    def listing(
        self, wanted: Wanted | None = None, *, extra: bool = False
    ) -> Iterator[ListedArticle]:
        """Every article in list order (see :class:`~store.articles.ListedArticle`); with
        ``wanted``, an article whose summary says it is not wanted may be left out (the
        caller filters what comes on the status and time given).

        With ``extra``, a wanted article's file is read here for its extra table
        (``store.trailer``), which also says its status.  Any other article costs a
        ``stat``: its summary is used while it describes the file on disk, else the
        file is read the slow way for its own.  Raises :class:`StoreCorrupt` naming an
        article file that cannot be read.
        """
        held, folder = self._held, self._articles_dir
        for fields in self._entries():  # in list order: checked by open
            article_id, _, status, updated, signature = fields
            if article_id in held:
                _, status, updated = held[article_id]
                yield ListedArticle(article_id, status, updated, False)
                continue
            path = f"{folder}/{article_id[:2]}/{article_id}.json"  # a safe id: see _LISTED
            want = wanted is None or wanted(status, updated)
            if want and extra:
                raw = read_bytes(path)
                if raw is None:
                    continue  # gone since the index was written
                found = find_extra(raw, article_id)
                if found is not None:
                    yield ListedArticle(article_id, found.status, found.updated, True, found)
                    continue
            current = _signature(path)
            if current is None:
                continue
            if current != signature:  # rewritten since the index was written
                state = self._read_file(article_id).state
                summary = summarize(state.article, state.annotations, state.order)
                status, updated = str(summary.status), summary.updated
                want = wanted is None or wanted(status, updated)
            if want:
                yield ListedArticle(article_id, status, updated)
        yield from self._unindexed

    def _entries(self) -> Iterator[_Fields]:
        """The index's summaries (:func:`_fields`); a damaged index (only a hand edit or
        a disk fault makes one: it is written atomically) is named.  The summaries of
        ``store.index.write_index`` are matched here, line by line, in one step (this
        runs once per article of an export); any other line is parsed whole."""
        match, tail, logged = _LISTED_LINE.match, _INDEX_TAIL, self._logged
        self._index.seek(len(_INDEX_HEAD))
        try:
            for line in self._index:
                found = match(line)
                if found is not None:
                    article_id, order, status, updated, signature = found.groups()
                    if logged and article_id in logged:
                        yield logged[article_id]
                        continue
                    yield _Fields(
                        article_id.decode(), int(order), status.decode(), float(updated), signature
                    )
                elif line == tail:
                    yield from self._log_only
                    return
                else:
                    fields = _fields(summary_of(line))
                    yield logged.get(fields.id.encode(), fields)
            raise ValueError("the index is cut short")
        except (ValueError, KeyError, TypeError) as exc:
            raise self._damaged_index(f"a summary is malformed ({exc})") from exc

    def _damaged_index(self, reason: str) -> StoreCorrupt:
        return StoreCorrupt(
            self.root / INDEX_NAME,
            reason,
            advice="delete it (it is a cache: newsread writes it anew) and export again",
        )

    def extra_table(self, listed: ListedArticle) -> FoundExtra | None:
        """The extra table :meth:`listing` read with the article, if any."""
        return listed.extra

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
        return article_file(self._articles_dir, article_id)

    def _read_file(self, article_id: str) -> StoredArticle:
        return read_article(Path(self._article_file(article_id)), article_id)


class _Fields(NamedTuple):
    """What an export needs of an index summary (``signature`` as its JSON digits)."""

    id: str
    order: int
    status: str
    updated: float
    signature: bytes


# ``store.index.write_index`` starts every summary with these keys, in this order (an
# id as the store's file names allow, see ``store.articles``).
_LISTED_FIELDS = (
    rb'\{"id":"([A-Za-z0-9_-]{1,128})","order":(-?[0-9]+),"status":"([a-z ]+)",'
    rb'"updated":([-+0-9.eE]+),"signature":\[([0-9,]*)\],'
)
_LISTED = re.compile(_LISTED_FIELDS)
_ID_AND_ORDER = re.compile(rb'"[0-9]+":\{"id":"([A-Za-z0-9_-]{1,128})","order":(-?[0-9]+),')
_INDEX_HEAD, _INDEX_TAIL = b'{"articles":{\n', b"}}"  # store.index.write_index
_LISTED_LINE = re.compile(rb'"[0-9]+":' + _LISTED_FIELDS + rb".*\},?\n\Z", re.S)


def _fields(raw: bytes) -> _Fields:
    """The fields of an index summary an export needs; ``ValueError``/``KeyError``/
    ``TypeError`` when it is not a summary."""
    found = _LISTED.match(raw)
    if found is not None:
        article_id, order, status, updated, signature = found.groups()
        return _Fields(article_id.decode(), int(order), status.decode(), float(updated), signature)
    doc = orjson.loads(raw)  # keys in another order: written by hand, or by another version
    signature = b",".join(b"%d" % int(n) for n in doc.get("signature", ()))
    return _Fields(
        str(doc["id"]), int(doc["order"]), str(doc["status"]), float(doc["updated"]), signature
    )


def _signature(path: str) -> bytes | None:
    """A file's signature (``store.durable``) as the index writes it; ``None`` if gone."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return b"%d,%d,%d" % (found.st_ino, found.st_mtime_ns, found.st_size)


def open_source(root: str | Path) -> StreamedStore | Store:
    """The store at ``root`` for an export: read as a stream (memory that does not grow
    with the store), or opened read-only when it cannot be streamed."""
    return StreamedStore.open(root) or Store.open(root, readonly=True)
