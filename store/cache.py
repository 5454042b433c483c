"""The parsed articles a store holds in memory: a bounded LRU that never drops the
articles with decisions not folded into their files yet (their only copy besides the
journal).

An import, or the background making of extra tables, writes thousands of articles in a
session: without a bound every one of them would stay parsed in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from store.history import ArticleState


class ArticleCache:
    """Article states by id, least recently used first; ``unfolded`` ones are pinned."""

    def __init__(self, size: int) -> None:
        self.size = size
        """How many states are kept besides the pinned ones."""
        self._states: OrderedDict[str, ArticleState] = OrderedDict()
        self.unfolded: set[str] = set()
        """Articles with decisions only in the journal: kept until they are folded."""

    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._states

    def __iter__(self) -> Iterator[str]:
        return iter(self._states)

    def peek(self, article_id: str) -> ArticleState | None:
        """The state if held, without making it recently used (a reader's look)."""
        return self._states.get(article_id)

    def get(self, article_id: str) -> ArticleState | None:
        """The state if held, now the most recently used."""
        state = self._states.get(article_id)
        if state is not None:
            self._states.move_to_end(article_id)
        return state

    def put(self, article_id: str, state: ArticleState, *, unfolded: bool = False) -> None:
        """Hold ``state`` as the most recently used (``unfolded``: pinned until
        :meth:`folded`), dropping the least recently used unpinned ones past the bound."""
        states = self._states
        states[article_id] = state
        states.move_to_end(article_id)
        if unfolded:
            self.unfolded.add(article_id)
        excess = len(states) - len(self.unfolded) - self.size  # every pinned one is here
        if excess > 0:
            for old in [i for i in states if i not in self.unfolded][:excess]:
                del states[old]

    def folded(self, article_id: str) -> None:
        """The article's file now holds all its decisions: it may be dropped."""
        self.unfolded.discard(article_id)

    def drop(self, article_id: str) -> None:
        """Forget the article's state (its file changed under the store)."""
        self._states.pop(article_id, None)

    def oldest_unfolded(self) -> str | None:
        """The least recently used article with unfolded decisions, if any."""
        return next((i for i in self._states if i in self.unfolded), None)
