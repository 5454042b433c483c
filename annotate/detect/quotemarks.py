"""Pairing quotation marks in plain text, robust to the marks real articles contain.

News text mixes curly and straight marks, continues a quotation over paragraphs (each
paragraph re-opens it, only the last one closes it) and has typos: seed 003 closes a
quotation with an *opening* mark (``aggression, “Sullivan told reporters``).  Pairing
must find the quotations anyway and, above all, must never raise nor let one bad mark
swap "inside" and "outside" for the rest of the article.  So the state is reset at
every paragraph, and each mark is read from two clues, its own shape (``“`` opens,
``”`` closes, ``"`` could do either) and its context (a space before and a letter
after reads as an opening), with the current state deciding when the clues disagree.

Single quotation marks inside double ones are content.  Outside them, ``‘…’`` and
``'…'`` pairs are quotations only when both ends sit at word boundaries, because ``’``
is mostly an apostrophe (``Guevara’s``, ``students’``).

This module knows nothing about spaCy: it returns character offsets only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“„«‹"
CLOSERS = "”»›‟"
AMBIGUOUS = '"'
_DOUBLE = re.compile(r'["“”„‟«»]')
_SINGLE = re.compile(r"['‘’‚‹›]")
_PARAGRAPH = re.compile(r"[^\n]+")
# Characters after which a mark reads as opening even without a space ("said:“Yes").
_OPEN_CONTEXT = "([{<—–-/:"
_MAX_SINGLE = 400


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """A quotation found from its marks: content offsets and where the marks are.

    ``start``/``end`` delimit the content without marks and surrounding spaces;
    ``open_at`` is the offset of the opening mark, ``close_at`` that of the closing
    mark (``None`` when the quotation is left open and ends with its paragraph).
    ``paragraphs`` counts how many paragraphs it runs over.
    """

    start: int
    end: int
    open_at: int
    close_at: int | None
    single: bool = False
    paragraphs: int = 1

    @property
    def closed(self) -> bool:
        """True when a closing mark was found."""
        return self.close_at is not None

    @property
    def after(self) -> int:
        """The offset just after the quotation (after its closing mark when it has one)."""
        return self.close_at + 1 if self.close_at is not None else self.end


@dataclass(frozen=True, slots=True)
class _Mark:
    at: int
    shape: str  # "O", "C" or "" (straight)
    context: str  # "O", "C" or "" (no clue)

    @property
    def opens(self) -> bool:
        """Some clue says opening."""
        return "O" in (self.shape, self.context)

    @property
    def closes(self) -> bool:
        """Some clue says closing."""
        return "C" in (self.shape, self.context)


def _context(text: str, at: int, start: int, end: int) -> str:
    before = text[at - 1] if at > start else " "
    after = text[at + 1] if at + 1 < end else " "
    can_open = not after.isspace()
    can_close = not before.isspace() and before not in _OPEN_CONTEXT
    if can_open and not can_close:
        return "O"
    if can_close and not can_open:
        return "C"
    return ""


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    marks = []
    for match in _DOUBLE.finditer(text, start, end):
        char = match.group()
        shape = "O" if char in OPENERS else "C" if char in CLOSERS else ""
        marks.append(_Mark(match.start(), shape, _context(text, match.start(), start, end)))
    return marks


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class _Pairing:
    """The state machine over one article's paragraphs (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[QuoteMarks] = []
        self.open_at: int | None = None  # opening mark of the quotation in progress
        self.german = False  # opened with „: then “ closes
        self.nested = 0  # double quotation marks open inside the current quotation
        self.paragraphs = 1

    def run(self) -> list[QuoteMarks]:
        paragraphs = [m.span() for m in _PARAGRAPH.finditer(self.text)]
        for index, (start, end) in enumerate(paragraphs):
            marks = _marks(self.text, start, end)
            first = 0
            if self.open_at is not None:
                # Carried over from the previous paragraph: this paragraph re-opens it.
                if marks and marks[0].opens and not self.text[start : marks[0].at].strip():
                    first = 1
                    self.paragraphs += 1
                else:  # the carried quotation had simply lost its closing mark
                    self._close_unclosed(self._previous_end)
            for position in range(first, len(marks)):
                self._step(marks, position)
            if self.open_at is not None:
                self._previous_end = end
                nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
                if nxt is None:
                    self._close_unclosed(end)
        return self.found

    _previous_end = 0

    def _step(self, marks: list[_Mark], position: int) -> None:
        mark = marks[position]
        left = len(marks) - position - 1  # marks after this one in the paragraph
        following = marks[position + 1 : position + 3]
        if self.open_at is None:
            if mark.opens or not (mark.shape or mark.context) or self._spaced_opening(mark, left):
                self._open(mark)
            # A mark that only reads as closing, with nothing open, is a stray: ignored.
            return
        if mark.closes or (self.german and self.text[mark.at] == "“"):
            if self.nested:
                self.nested -= 1
            else:
                self._close(mark.at)
            return
        # An opening mark while a quotation is open: a nested quotation when the next
        # two marks both close, a typo'd closing mark when the marks left in the
        # paragraph pair up without it, else the previous quotation lost its closing
        # mark and this one starts anew.
        if len(following) == 2 and all(m.closes and not m.opens for m in following):
            self.nested += 1
        elif left % 2 == 0:
            self._close(mark.at)
        else:
            self._close_unclosed(mark.at)
            self._open(mark)

    def _spaced_opening(self, mark: _Mark, left: int) -> bool:
        """``said," For example …"``: a straight mark glued to the comma or colon of the
        cue, with the space after it, opens the quotation when the marks left in the
        paragraph need a partner (an odd number of them)."""
        return not mark.shape and mark.at > 0 and self.text[mark.at - 1] in ",:" and left % 2 == 1

    def _open(self, mark: _Mark) -> None:
        self.open_at = mark.at
        self.nested = 0
        self.german = self.text[mark.at] == "„"
        self.paragraphs = 1

    def _close(self, at: int) -> None:
        assert self.open_at is not None
        start, end = _trimmed(self.text, self.open_at + 1, at)
        if end > start:
            self.found.append(QuoteMarks(start, end, self.open_at, at, False, self.paragraphs))
        self.open_at = None

    def _close_unclosed(self, end: int) -> None:
        assert self.open_at is not None
        start, stop = _trimmed(self.text, self.open_at + 1, end)
        if stop > start:
            self.found.append(QuoteMarks(start, stop, self.open_at, None, False, self.paragraphs))
        self.open_at = None


def _single_quotes(text: str, taken: list[tuple[int, int]]) -> list[QuoteMarks]:
    """``‘…’`` / ``'…'`` quotations outside double-quoted text, both ends at word boundaries."""
    found: list[QuoteMarks] = []
    for para in _PARAGRAPH.finditer(text):
        start, end = para.span()
        opening: int | None = None
        for match in _SINGLE.finditer(text, start, end):
            at = match.start()
            if any(a <= at < b for a, b in taken):
                continue
            before = text[at - 1] if at > start else " "
            after = text[at + 1] if at + 1 < end else " "
            char = match.group()
            if opening is None:
                at_word_start = before.isspace() or before in _OPEN_CONTEXT
                if char in "'‘‚‹" and at_word_start and after.isalpha():
                    opening = at
                continue
            if char in "'’›" and not before.isspace() and not after.isalnum():
                content = _trimmed(text, opening + 1, at)
                if 2 <= content[1] - content[0] <= _MAX_SINGLE:
                    found.append(QuoteMarks(content[0], content[1], opening, at, True))
                opening = None
            elif at - opening > _MAX_SINGLE:
                opening = None
    return found


def find_quotes(text: str) -> list[QuoteMarks]:
    """Every quotation delimited by marks in ``text``, in order; never raises."""
    doubles = _Pairing(text).run()
    taken = [(q.open_at, q.after) for q in doubles]
    singles = _single_quotes(text, taken) if ("'" in text or "‘" in text) else []
    return sorted(doubles + singles, key=lambda q: q.start)
