"""Removing control characters and terminal escape sequences, with or without a map.

Untrusted text is data: escape sequences and control characters must never reach a
terminal, so they leave every text that enters newsread.  Two callers need that:
cleaning a plain article (:mod:`annotate.clean`, which removes more besides) and
imports whose spans point into the raw text (Prodigy, doccano, Label Studio, brat),
which must also know where each kept character came from.  One set of patterns
serves both, and :func:`clean_with_offsets` checks itself against
:func:`strip_control`, so the two can never drift apart and shift spans silently.
"""

from __future__ import annotations

import re

from annotate.offsets import OffsetMap, Segment
from annotate.terminal_text import CONTROL_CLASS

CONTROL = re.compile(f"[{CONTROL_CLASS}]")
"""C0 and C1 control characters except newline and tab; DEL; bidi overrides and
isolates (one class for the whole app: :mod:`annotate.terminal_text`)."""
ESCAPE_SEQ = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
"""A whole terminal escape sequence (CSI, OSC, or a two-character one)."""
_NEEDS_CLEANING = re.compile(f"[{CONTROL_CLASS}\r]")


def strip_control(text: str) -> str:
    """``text`` without terminal escape sequences and control characters.

    Whole escape sequences go first (so ``ESC[31m`` leaves no ``[31m`` behind),
    then any stray control character; ``\\r\\n`` and ``\\r`` become ``\\n``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ESCAPE_SEQ.sub("", text)
    return CONTROL.sub("", text)


def clean_with_offsets(text: str) -> tuple[str, OffsetMap]:
    """``strip_control(text)`` and the map from its offsets to ``text``'s.

    ``ValueError`` if the removal cannot be mapped exactly (it never should be).
    """
    if not _NEEDS_CLEANING.search(text):
        return text, OffsetMap(((0, 0, len(text)),))
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
    for pattern in (ESCAPE_SEQ, CONTROL):
        drop = [False] * len(chars)
        for match in pattern.finditer("".join(chars)):
            drop[match.start() : match.end()] = [True] * (match.end() - match.start())
        chars = [c for c, d in zip(chars, drop, strict=True) if not d]
        origin = [o for o, d in zip(origin, drop, strict=True) if not d]
    cleaned = "".join(chars)
    if cleaned != strip_control(text):
        raise ValueError("the text holds control characters that cannot be removed safely")
    return cleaned, OffsetMap(_segments(origin))


def _segments(origin: list[int]) -> tuple[Segment, ...]:
    """Runs of consecutive raw positions as ``(clean_start, raw_start, length)``."""
    segments: list[Segment] = []
    for clean, raw in enumerate(origin):
        if segments:
            start, raw_start, length = segments[-1]
            if raw == raw_start + length and clean == start + length:
                segments[-1] = (start, raw_start, length + 1)
                continue
        segments.append((clean, raw, 1))
    return tuple(segments)
