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
    ("Accept all pending suggestions", "accept_all",
     "Every pending entity, quote and speaker of the open article, in one undoable step"),
    ("Undo the last decision", "undo", "Take back the open article's last decision (u)"),
    ("Redo", "redo", "Make the last undone decision again (ctrl+y)"),
    ("Search articles", "filter",
     "Words of titles and bodies, speaker:NAME, quote:WORDS, status:, label: (/)"),
    ("Draw a new span or quote", "select",
     "Mark a missed entity or quote in the text, then pick its label or QUOTE (v)"),
    ("Go to an item of this article", "go_to_item",
     "Pick any entity or quote, decided ones too, from a list (g)"),
    ("Next quote", "next_item(1, True)", "Focus the next quote, past the entities (>)"),
    ("Tag the focused statement", "tag", "Claim, accusation, denial… for the quote (t)"),
    ("Set the focused quote's speaker", "speaker",
     "Pick a person or organisation, mark a phrase in the text, or none (s)"),
    ("Mark or clear the focused quote's cue", "cue", "The reporting verb, e.g. said (c)"),
    ("Annotator agreement", "app.agreement",
     "Exact and overlap F1, Cohen's kappa and Krippendorff's alpha between the versions"),
    ("Compare with the other annotators", "app.compare",
     "Every annotator's choice on the open article's items, side by side"),
    ("Analyse this article again", "app.reanalyse",
     "Model suggestions over its decisions, e.g. on gold an import left without them"),
    ("Train a model on the decisions", "app.train",
     "newsread train in the background: progress in the status line, then the scores"),
    ("Show every key", "app.help", "Every key with its binding id, and what the marks mean (?)"),
)  # fmt: skip

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
        for name, action, description in ACTIONS:
            yield DiscoveryHit(name, partial(self._run, action), help=description)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, description in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, name), partial(self._run, action), help=description
                )
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
        self.newsread.main.go_to(article_id)
