"""The one-line details bar: the side panel's essentials when the terminal is narrow.

Below 100 columns the side panel folds away; this bar (shown only then, by the
``-narrow`` class in ``newsread.tcss``) keeps the focused item's label, status, origin
and, for a quote, its speaker and the name the speaker resolves to.
"""

from __future__ import annotations

from rich.text import Text

from annotate.actions import Focusable
from annotate.model import Quote, Statement
from annotate.terminal_text import one_line
from tui.widgets.details import STATUS_MARKS, TAG_KEYS, tag_heading
from tui.widgets.text_layout import visible
from tui.widgets.text_lines import TextLines


def _mention(text: str, start: int, end: int, width: int = 24) -> str:
    words = visible(text[start:end]).replace("\n", " ")
    return words if len(words) <= width else words[: width - 1] + "…"


def describe_line(text: str, item: Focusable | None) -> Text:
    """``PERSON · … pending · model · “Jane Doe”``; a quote adds ``speaker Doe → Jane Doe``."""
    if item is None:
        return Text("nothing focused · tab next · v new span · ? every key", style="dim")
    out = Text()
    if isinstance(item, Statement):
        out.append(tag_heading(item), style="bold")
        out.append(f" {one_line(','.join(item.tags))} · {STATUS_MARKS[item.status]} {item.status}")
        out.append(f" · {TAG_KEYS}")
        return out
    label = f"QUOTE {item.kind}" if isinstance(item, Quote) else one_line(item.label)
    out.append(label, style="bold")
    out.append(f" · {STATUS_MARKS[item.status]} {item.status} · {item.origin}")
    if isinstance(item, Quote):
        speaker = item.speaker
        if speaker is None:
            out.append(" · speaker — (s)")
        else:
            out.append(f" · speaker {_mention(text, speaker.start, speaker.end)}")
            if item.speaker_ref is not None:
                ref = item.speaker_ref
                out.append(f" → {_mention(text, ref.start, ref.end)}")
            out.append(f" {STATUS_MARKS[item.speaker_status]}")
    else:
        out.append(f" · “{_mention(text, item.start, item.end, 40)}”")
    return out


class DetailsBar(TextLines):
    """One line about the focused item (see the module docstring)."""

    DEFAULT_CSS = """
    DetailsBar {
        height: 1;
        padding: 0 1;
        display: none;
    }
    """

    def show(self, text: str, item: Focusable | None) -> None:
        """Describe ``item`` of the open article."""
        self.set_content(describe_line(text, item))
