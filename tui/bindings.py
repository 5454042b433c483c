"""The annotation keys of the main screen, each with a stable id (remap it in the config).

The ids are what ``[keys]`` in the config file maps (``accept = "y"``) and what the
help screen (``?``) lists beside each key, so they are part of the user-facing contract:
rename one only with a note in the README.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

# Actions that change the open article; refused while typing in an input or drawing.
DECISIONS = frozenset(
    {
        "accept", "reject", "skip", "relabel", "quick_label", "move_edge", "select",
        "speaker", "cue", "tag", "accept_all", "undo", "redo", "next_suggestion",
        "prev_suggestion", "next_item", "go_to_item",
        "next_article", "prev_article",
    }
)  # fmt: skip

ANNOTATE_BINDINGS: list[BindingType] = [
    Binding("a", "accept", "Accept", id="accept", tooltip="Accept the focused span"),
    Binding("x", "reject", "Reject", id="reject",
            tooltip="Reject the focused span (on a quote: not a quote)"),
    Binding("tab,n", "next_suggestion", "Next", id="next",
            tooltip="Focus the next pending suggestion"),
    Binding("l", "relabel", "Label", id="relabel",
            tooltip="Relabel the focused entity, or re-kind the focused quote (picker)"),
    Binding("s", "speaker", "Speaker", id="speaker", tooltip="Set the focused quote's speaker"),
    Binding("v", "select", "New", id="select",
            tooltip="Draw a span the model missed: an entity or a quote"),
    Binding("u,ctrl+z", "undo", "Undo", id="undo",
            tooltip="Undo the article's last decision (also after a restart)"),
    Binding("t", "tag", "Tag", id="tag",
            tooltip="Tag the focused quote, or the sentence of the focused span"),
    Binding("/", "filter", "Search", id="filter",
            tooltip="Search: words of titles and bodies, speaker:, quote:, status:, label:"),
    Binding(">", "next_item(1, True)", "Quote", id="next_quote",
            tooltip="Focus the next quote (past the entities)"),
    Binding("shift+tab,p", "prev_suggestion", "Prev", id="prev", show=False,
            tooltip="Focus the previous pending suggestion"),
    Binding("N", "next_item(1)", "Next any", id="next_any", show=False,
            tooltip="Focus the next item, decided ones too (revisit a decision)"),
    Binding("P", "next_item(-1)", "Prev any", id="prev_any", show=False,
            tooltip="Focus the previous item, decided ones too"),
    Binding("<", "next_item(-1, True)", "Prev quote", id="prev_quote", show=False,
            tooltip="Focus the previous quote"),
    Binding("g", "go_to_item", "Go to", id="go_to_item", show=False,
            tooltip="Jump to any item from a list: g then a digit"),
    Binding("space", "skip", "Skip", id="skip", show=False,
            tooltip="Leave it pending and move on"),
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
    Binding("c", "cue", "Cue", id="cue", show=False,
            tooltip="Mark the focused quote's cue (reporting verb), or clear it"),
    Binding("A", "accept_all", "Accept all", id="accept_all", show=False,
            tooltip="Accept every pending suggestion of the article"),
    Binding("ctrl+y", "redo", "Redo", id="redo", show=False, tooltip="Redo"),
    Binding("j", "next_article", "Next article", id="next_article", show=False,
            tooltip="Next article"),
    Binding("k", "prev_article", "Prev article", id="prev_article", show=False,
            tooltip="Previous article"),
    Binding("escape", "escape", "Back", id="escape", show=False,
            tooltip="Clear the filter, back to the list"),
    Binding("ctrl+d,pagedown", "scroll_reader(1)", "Page down", id="page_down", show=False,
            tooltip="Scroll the article down"),
    Binding("ctrl+u,pageup", "scroll_reader(-1)", "Page up", id="page_up", show=False,
            tooltip="Scroll the article up"),
]  # fmt: skip
