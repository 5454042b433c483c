"""The annotation repository: the one object the app and the commands talk to.

Layout of a store folder::

    meta.json                  schema version (refuses stores it cannot read)
    index.json                 TinyDB table of article summaries (a cache, see below)
    articles/ab/abcdef….json   one TinyDB file per article (see ``store.articles``)
    .lock                      the writer lock

Why this shape (measured on the project's 2-core machines): TinyDB's default storage
rewrites the whole database on every insert, which costs milliseconds per thousand
records and grows without bound.  Here a decision rewrites only its article's file
(atomically, fsynced: see ``store.durable``), so its cost does not depend on the size
of the store.  The list of articles with status and counts comes from ``index.json``,
a derived cache: every entry remembers the size and mtime of the article file it was
computed from, and on open any file that changed since (a crash before the index was
written, say) is read again.  The index is therefore rewritten only at bulk imports
and on close, never on the keystroke path, and can be deleted without losing data.

One process writes at a time: :meth:`Store.open` takes a file lock, and a second
process gets a read-only store (``Store.readonly``) whose writes raise
:class:`~store.errors.StoreReadOnly`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout

from annotate.edits import Edit, merge_suggestions
from annotate.model import Annotations, Article, ArticleStatus
from store.articles import ArticleFile
from store.durable import atomic_write_bytes, read_json_file
from store.errors import SchemaError, StoreCorrupt, StoreError, StoreReadOnly, StoreWriteError

SCHEMA_VERSION = 1
STORE_KIND = "newsread-store"


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What the article list shows, and what ``stats`` and filters count."""

    id: str
    title: str
    source: str
    published: str | None
    status: ArticleStatus
    pending: int
    decided: int
    entities: int
    quotes: int
    statements: int
    analysed: bool
    order: int
    updated: float
    labels: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    signature: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for ``index.json``."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["status"] = str(self.status)
        data["labels"] = list(self.labels)
        data["signature"] = list(self.signature)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleSummary:
        """Build a summary from ``to_dict`` output."""
        values = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        values["status"] = ArticleStatus(values["status"])
        values["labels"] = tuple(values.get("labels", ()))
        values["signature"] = tuple(values.get("signature", (0, 0)))
        return cls(**values)


def summarize(
    article: Article, annotations: Annotations, order: int, signature: tuple[int, int]
) -> ArticleSummary:
    """The list entry of an article, with per (kind, label, status, annotator) counts."""
    counts: Counter[str] = Counter()
    for span in annotations.entities:
        counts[f"entity|{span.label}|{span.status}|{span.annotator or ''}"] += 1
    for quote in annotations.quotes:
        counts[f"quote|{quote.kind}|{quote.status}|{quote.annotator or ''}"] += 1
    for statement in annotations.statements:
        for tag in statement.tags:
            counts[f"statement|{tag}|accepted|{statement.annotator or ''}"] += 1
    stamps = [
        i.timestamp
        for i in (*annotations.entities, *annotations.quotes, *annotations.statements)
        if i.timestamp
    ]
    analysed = article.analysis is not None
    return ArticleSummary(
        id=article.id,
        title=article.title,
        source=article.source,
        published=article.published,
        status=annotations.status(analysed),
        pending=annotations.pending,
        decided=annotations.decided,
        entities=len(annotations.entities),
        quotes=len(annotations.quotes),
        statements=len(annotations.statements),
        analysed=analysed,
        order=order,
        updated=max(stamps, default=0.0),
        labels=tuple(sorted({s.label for s in annotations.entities})),
        counts=dict(counts),
        signature=signature,
    )


def _signature(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_mtime_ns, st.st_size)


class Store:
    """A newsread store folder.  Create with :meth:`open`; close when done."""

    def __init__(self, root: Path, *, readonly: bool, lock: FileLock | None) -> None:
        self.root = root
        self.readonly = readonly
        self._lock = lock
        self._summaries: dict[str, ArticleSummary] = {}
        self._index_dirty = False

    # -- opening and closing --------------------------------------------------
    @classmethod
    def open(cls, root: str | Path, *, readonly: bool = False) -> Store:
        """Open (or create) the store at ``root``.

        The writer lock is taken unless ``readonly``; when another process holds
        it the store opens read-only (check :attr:`readonly`).
        """
        root = Path(root).expanduser()
        lock: FileLock | None = None
        if not readonly:
            try:
                root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreWriteError(
                    f"cannot create store folder {root}: {exc.strerror or exc}"
                ) from exc
            if not os.access(root, os.W_OK):
                raise StoreWriteError(f"store folder {root} is not writable")
            lock = FileLock(str(root / ".lock"))
            try:
                lock.acquire(timeout=0)
            except Timeout:
                lock, readonly = None, True
            except OSError as exc:
                raise StoreWriteError(f"cannot lock store {root}: {exc.strerror or exc}") from exc
        elif not root.is_dir():
            raise StoreError(f"no store at {root}")
        store = cls(root, readonly=readonly, lock=lock)
        try:
            store._check_schema()
            store._load_index()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Write the index if it changed and release the writer lock."""
        try:
            if self._index_dirty and not self.readonly:
                self.flush_index()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_schema(self) -> None:
        meta_path = self.root / "meta.json"
        meta = read_json_file(meta_path)
        if meta is None:
            if any(p.name not in {".lock"} for p in self.root.iterdir()):
                raise SchemaError(f"{self.root} is not a newsread store (no meta.json)")
            if self.readonly:
                return
            atomic_write_bytes(
                meta_path, orjson.dumps({"kind": STORE_KIND, "schema": SCHEMA_VERSION})
            )
            return
        if not isinstance(meta, dict) or meta.get("kind") != STORE_KIND:
            raise StoreCorrupt(meta_path, "it is not a newsread store header")
        version = meta.get("schema")
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise SchemaError(
                f"{self.root} uses store schema {version}, newer than this newsread "
                f"({SCHEMA_VERSION}); upgrade newsread to open it"
            )

    # -- the index ------------------------------------------------------------
    def _article_path(self, article_id: str) -> Path:
        return self.root / "articles" / article_id[:2] / f"{article_id}.json"

    def _file(self, article_id: str) -> ArticleFile:
        return ArticleFile(self._article_path(article_id), readonly=self.readonly)

    def _load_index(self) -> None:
        data = read_json_file(self.root / "index.json") or {}
        try:
            table = data.get("articles", {}) if isinstance(data, dict) else {}
            cached = {d["id"]: ArticleSummary.from_dict(d) for d in table.values()}
        except (KeyError, TypeError, ValueError):
            cached = {}  # the index is a cache: rebuild it from the article files
        on_disk = self._scan_article_files()
        for article_id, path in on_disk.items():
            summary = cached.get(article_id)
            signature = _signature(path)
            if summary is None or summary.signature != signature:
                summary = self._summarize_file(article_id, signature)
                self._index_dirty = True
            self._summaries[article_id] = summary
        if set(cached) - set(on_disk):
            self._index_dirty = True

    def _scan_article_files(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        folder = self.root / "articles"
        if not folder.is_dir():
            return found
        for bucket in os.scandir(folder):
            if not bucket.is_dir():
                continue
            for entry in os.scandir(bucket.path):
                if entry.name.endswith(".json") and not entry.name.startswith("."):
                    found[entry.name[:-5]] = Path(entry.path)
        return found

    def _summarize_file(self, article_id: str, signature: tuple[int, int]) -> ArticleSummary:
        file = self._file(article_id)
        return summarize(
            file.article(), file.annotations(), int(file.state().get("order", 0)), signature
        )

    def flush_index(self) -> None:
        """Write the article summaries to ``index.json`` (a cache; safe to skip on crash)."""
        self._require_writer()
        table = {str(i + 1): s.to_dict() for i, s in enumerate(self.list_articles())}
        atomic_write_bytes(self.root / "index.json", orjson.dumps({"articles": table}))
        self._index_dirty = False

    def _refresh_summary(self, article_id: str, article: Article, annotations: Annotations) -> None:
        old = self._summaries.get(article_id)
        order = old.order if old else len(self._summaries)
        path = self._article_path(article_id)
        self._summaries[article_id] = summarize(article, annotations, order, _signature(path))
        self._index_dirty = True

    # -- reading ----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._summaries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._summaries

    def list_articles(self) -> list[ArticleSummary]:
        """Every article's summary in list order (the order they were added)."""
        return sorted(self._summaries.values(), key=lambda s: (s.order, s.id))

    def summary(self, article_id: str) -> ArticleSummary:
        """One article's list entry."""
        return self._summaries[article_id]

    def get(self, article_id: str) -> tuple[Article, Annotations]:
        """An article with all its suggestions and decisions."""
        if article_id not in self._summaries:
            raise KeyError(article_id)
        file = self._file(article_id)
        return file.article(), file.annotations()

    def history(self, article_id: str) -> tuple[list[Edit], int]:
        """The decision log of an article and how many of its entries are applied."""
        file = self._file(article_id)
        return file.history(), int(file.state().get("cursor", 0))

    def iter_articles(self) -> Iterator[tuple[Article, Annotations]]:
        """Every article with its annotations, in list order, one file at a time."""
        for summary in self.list_articles():
            yield self.get(summary.id)

    # -- writing ----------------------------------------------------------------
    def _require_writer(self) -> None:
        if self.readonly:
            raise StoreReadOnly(
                f"store {self.root} is open read-only (another newsread is writing to it)"
            )

    def add_article(self, article: Article, annotations: Annotations | None = None) -> bool:
        """Add an article; ``False`` (and nothing written) when its id is already stored."""
        self._require_writer()
        if article.id in self._summaries:
            return False
        annotations = annotations or Annotations()
        file = self._file(article.id)
        file.create(article, annotations, order=self._next_order())
        self._refresh_summary(article.id, article, annotations)
        return True

    def add_articles(self, items: Iterable[tuple[Article, Annotations | None]]) -> list[bool]:
        """Add many articles and write the index once at the end."""
        added = [self.add_article(a, ann) for a, ann in items]
        self.flush_index()
        return added

    def _next_order(self) -> int:
        return max((s.order for s in self._summaries.values()), default=-1) + 1

    def save_analysis(
        self, article_id: str, suggested: Annotations, analysis: dict[str, Any]
    ) -> Annotations:
        """Store a new analysis, keeping every decision already made on the article."""
        self._require_writer()
        file = self._file(article_id)
        article = file.article()
        merged = merge_suggestions(file.annotations(), suggested)
        article = Article.from_dict({**article.to_dict(), "analysis": analysis})
        file.replace_annotations(merged, article=article)
        self._refresh_summary(article_id, article, merged)
        return merged

    def commit(self, article_id: str, edit: Edit) -> Annotations:
        """Apply a decision durably: when this returns, it is on disk with its history."""
        self._require_writer()
        file = self._file(article_id)
        article, annotations = file.article(), file.annotations()
        updated = file.record(annotations, edit)
        self._refresh_summary(article_id, article, updated)
        return updated

    def undo(self, article_id: str) -> tuple[Annotations, Edit] | None:
        """Undo the article's last decision (also after a restart); ``None`` if none."""
        return self._step(article_id, back=True)

    def redo(self, article_id: str) -> tuple[Annotations, Edit] | None:
        """Redo the last undone decision; ``None`` if there is none."""
        return self._step(article_id, back=False)

    def _step(self, article_id: str, *, back: bool) -> tuple[Annotations, Edit] | None:
        self._require_writer()
        file = self._file(article_id)
        article, annotations = file.article(), file.annotations()
        result = file.step(annotations, back=back)
        if result is not None:
            self._refresh_summary(article_id, article, result[0])
        return result

    def last_touched(self) -> str | None:
        """The article with the most recent decision, to reopen the app where it was left."""
        touched = [s for s in self._summaries.values() if s.updated]
        return max(touched, key=lambda s: s.updated).id if touched else None
