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
from textual.widgets import Label, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from annotate.model import Span
from annotate.terminal_text import one_line
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
    Picker OptionList, Picker SelectionList,
    Picker OptionList:focus, Picker SelectionList:focus {
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


class LabelPicker(Picker[str | None]):
    """Pick an entity label; 1–9 pick directly, enter picks the highlighted one."""

    def __init__(
        self, labels: Sequence[str], current: str | None, style_for: Callable[[str], Style]
    ) -> None:
        super().__init__()
        self.labels = list(labels)
        self.current = current
        self.style_for = style_for

    def compose(self) -> ComposeResult:
        options = []
        for index, label in enumerate(self.labels):
            prompt = Text()
            prompt.append(f"{index + 1} " if index < 9 else "  ", style="bold")
            prompt.append(f" {one_line(label)} ", style=self.style_for(label))
            if label == self.current:
                prompt.append("  (current)", style="dim")
            options.append(Option(prompt, id=label))
        with Vertical():
            yield Label("Label", classes="title")
            yield OptionList(*options)
            yield Label("1–9 pick · enter choose · esc cancel", classes="hint")

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

    def compose(self) -> ComposeResult:
        selections = [
            Selection(
                Text(f"{i + 1} {one_line(tag)}" if i < 9 else f"  {one_line(tag)}"),
                tag,
                tag in self.chosen,
            )
            for i, tag in enumerate(self.tags)
        ]
        with Vertical():
            yield Label(Text(f"Tag: “{visible(self.excerpt)}”"), classes="title")
            yield SelectionList[str](*selections)
            yield Label("space/1–9 toggle · enter save · esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def _list(self) -> SelectionList[str] | None:
        found = self.query(SelectionList)
        return found.first() if found else None

    def action_toggle_tag(self, number: int) -> None:
        if number <= len(self.tags):
            self._toggle(self.tags[number - 1])

    def _toggle(self, tag: str) -> None:
        self.chosen ^= {tag}
        selection_list = self._list()
        if selection_list is not None:
            if tag in self.chosen:
                selection_list.select(tag)
            else:
                selection_list.deselect(tag)

    def action_toggle_highlighted(self) -> None:
        selection_list = self._list()
        if selection_list is not None and selection_list.highlighted is not None:
            self._toggle(self.tags[selection_list.highlighted])

    def action_move(self, delta: int) -> None:
        selection_list = self._list()
        if selection_list is not None:
            current = selection_list.highlighted or 0
            selection_list.highlighted = max(0, min(len(self.tags) - 1, current + delta))

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        self.chosen = set(event.selection_list.selected)  # a mouse click toggles too

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

    def __init__(self, text: str, candidates: Sequence[Span]) -> None:
        super().__init__()
        self.text = text
        self.candidates = list(candidates)

    def compose(self) -> ComposeResult:
        options = [Option(Text("✎ mark the speaker in the text (v-mode)"), id=self.MARK)]
        for index, span in enumerate(self.candidates):
            mention = visible(self.text[span.start : span.end]).replace("\n", " ")
            prompt = Text(f"{index + 1} " if index < 9 else "  ", style="bold")
            prompt.append(mention)
            prompt.append(f"  {span.label}", style="dim")
            options.append(Option(prompt, id=str(index)))
        options.append(Option(Text("∅ no speaker"), id=self.NONE))
        with Vertical():
            yield Label("Speaker", classes="title")
            yield OptionList(*options)
            yield Label("1–9 pick · enter choose · esc cancel", classes="hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = 1 if self.candidates else 0
        option_list.focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
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
