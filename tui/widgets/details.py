"""The side panel: everything about the focused span, quote or statement.

Label, origin (model, rule or user — so a person sees what was corrected by a rule),
status, who decided and when; for an attribution its kind (a quotation or reported
speech, said in words), speaker phrase and the entity it is linked to (what a pronoun or
a title resolves to), cue, quoted words of a mixed one and the tags of its statement.
Text is untrusted: only ``Text``.
"""

from __future__ import annotations

import time

from rich.text import Text

from annotate.actions import Focusable, statement_at
from annotate.model import Annotations, QuoteKind, Span, Statement, Status
from annotate.terminal_text import one_line
from tui.widgets.text_layout import visible
from tui.widgets.text_lines import TextLines

STATUS_MARKS = {
    Status.PENDING: "…",
    Status.ACCEPTED: "✓",
    Status.REJECTED: "✗",
    Status.REPLACED: "↷",
}
REPLACED_HINT = (
    "replaced: people rejected or relabelled this text in other articles; "
    "a keeps the model's label, x rejects it\n"
)
HEADINGS = {
    QuoteKind.DIRECT: "QUOTE",
    QuoteKind.PARTIAL: "QUOTE",
    QuoteKind.MIXED: "REPORTED",
    QuoteKind.INDIRECT: "REPORTED",
}


TAG_KEYS = "a accept · x reject · t change the tags"
"""The keys that decide a suggested statement (panel and details bar)."""


def tag_heading(statement: Statement) -> str:
    """What a suggested statement is, in words (not only colour)."""
    if statement.status is Status.PENDING:
        return "TAG SUGGESTION (model)"
    return f"TAGS {statement.status} (suggested)"


def _excerpt(text: str, start: int, end: int, width: int = 60) -> str:
    excerpt = visible(text[start:end]).replace("\n", " ")
    return excerpt if len(excerpt) <= width else excerpt[: width - 1] + "…"


def _when(item: Focusable) -> str:
    if item.timestamp is None:
        return ""
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(item.timestamp))
    return f"{one_line(item.annotator or '?')} · {stamp}"


def _linked(text: str, annotations: Annotations, ref: Span) -> str:
    """The entity a speaker is linked to, with its label when it is a highlighted entity
    (``Chris Gregoire PERSON``): the label says whether a person or a body speaks."""
    name = _excerpt(text, ref.start, ref.end, 30)
    entity = next(
        (
            s
            for s in annotations.entities
            if (s.start, s.end) == (ref.start, ref.end) and s.status is not Status.REJECTED
        ),
        None,
    )
    return f"{name} {one_line(entity.label)}" if entity is not None else name


def describe(text: str, annotations: Annotations, item: Focusable | None) -> Text:
    """The panel's content for ``item`` (a hint when nothing is focused)."""
    out = Text()
    if item is None:
        out.append("Nothing focused.\n", style="bold")
        out.append("tab / n: next suggestion\nv: mark a new span\n? : every key")
        return out
    status = f"{STATUS_MARKS[item.status]} {item.status}"
    if isinstance(item, Span):
        out.append(f"{one_line(item.label)}\n", style="bold")
        out.append(f"“{_excerpt(text, item.start, item.end)}”\n")
        out.append(f"status  {status}\norigin  {item.origin}\n")
        if item.status is Status.REPLACED:
            out.append(REPLACED_HINT, style="italic")
    elif isinstance(item, Statement):
        out.append(f"{tag_heading(item)}\n", style="bold")
        out.append(f"“{_excerpt(text, item.start, item.end)}”\n")
        out.append(f"tags    {one_line(', '.join(item.tags))}\n")
        out.append(f"status  {status}\norigin  {item.origin}\n")
        out.append(f"{TAG_KEYS}\n", style="dim")
    else:
        out.append(f"{HEADINGS[item.kind]} · {item.kind}\n", style="bold")
        out.append(f"“{_excerpt(text, item.start, item.end)}”\n")
        if item.quoted:
            words = " … ".join(_excerpt(text, a, b, 20) for a, b in item.quoted)
            out.append(f"quoted  “{_excerpt(words, 0, len(words), 50)}”\n")
        out.append(f"status  {status}\norigin  {item.origin}\n")
        speaker = item.speaker
        if speaker is None:
            out.append("speaker —  (s to set)\n")
        else:
            out.append(f"speaker {_excerpt(text, speaker.start, speaker.end, 30)}")
            if item.speaker_ref is not None:
                out.append(f" → {_linked(text, annotations, item.speaker_ref)}")
            out.append(f"  {STATUS_MARKS[item.speaker_status]}\n")
        if item.cue is not None:
            out.append(f"cue     {_excerpt(text, item.cue.start, item.cue.end, 30)}\n")
        statement = statement_at(annotations, item.start, item.end)
        if statement is not None and statement.tags:
            out.append(f"tags    {one_line(', '.join(statement.tags))}\n")
    when = _when(item)
    if when:
        out.append(f"by      {when}\n", style="dim")
    return out


class DetailsPanel(TextLines):
    """Shows :func:`describe` of the focused item (repainting only changed lines)."""

    DEFAULT_CSS = """
    DetailsPanel {
        height: 11;
        margin-bottom: 1;
    }
    """

    def show(self, text: str, annotations: Annotations, item: Focusable | None) -> None:
        """Describe ``item`` of the open article."""
        self.set_content(describe(text, annotations, item))
