"""Command palette (ctrl+p): the annotation actions and "go to article"."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

if TYPE_CHECKING:
    from tui.app import NewsreadApp

ACTIONS = (
    ("Accept all pending suggestions", "accept_all"),
    ("Undo the last decision", "undo"),
    ("Redo", "redo"),
    ("Filter articles", "filter"),
    ("Draw a new span", "select"),
    ("Tag the focused statement", "tag"),
    ("Set the focused quote's speaker", "speaker"),
    ("Mark or clear the focused quote's cue", "cue"),
    ("Annotator agreement", "app.agreement"),
    ("Compare with the other annotators", "app.compare"),
    ("Show every key", "app.help"),
)

MAX_ARTICLE_HITS = 50


def highlight(matcher: Matcher, candidate: str) -> Content:
    """The candidate with its matched letters underlined, never parsed as markup.

    ``Matcher.highlight`` parses the candidate as markup, and article titles are
    untrusted text: a title holding ``[bold]`` must show literally.
    """
    content = Content(candidate)
    _, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize("underline", offset, offset + 1)
    return content


class ArticleCommands(Provider):
    """Actions by name, and every article by title."""

    @property
    def newsread(self) -> NewsreadApp:
        """The app (typed)."""
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        for name, action in ACTIONS:
            yield DiscoveryHit(name, partial(self._run, action), help="action")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlight(matcher, name), partial(self._run, action))
        shown = 0
        for summary in self.newsread.store.list_articles():
            label = f"Go to: {summary.title}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, label),
                    partial(self._go_to, summary.id),
                    help=f"{summary.status} · {summary.pending} pending",
                )
                shown += 1
                if shown >= MAX_ARTICLE_HITS:
                    return

    async def _run(self, action: str) -> None:
        if action.startswith("app."):
            await self.app.run_action(action[4:])
        else:
            await self.app.run_action(action, self.newsread.main)

    def _go_to(self, article_id: str) -> None:
        main = self.newsread.main
        main.action_escape()
        main.article_list.move_to(article_id)
        self.newsread.open_article(article_id)
