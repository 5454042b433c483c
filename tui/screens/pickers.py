"""Modal pickers that return a value: a label, a set of tags, a speaker.

Each is a ``ModalScreen[T]`` dismissed with the choice (or ``None`` on escape), so the
caller awaits one typed result and never reaches into the picker's widgets.  Digits
pick (or toggle) the first nine entries directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from annotate.model import Annotations, QuoteKind, Span
from annotate.terminal_text import one_line
from tui.labels import QUOTE_CHOICE
from tui.widgets.text_layout import visible

T = TypeVar("T")


class Picker(ModalScreen[T]):
    """The shared look of every picker: a small centred box over the reader, escape cancels."""

    DEFAULT_CSS = """
    Picker {
        align: center middle;
    }
    Picker > Vertical {
        width: 48;
        height: auto;
        max-height: 80%;
        border: round $accent;
        background: $panel;
        padding: 0 1;
    }
    Picker OptionList, Picker OptionList:focus {
        height: auto;
        max-height: 24;
        border: none;
        background: $panel;
    }
    Picker .hint {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker_cancel",
                tooltip="Close the picker without a change"),
    ]  # fmt: skip


QUOTE_KIND_HELP = {
    QuoteKind.DIRECT: "all in quotation marks",
    QuoteKind.PARTIAL: "a quoted fragment in the writer's sentence",
    QuoteKind.MIXED: "a reported clause holding quoted words",
    QuoteKind.INDIRECT: "reported speech without marks",
}


class LabelPicker(Picker[str | None]):
    """Pick an entity label (or an attribution's kind, titled ``Kind``); 1–9 pick directly,
    enter picks the highlighted one; for a drawn span ``q``/``p`` make it a quote."""

    QUOTE_KEYS = {"q": QuoteKind.DIRECT, "p": QuoteKind.PARTIAL}
    """With ``quotes``: these letters make the drawn span a quote of that kind."""

    def __init__(
        self,
        labels: Sequence[str],
        current: str | None,
        style_for: Callable[[str], Style],
        title: str = "Label",
        *,
        quotes: bool = False,
    ) -> None:
        super().__init__()
        self.heading = title
        self.labels = list(labels)
        self.current = current
        self.style_for = style_for
        self.quotes = quotes

    def compose(self) -> ComposeResult:
        options = []
        for index, label in enumerate(self.labels):
            prompt = Text()
            prompt.append(f"{index + 1} " if index < 9 else "  ", style="bold")
            prompt.append(f" {one_line(label)} ", style=self.style_for(label))
            if label == self.current:
                prompt.append("  (current)", style="dim")
            options.append(Option(prompt, id=label))
        if self.quotes:
            for key, kind in self.QUOTE_KEYS.items():
                prompt = Text(f"{key} ", style="bold")
                prompt.append(" QUOTE ", style=self.style_for("QUOTE"))
                prompt.append(f" {kind} ({QUOTE_KIND_HELP[kind]})")
                options.append(Option(prompt, id=f"{QUOTE_CHOICE}{kind}"))
        hint = (
            "1–9 label · q/p quote · enter choose · esc cancel"
            if self.quotes
            else ("1–9 pick · enter choose · esc cancel")
        )
        with Vertical():
            yield Label(self.heading, classes="title")
            yield OptionList(*options)
            yield Label(hint, classes="hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        if self.current in self.labels:
            option_list.highlighted = self.labels.index(self.current)
        option_list.focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.labels):
                event.stop()
                self.dismiss(self.labels[index])
        elif self.quotes and event.character in self.QUOTE_KEYS:
            event.stop()
            self.dismiss(f"{QUOTE_CHOICE}{self.QUOTE_KEYS[event.character]}")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class TagPicker(Picker[tuple[str, ...] | None]):
    """Multi-select the tags of a statement: space or 1–9 toggle, enter saves.

    Every key here is a priority binding, so keys typed in quick succession ("t", "2",
    enter) are handled in order, and the chosen tags live on the picker itself, so a
    digit typed before the list is even mounted still counts.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker_cancel", priority=True,
                tooltip="Close the picker without a change"),
        Binding("enter", "save", "Save", id="tags_save", priority=True,
                tooltip="Save the checked tags"),
        Binding("space", "toggle_highlighted", "Toggle", id="tags_toggle", priority=True,
                tooltip="Check or uncheck the highlighted tag"),
        Binding("down,j", "move(1)", "Down", id="tags_down", show=False, priority=True,
                tooltip="Next tag"),
        Binding("up,k", "move(-1)", "Up", id="tags_up", show=False, priority=True,
                tooltip="Previous tag"),
        *[
            Binding(str(n), f"toggle_tag({n})", f"Toggle {n}", id=f"tags_toggle_{n}",
                    show=False, priority=True, tooltip=f"Check or uncheck tag {n}")
            for n in range(1, 10)
        ],
    ]  # fmt: skip

    def __init__(self, tags: Sequence[str], current: Sequence[str], excerpt: str) -> None:
        super().__init__()
        self.tags = list(tags)
        self.chosen = set(current)
        self.excerpt = excerpt

    def _prompt(self, index: int, tag: str) -> Text:
        # The check box is text, not shade: "[x]" reads the same without colour.
        box = "[x]" if tag in self.chosen else "[ ]"
        number = f"{index + 1}" if index < 9 else " "
        return Text(f"{number} {box} {one_line(tag)}")

    def compose(self) -> ComposeResult:
        options = [Option(self._prompt(i, tag), id=tag) for i, tag in enumerate(self.tags)]
        with Vertical():
            yield Label(Text(f"Tag: “{visible(self.excerpt)}”"), classes="title")
            yield OptionList(*options)
            yield Label("space/1–9 toggle · enter save · esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _list(self) -> OptionList | None:
        found = self.query(OptionList)
        return found.first() if found else None

    def action_toggle_tag(self, number: int) -> None:
        if number <= len(self.tags):
            self._toggle(self.tags[number - 1])

    def _toggle(self, tag: str) -> None:
        self.chosen ^= {tag}
        option_list = self._list()
        if option_list is not None:
            option_list.replace_option_prompt(tag, self._prompt(self.tags.index(tag), tag))

    def action_toggle_highlighted(self) -> None:
        option_list = self._list()
        if option_list is not None and option_list.highlighted is not None:
            self._toggle(self.tags[option_list.highlighted])

    def action_move(self, delta: int) -> None:
        option_list = self._list()
        if option_list is not None:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(len(self.tags) - 1, current + delta))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._toggle(event.option.id)  # a mouse click toggles too

    def action_save(self) -> None:
        self.dismiss(tuple(tag for tag in self.tags if tag in self.chosen))


@dataclass(frozen=True)
class SpeakerChoice:
    """The speaker picker's answer: a mention, "mark one in the text", or no speaker."""

    span: Span | None = None
    mark_in_text: bool = False


class SpeakerPicker(Picker[SpeakerChoice | None]):
    """Choose the speaker of a quote among the article's people and organisations."""

    MARK = "__mark__"
    NONE = "__none__"

    def __init__(self, text: str, candidates: Sequence[Span], *, likeliest: int = 0) -> None:
        super().__init__()
        self.text = text
        self.candidates = list(candidates)
        self.likeliest = likeliest
        """The candidate the cursor starts on (nothing is decided until a key says so)."""

    def compose(self) -> ComposeResult:
        options = [Option(Text("m ✎ mark the speaker in the text (a phrase: enter)"), id=self.MARK)]
        for index, span in enumerate(self.candidates):
            mention = visible(self.text[span.start : span.end]).replace("\n", " ")
            prompt = Text(f"{index + 1} " if index < 9 else "  ", style="bold")
            prompt.append(mention)
            prompt.append(f"  {span.label}", style="dim")
            options.append(Option(prompt, id=str(index)))
        options.append(Option(Text("0 ∅ no speaker"), id=self.NONE))
        with Vertical():
            yield Label("Speaker", classes="title")
            yield OptionList(*options)
            yield Label("1–9 pick · m mark in text · 0 none · enter · esc", classes="hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        in_range = 0 <= self.likeliest < len(self.candidates)
        option_list.highlighted = 1 + self.likeliest if in_range else 0
        option_list.focus()

    def on_key(self, event: Key) -> None:
        if event.character == "m":
            event.stop()
            self.dismiss(SpeakerChoice(mark_in_text=True))
        elif event.character == "0":
            event.stop()
            self.dismiss(SpeakerChoice())
        elif event.character and event.character.isdigit():
            index = int(event.character) - 1
            if index < len(self.candidates):
                event.stop()
                self.dismiss(SpeakerChoice(span=self.candidates[index]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == self.MARK:
            self.dismiss(SpeakerChoice(mark_in_text=True))
        elif event.option.id == self.NONE:
            self.dismiss(SpeakerChoice())
        else:
            self.dismiss(SpeakerChoice(span=self.candidates[int(event.option.id or 0)]))


class ItemPicker(Picker[str | None]):
    """Jump to any entity or quote: the items after the focused one, in reading order.

    The first ten are numbered 1–9 and 0, so an item within ten of the focus is two
    keys away (``g`` and its digit), decided or not.
    """

    DIGITS = "1234567890"

    def __init__(self, text: str, annotations: Annotations, focused_id: str | None) -> None:
        super().__init__()
        from annotate.actions import focusables

        items = focusables(annotations)
        index = next((n for n, i in enumerate(items) if i.id == focused_id), -1)
        self.items = items[index + 1 :] + items[: index + 1]  # after the focus, wrapping
        self.text = text

    def compose(self) -> ComposeResult:
        from tui.widgets.article_view import DECISION_MARKS

        options = []
        for index, item in enumerate(self.items):
            key = self.DIGITS[index] if index < len(self.DIGITS) else " "
            prompt = Text(f"{key} ", style="bold")
            prompt.append(f"{one_line(item.label)}{DECISION_MARKS[item.status] or '…'} ")
            mention = visible(self.text[item.start : item.end]).replace("\n", " ")
            prompt.append(mention if len(mention) <= 36 else mention[:35] + "…")
            options.append(Option(prompt, id=item.id))
        with Vertical():
            yield Label("Go to item (decided ones too)", classes="title")
            yield OptionList(*options)
            yield Label("1–9, 0 jump · enter choose · esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character in self.DIGITS:
            index = self.DIGITS.index(event.character)
            if index < len(self.items):
                event.stop()
                self.dismiss(self.items[index].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
