"""Cleaning annotated text without breaking its annotations.

Imported text is untrusted: control characters and terminal escape sequences must
go (``annotate.clean.strip_control``).  Plain articles are simply cleaned, but a
Prodigy task or a CoNLL document arrives with character offsets, and deleting a
character moves every offset after it.  :func:`clean_with_offsets` removes exactly
what ``strip_control`` removes while remembering where each kept character came
from, so every span can be moved to the same characters in the cleaned text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from annotate.clean import strip_control
from annotate.formats.base import FormatError
from annotate.terminal_text import CONTROL_CLASS

# The same patterns as annotate.clean; the result is checked against strip_control,
# so a change there is caught (as a FormatError) instead of silently shifting spans.
_CONTROL = re.compile(f"[{CONTROL_CLASS}]")
_ESCAPE_SEQ = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
_NEEDS_CLEANING = re.compile(f"[{CONTROL_CLASS}\r]")


class OffsetMap:
    """Where each character of the cleaned text came from in the original."""

    __slots__ = ("_kept",)

    def __init__(self, kept: list[int] | None) -> None:
        self._kept = kept  # None: nothing was removed, offsets are unchanged

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The cleaned-text offsets of the original ``start:end``."""
        if self._kept is None:
            return start, end
        return bisect_left(self._kept, start), bisect_left(self._kept, end)


def clean_with_offsets(text: str) -> tuple[str, OffsetMap]:
    """``strip_control(text)`` and the map that moves offsets into the cleaned text."""
    if not _NEEDS_CLEANING.search(text):
        return text, OffsetMap(None)
    chars: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(text):  # \r\n -> \n, lone \r -> \n
        ch = text[i]
        if ch == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                i += 1
                continue
            ch = "\n"
        chars.append(ch)
        origin.append(i)
        i += 1
    for pattern in (_ESCAPE_SEQ, _CONTROL):
        joined = "".join(chars)
        drop = [False] * len(chars)
        for match in pattern.finditer(joined):
            for j in range(match.start(), match.end()):
                drop[j] = True
        chars = [c for c, d in zip(chars, drop, strict=True) if not d]
        origin = [o for o, d in zip(origin, drop, strict=True) if not d]
    cleaned = "".join(chars)
    if cleaned != strip_control(text):
        raise FormatError("the text holds control characters that cannot be removed safely")
    return cleaned, OffsetMap(origin)
