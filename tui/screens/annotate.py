"""The annotation keys: each decision key turns into an :class:`~annotate.edits.Edit`.

The edit comes from ``annotate.actions`` (pure functions), the app saves it in the
store (durable when the call returns), and only then does the screen move on: repaint,
focus the next suggestion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from textual.binding import BindingType

from annotate import actions
from annotate.model import Quote, QuoteKind, Span, Statement
from annotate.tokens import tokenize
from tui.bindings import ANNOTATE_BINDINGS
from tui.labels import QUOTE_CHOICE
from tui.screens.article_screen import ArticleScreen
from tui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from tui.screens.pickers import SpeakerChoice


class AnnotateScreen(ArticleScreen):
    """List, reader and side panel with the annotation keys of DESIGN.md."""

    BINDINGS: ClassVar[list[BindingType]] = ANNOTATE_BINDINGS

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
        if isinstance(item, Quote):
            self._rekind(item)
            return
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

    def _rekind(self, quote: Quote) -> None:
        """``l`` on a quote: choose its kind (``x`` says it is not a quote at all)."""
        quote_id = quote.id

        def chosen(kind: QuoteKind | None) -> None:
            if kind is not None and self.article is not None:
                edit = actions.rekind(
                    self.annotations, quote_id, kind, self.annotator, self.article.text
                )
                self.apply_decision(edit, then=quote_id)

        from tui.screens.pickers import KindPicker

        self.app.push_screen(KindPicker(quote.kind), chosen)

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
        text = self.article.text if self.article else ""

        def chosen(label: str | None) -> None:
            if label and label.startswith(QUOTE_CHOICE):
                kind = QuoteKind(label.removeprefix(QUOTE_CHOICE))
                edit = actions.add_quote(self.annotations, start, end, kind, self.annotator, text)
                if edit is not None:
                    self.apply_decision(edit, then=edit.after[-1].id)
                    self.action_speaker()  # a new quote asks for its speaker next
            elif label:
                edit = actions.add_span(self.annotations, start, end, label, self.annotator)
                new_id = edit.after[-1].id if edit is not None else None
                self.apply_decision(edit, then=new_id)

        from tui.screens.pickers import LabelPicker

        picker = LabelPicker(self.labels, None, self._label_style(), quotes=True)
        self.app.push_screen(picker, chosen)

    def on_article_view_selection_cancelled(self, message: ArticleView.SelectionCancelled) -> None:
        self.update_details()

    _speaker_quote: str | None = None

    def action_speaker(self) -> None:
        quote = self.focused_item
        if not isinstance(quote, Quote) or self.article is None:
            self.app.bell()
            return
        quote_id = quote.id
        candidates = actions.speaker_candidates(self.annotations, self.article.text, quote)
        likeliest = next(
            (
                n
                for n, c in enumerate(candidates)
                for mention in (quote.speaker_ref, quote.speaker)
                if mention is not None and (c.start, c.end) == (mention.start, mention.end)
            ),
            0,
        )

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

        picker = SpeakerPicker(self.article.text, candidates, likeliest=likeliest)
        self.app.push_screen(picker, chosen)

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

    def action_tag(self) -> None:
        if self.article is None:
            return
        item = self.focused_item
        if isinstance(item, Quote | Statement):  # a suggested statement: its tags pre-checked
            start, end = item.start, item.end
        else:
            offset = item.start if item is not None else self.reader.first_visible_offset()
            start, end = actions.sentence_around(self.annotations, offset, self.article.text)
        current = actions.statement_at(self.annotations, start, end)
        excerpt = self.article.text[start:end].replace("\n", " ")
        excerpt = excerpt if len(excerpt) < 60 else excerpt[:59] + "…"
        # A suggested tag the settings do not list (the model learned it) can be unchecked.
        tags = tuple(
            dict.fromkeys((*self.newsread.settings.tags, *(current.tags if current else ())))
        )
        focus = item.id if item is not None else None

        def chosen(result: tuple[str, ...] | None) -> None:
            if result is not None:
                edit = actions.tag(self.annotations, start, end, result, self.annotator)
                self.apply_decision(edit, then=focus)

        from tui.screens.pickers import TagPicker

        picker = TagPicker(tags, current.tags if current else (), excerpt)
        self.app.push_screen(picker, chosen)
