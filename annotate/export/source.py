"""What an export reads: a store seen through a few methods (``store.reading`` gives one).

A protocol rather than an import keeps the layers one way (``store`` imports
``annotate``, never the reverse) while the export walks the store at its own pace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from annotate.model import Annotations, Article

Wanted = Callable[[str, float], bool]
"""Whether an export wants an article of this status and latest decision time."""


class ExtraFound(Protocol):
    """An intact extra table the store found with an article (``store.trailer``)."""

    @property
    def meta(self) -> dict[str, Any]: ...
    @property
    def payload(self) -> memoryview: ...


class ListedArticle(Protocol):
    """An article as the store lists it: what an export selects on."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def updated(self) -> float: ...


class ArticleDocs(Protocol):
    """An article's content as plain ``to_dict`` documents, and its cached tokens."""

    @property
    def article(self) -> dict[str, Any]: ...
    @property
    def entities(self) -> list[dict[str, Any]]: ...
    @property
    def quotes(self) -> list[dict[str, Any]]: ...
    @property
    def statements(self) -> list[dict[str, Any]]: ...
    @property
    def tokens(self) -> bytes | None: ...


class ArticleSource(Protocol):
    """A store as an export reads it, one article at a time."""

    def listing(
        self, wanted: Wanted | None = None, *, extra: bool = False
    ) -> Iterator[ListedArticle]:
        """Every article in list order; with ``extra``, read with its extra table."""
        ...

    def extra_table(self, listed: Any) -> ExtraFound | None:
        """The extra table of a listed article when it describes its current content."""
        ...

    def docs(self, article_id: str) -> ArticleDocs:
        """The fast read: documents and cached tokens."""
        ...

    def get(self, article_id: str) -> tuple[Article, Annotations]:
        """The article and its annotations as objects."""
        ...

    def close(self) -> None:
        """Release what the source holds open."""
        ...
