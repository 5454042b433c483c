"""The main screen: article list, reader, side panel; every annotation key lives here.

Keys act on the open article wherever the focus is (list or reader), except inside
the filter input.  None of them is a priority binding: every key then travels the
same path (focused widget, then this screen) and is handled in the order it was
typed -- a priority binding overtakes keys still queued, so "a" then tab typed fast
would move the focus before the accept.

Each decision key turns into an :class:`~annotate.edits.Edit` (see
``annotate.actions``), the app saves it in the store (durable when the call
returns), and only then does the screen move on: repaint, focus the next suggestion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input

from annotate import actions
from annotate.edits import Edit
from annotate.model import Annotations, Article, Quote, Span, Status
from annotate.tokens import tokenize
from store import ArticleSummary
from tui.filtering import parse_filter
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.details import DetailsPanel
from tui.widgets.legend import Legend
from tui.widgets.text_layout import visible
from tui.widgets.text_lines import TextLines

if TYPE_CHECKING:
    from tui.app import NewsreadApp
    from tui.screens.pickers import SpeakerChoice

SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")

# Actions that change the open article; refused while typing in an input or drawing.
DECISIONS = frozenset(
    {
        "accept", "reject", "skip", "relabel", "quick_label", "move_edge", "select",
        "speaker", "cue", "tag", "accept_all", "undo", "redo", "next_suggestion",
        "prev_suggestion", "next_article", "prev_article",
    }
)  # fmt: skip


class AnnotateScreen(Screen[None]):
    """List, reader and side panel with the annotation keys of DESIGN.md."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab,n", "next_suggestion", "Next", id="next",
                tooltip="Focus the next pending suggestion"),
        Binding("shift+tab,p", "prev_suggestion", "Prev", id="prev",
                tooltip="Focus the previous pending suggestion"),
        Binding("a", "accept", "Accept", id="accept", tooltip="Accept the focused span"),
        Binding("x", "reject", "Reject", id="reject", tooltip="Reject the focused span"),
        Binding("space", "skip", "Skip", id="skip", show=False,
                tooltip="Leave it pending and move on"),
        Binding("l", "relabel", "Label", id="relabel",
                tooltip="Relabel the focused entity (picker)"),
        *[
            Binding(str(n), f"quick_label({n})", f"Label {n}", id=f"label_{n}", show=False,
                    tooltip=f"Give the focused entity label {n} of the label set")
            for n in range(1, 10)
        ],
        Binding("[", "move_edge('start', -1)", "Start ←", id="start_left", show=False,
                tooltip="Move the start of the focused span one token left"),
        Binding("]", "move_edge('start', 1)", "Start →", id="start_right", show=False,
                tooltip="Move the start one token right"),
        Binding("{", "move_edge('end', -1)", "End ←", id="end_left", show=False,
                tooltip="Move the end one token left"),
        Binding("}", "move_edge('end', 1)", "End →", id="end_right", show=False,
                tooltip="Move the end one token right"),
        Binding("v", "select", "New span", id="select", tooltip="Draw a span the model missed"),
        Binding("s", "speaker", "Speaker", id="speaker", tooltip="Set the focused quote's speaker"),
        Binding("c", "cue", "Cue", id="cue", show=False,
                tooltip="Mark the focused quote's cue (reporting verb), or clear it"),
        Binding("t", "tag", "Tag", id="tag",
                tooltip="Tag the focused quote, or the sentence of the focused span"),
        Binding("A", "accept_all", "Accept all", id="accept_all", show=False,
                tooltip="Accept every pending suggestion of the article"),
        Binding("m", "propagate", "All mentions", id="propagate", show=False,
                tooltip="Apply the last decision to every other mention of its text"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo",
                tooltip="Undo the article's last decision (also after a restart)"),
        Binding("ctrl+y", "redo", "Redo", id="redo", show=False, tooltip="Redo"),
        Binding("j", "next_article", "Next article", id="next_article", show=False,
                tooltip="Next article"),
        Binding("k", "prev_article", "Prev article", id="prev_article", show=False,
                tooltip="Previous article"),
        Binding("/", "filter", "Filter", id="filter",
                tooltip="Filter articles: words, status:new|progress|done, label:ORG"),
        Binding("escape", "escape", "Back", id="escape", show=False,
                tooltip="Clear the filter, back to the list"),
        Binding("ctrl+d,pagedown", "scroll_reader(1)", "Page down", id="page_down",
                show=False, tooltip="Scroll the article down"),
        Binding("ctrl+u,pageup", "scroll_reader(-1)", "Page up", id="page_up", show=False,
                tooltip="Scroll the article up"),
    ]  # fmt: skip

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self) -> None:
        super().__init__()
        self.article: Article | None = None
        self.annotations = Annotations()

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield ArticleList(id="articles")
            yield ArticleView(id="reader")
            with Vertical(id="side"):
                yield DetailsPanel(id="details")
                yield Legend(id="legend")
        yield TextLines(id="status")  # drawn line by line: cheaper than a Static per key
        yield Footer()

    def on_mount(self) -> None:
        self.newsread.populate()

    @property
    def newsread(self) -> NewsreadApp:
        """The app, typed (it owns the store and the settings)."""
        return cast("NewsreadApp", self.app)

    @property
    def reader(self) -> ArticleView:
        """The reader widget."""
        return self.query_one(ArticleView)

    @property
    def article_list(self) -> ArticleList:
        """The list widget."""
        return self.query_one(ArticleList)

    @property
    def focused_item(self) -> actions.Focusable | None:
        """The entity or quote the reader focuses."""
        return actions.find(self.annotations, self.reader.focused_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in DECISIONS:
            if isinstance(self.focused, Input):
                return False
            if self.reader.selecting and action not in {"undo", "redo"}:
                return False
        return True

    # -- opening articles ---------------------------------------------------------------
    def show_article(self, article: Article, annotations: Annotations) -> None:
        """Display an article and focus its first pending suggestion."""
        self.article, self.annotations = article, annotations
        self.reader.show(article.text, annotations)
        self.reader.border_title = Text(visible(article.title).replace("\n", " "))
        self.article_list.mark_open(article.id)
        self.query_one(Legend).show(annotations)
        first = actions.step(annotations, None)
        self.focus_item(first.id if first else None)

    def refresh_annotations(self, annotations: Annotations, focus: str | None = None) -> None:
        """Repaint after a decision or an analysis; keep or move the focus."""
        self.annotations = annotations
        current = focus if focus is not None else self.reader.focused_id
        if actions.find(annotations, current) is None:
            nxt = actions.step(annotations, None)
            current = nxt.id if nxt else None
        self.reader.highlight(annotations, current)
        self.query_one(Legend).show(annotations)
        self._reveal(current)

    def focus_item(self, item_id: str | None) -> None:
        """Focus an entity or quote in the reader and scroll it into view."""
        self.reader.focused_id = item_id
        self._reveal(item_id)

    def _reveal(self, item_id: str | None) -> None:
        item = actions.find(self.annotations, item_id)
        if item is not None:
            self.reader.scroll_to_offset(item.start, item.end)
        self.update_details()

    def update_details(self) -> None:
        """The side panel for the focused item."""
        text = self.article.text if self.article else ""
        self.query_one(DetailsPanel).show(text, self.annotations, self.focused_item)

    def on_article_list_highlighted(self, message: ArticleList.Highlighted) -> None:
        self.newsread.open_article(message.article_id)

    def on_article_list_selected(self, message: ArticleList.Selected) -> None:
        if self.article is None or self.article.id != message.article_id:
            self.newsread.open_article(message.article_id)
        self.reader.focus()

    # -- saving decisions --------------------------------------------------------------
    def apply_decision(
        self, edit: Edit | None, *, then: str | None = None, advance: bool = False
    ) -> None:
        """Save ``edit`` through the store, then repaint and optionally move on."""
        if edit is None or self.article is None:
            return
        annotations = self.newsread.save_decision(self.article.id, edit)
        if annotations is None:
            return  # the app already said why (read-only, disk full…)
        self.annotations = annotations
        target = then
        if advance:
            nxt = actions.step(annotations, self.reader.focused_id)
            target = nxt.id if nxt else None
        self.refresh_annotations(annotations, focus=target)

    @property
    def annotator(self) -> str:
        """Who is deciding."""
        return str(self.newsread.settings.annotator)

    # -- navigation ---------------------------------------------------------------------
    def action_next_suggestion(self) -> None:
        nxt = actions.step(self.annotations, self.reader.focused_id)
        self.focus_item(nxt.id if nxt else None)

    def action_prev_suggestion(self) -> None:
        prev = actions.step(self.annotations, self.reader.focused_id, backwards=True)
        self.focus_item(prev.id if prev else None)

    def action_skip(self) -> None:
        self.action_next_suggestion()

    def action_next_article(self) -> None:
        self._open_neighbour(1)

    def action_prev_article(self) -> None:
        self._open_neighbour(-1)

    def _open_neighbour(self, delta: int) -> None:
        article_id = self.article_list.step(delta)
        if article_id is not None and (self.article is None or self.article.id != article_id):
            self.newsread.open_article(article_id)

    def action_scroll_reader(self, direction: int) -> None:
        reader = self.reader
        page = max(1, reader.scrollable_content_region.height - 1)
        reader.scroll_relative(y=direction * page, animate=False)

    # -- decisions ----------------------------------------------------------------------
    def action_accept(self) -> None:
        self.apply_decision(
            actions.accept(self.annotations, self.reader.focused_id, self.annotator), advance=True
        )

    def action_reject(self) -> None:
        self.apply_decision(
            actions.reject(self.annotations, self.reader.focused_id, self.annotator), advance=True
        )

    def action_accept_all(self) -> None:
        self.apply_decision(actions.accept_all(self.annotations, self.annotator))

    def action_propagate(self) -> None:
        self.newsread.propagate_last_decision()

    def action_undo(self) -> None:
        self.newsread.step_history(back=True)

    def action_redo(self) -> None:
        self.newsread.step_history(back=False)

    @property
    def labels(self) -> tuple[str, ...]:
        """The label set of the config."""
        return tuple(self.newsread.settings.labels)

    def _label_style(self) -> Callable[[str], Style]:
        palette = self.reader.palette
        return palette.label_style if palette is not None else (lambda label: Style())

    def action_relabel(self) -> None:
        item = self.focused_item
        if not isinstance(item, Span):
            self.app.bell()
            return
        item_id = item.id

        def chosen(label: str | None) -> None:
            if label:
                self.apply_decision(
                    actions.relabel(self.annotations, item_id, label, self.annotator)
                )

        from tui.screens.pickers import LabelPicker  # pickers load on first use, not at start

        self.app.push_screen(LabelPicker(self.labels, item.label, self._label_style()), chosen)

    def action_quick_label(self, number: int) -> None:
        if number > len(self.labels):
            return
        item = self.focused_item
        if not isinstance(item, Span):
            self.app.bell()
            return
        label = self.labels[number - 1]
        edit = actions.relabel(self.annotations, item.id, label, self.annotator)
        self.apply_decision(edit, advance=True)

    def action_move_edge(self, edge: str, delta: int) -> None:
        if self.article is None:
            return
        edit = actions.move_edge(
            self.annotations,
            self.reader.focused_id,
            tokenize(self.article),
            edge=edge,
            delta=delta,
            annotator=self.annotator,
            text=self.article.text,
        )
        if edit is None:
            self.app.bell()
        self.apply_decision(edit, then=self.reader.focused_id)

    def action_select(self, purpose: str = "entity") -> None:
        if self.article is None:
            return
        item = self.focused_item
        text = self.article.text
        tokens = tokenize(self.article)
        offset = item.start if item is not None else self.reader.first_visible_offset()
        if purpose in ("speaker", "cue") and isinstance(item, Quote) and len(tokens):
            # Start on the first word after the quote: `"…," Doe said` needs one enter.
            index = tokens.index_at(item.end)
            while index + 1 < len(tokens) and not any(
                c.isalnum() for c in text[tokens.starts[index] : tokens.ends[index]]
            ):
                index += 1
            offset = tokens.starts[index]
        self.reader.begin_selection(tokens, offset, purpose)
        self.reader.focus()
        self.newsread.say(
            "Drawing a span: ←/→ end, shift+←/→ start, w/b move, ↑/↓ line, enter label, esc cancel"
        )

    def on_article_view_span_drawn(self, message: ArticleView.SpanDrawn) -> None:
        if message.purpose in ("speaker", "cue"):
            quote = self._speaker_quote
            span = Span(message.start, message.end, message.purpose.upper())
            setter = actions.set_speaker if message.purpose == "speaker" else actions.set_cue
            self.apply_decision(setter(self.annotations, quote, span, self.annotator), then=quote)
            return
        start, end = message.start, message.end

        def chosen(label: str | None) -> None:
            if label:
                edit = actions.add_span(self.annotations, start, end, label, self.annotator)
                new_id = edit.after[-1].id if edit is not None else None
                self.apply_decision(edit, then=new_id)

        from tui.screens.pickers import LabelPicker

        self.app.push_screen(LabelPicker(self.labels, None, self._label_style()), chosen)

    def on_article_view_selection_cancelled(self, message: ArticleView.SelectionCancelled) -> None:
        self.update_details()

    _speaker_quote: str | None = None

    def action_speaker(self) -> None:
        quote = self.focused_item
        if not isinstance(quote, Quote) or self.article is None:
            self.app.bell()
            return
        quote_id = quote.id
        candidates = self._speaker_candidates(quote)

        def chosen(choice: SpeakerChoice | None) -> None:
            if choice is None:
                return
            if choice.mark_in_text:
                self._speaker_quote = quote_id
                self.action_select("speaker")
                return
            edit = actions.set_speaker(self.annotations, quote_id, choice.span, self.annotator)
            self.apply_decision(edit, then=quote_id)

        from tui.screens.pickers import SpeakerPicker

        self.app.push_screen(SpeakerPicker(self.article.text, candidates), chosen)

    def action_cue(self) -> None:
        """Clear the focused quote's cue, or mark one in the text when it has none
        (a changed speaker drops the old speaker's cue: this is how to give it back)."""
        quote = self.focused_item
        if not isinstance(quote, Quote) or self.article is None:
            self.app.bell()
            return
        if quote.cue is not None:
            edit = actions.set_cue(self.annotations, quote.id, None, self.annotator)
            self.apply_decision(edit, then=quote.id)
            self.newsread.say("cue cleared (c again marks one)")
            return
        self._speaker_quote = quote.id
        self.action_select("cue")

    def _speaker_candidates(self, quote: Quote) -> list[Span]:
        """People and organisations of the article, nearest to the quote first."""
        seen: set[str] = set()
        text = self.article.text if self.article else ""
        ranked = sorted(
            (s for s in self.annotations.entities if s.status is not Status.REJECTED),
            key=lambda s: (
                s.label not in SPEAKER_LABELS,
                SPEAKER_LABELS.index(s.label) if s.label in SPEAKER_LABELS else 9,
                min(abs(s.start - quote.end), abs(quote.start - s.end)),
            ),
        )
        candidates = []
        for span in ranked:
            mention = text[span.start : span.end]
            if mention not in seen:
                seen.add(mention)
                candidates.append(span)
        return candidates[:20]

    def action_tag(self) -> None:
        if self.article is None:
            return
        item = self.focused_item
        if isinstance(item, Quote):
            start, end = item.start, item.end
        else:
            offset = item.start if item is not None else self.reader.first_visible_offset()
            start, end = actions.sentence_around(self.annotations, offset, self.article.text)
        current = actions.statement_at(self.annotations, start, end)
        excerpt = self.article.text[start:end].replace("\n", " ")
        excerpt = excerpt if len(excerpt) < 60 else excerpt[:59] + "…"
        tags = tuple(self.newsread.settings.tags)
        focus = item.id if item is not None else None

        def chosen(result: tuple[str, ...] | None) -> None:
            if result is not None:
                edit = actions.tag(self.annotations, start, end, result, self.annotator)
                self.apply_decision(edit, then=focus)

        from tui.screens.pickers import TagPicker

        picker = TagPicker(tags, current.tags if current else (), excerpt)
        self.app.push_screen(picker, chosen)

    # -- filtering ------------------------------------------------------------------------
    def _filter_box(self) -> Input | None:
        found = self.query("#filter")
        return found.first(Input) if found else None

    def action_filter(self) -> None:
        box = self._filter_box()
        if box is None:
            # Mounted on first use: an Input costs ~15 ms of the first paint.
            box = Input(placeholder="filter: words status:done label:ORG", id="filter")
            self.query_one("#left").mount(box, before=self.article_list)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.article_list.set_filter(parse_filter(event.value))
            self.update_status_hint()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.article_list.focus()

    def action_escape(self) -> None:
        box = self._filter_box()
        if box is not None and (box.has_focus or box.value):
            box.value = ""
            box.display = False
            self.article_list.set_filter(None)
            self.article_list.focus()
            self.update_status_hint()

    def update_status_hint(self) -> None:
        """Refresh the status line (the filter changes how many rows are shown)."""
        self.newsread.update_status()

    def set_rows(self, summaries: list[ArticleSummary]) -> None:
        """Fill the list."""
        self.article_list.set_rows(summaries)
