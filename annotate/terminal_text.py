"""Untrusted text made safe for a terminal: the one place that decides what may be drawn.

Labels, annotator names, tags, file names, paths and meta come from files newsread did
not write.  Written raw to a terminal, an ``ESC ] 52`` sequence sets the clipboard,
``ESC ] 2`` the window title, ``ESC [ 2J`` clears the screen, a C1 ``U+009B`` starts a
sequence on terminals that honour 8-bit controls, and a bidi override (``U+202E``)
makes a file name read backwards.  Every such character is shown here as a visible
escape (``\\x1b``, ``\\u202e``) instead of being emitted, so a person sees that the
input is odd and the terminal never acts on it.

Three shapes, one character class (:data:`UNSAFE`):

* :func:`escape` for a value drawn in the app or printed in a report, where a newline
  may be meaningful (``keep_newlines``);
* :func:`one_line` for a CLI message, which must stay one line (a newline in a file
  name would otherwise split an error in two);
* :func:`same_length` for article text, whose offsets must not move: each unsafe
  character becomes one ``�``.

:func:`check_token` is the import-time rule for labels, annotator names and tags: a
short printable token, so that no exporter (CoNLL to stdout, say) can ever write
control bytes that came in through an import.
"""

from __future__ import annotations

import re
import sys
from typing import IO, cast

BIDI_CLASS = r"\u202a-\u202e\u2066-\u2069"
"""Bidi embeddings and overrides (U+202A–E) and isolates (U+2066–9): they reorder what
follows them on screen (a file name that reads backwards)."""
CONTROL_CLASS = r"\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CLASS
"""What may never reach a terminal but newline and tab: C0, DEL, C1 and bidi controls.
Cleaning deletes these from article text (``annotate.clean``), display escapes them."""
UNSAFE_CLASS = r"\x00-\x1f\x7f-\x9f" + BIDI_CLASS
"""Everything that may not be written inside one line (newline and tab too)."""
UNSAFE = re.compile(f"[{UNSAFE_CLASS}]")
_UNSAFE_BUT_LINES = re.compile(f"[{CONTROL_CLASS}]")
TOKEN_MAX = 64
"""Longest label, tag or annotator name an import accepts (OntoNotes' longest is 11)."""
_WORD = f"[^\\s{UNSAFE_CLASS}]+"
_TOKEN = re.compile(_WORD)
_NAME = re.compile(f"{_WORD}(?: {_WORD})*")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every unsafe character shown as an escape (``\\x1b``).

    Newlines and tabs are kept when ``keep_newlines`` (a multi-line report); without
    it they are escaped too, like everything else in :data:`UNSAFE`.
    """
    pattern = _UNSAFE_BUT_LINES if keep_newlines else UNSAFE
    return pattern.sub(_shown, text)


def one_line(text: str) -> str:
    """``text`` as one safe line: every control (newline included) shown as an escape."""
    return UNSAFE.sub(_shown, text)


def same_length(text: str) -> str:
    """``text`` with unsafe characters (but newline and tab) replaced one-for-one by ``�``.

    For article text, where a character's offset must stay what it is in the store.
    """
    return _UNSAFE_BUT_LINES.sub("\N{REPLACEMENT CHARACTER}", text)


def is_safe(text: str, *, keep_newlines: bool = True) -> bool:
    """True when ``text`` can go to a terminal as it is."""
    pattern = _UNSAFE_BUT_LINES if keep_newlines else UNSAFE
    return pattern.search(text) is None


# In JSON text these characters can only stand inside strings, where ``\\uXXXX`` means
# the same: escaping them keeps the JSON identical in meaning and harmless on a terminal.
_UNSAFE_BYTES = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)
""":data:`CONTROL_CLASS` in UTF-8 (each pattern starts at a lead byte, never inside a
multi-byte character)."""


def _json_escape(match: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(match.group().decode())


def json_safe(line: bytes) -> bytes:
    """UTF-8 JSON ``line`` with control, DEL, C1 and bidi characters written as ``\\uXXXX``.

    JSON encoders escape C0 controls but write C1 and bidi characters raw; a JSON line
    printed to a terminal must not carry them either.  Newline and tab are kept.
    """
    return _UNSAFE_BYTES.sub(_json_escape, line)


class SafeWriter:
    """A binary stream that writes :data:`CONTROL_CLASS` characters as ``\\uXXXX``.

    For command output that goes to stdout, a terminal perhaps: JSON lines stay the
    same JSON (:func:`json_safe`), other text (a CoNLL label from an old store) shows
    the escape instead of acting on the terminal.  Each ``write`` must hold whole
    UTF-8 characters, as line-by-line writers do.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        """Write ``data`` made safe; returns the length of ``data`` (as callers expect)."""
        self.stream.write(json_safe(data))
        return len(data)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self.stream.flush()


def safe_stdout() -> IO[bytes]:
    """``sys.stdout.buffer`` behind a :class:`SafeWriter` (it writes and flushes only)."""
    return cast("IO[bytes]", SafeWriter(sys.stdout.buffer))


def check_token(value: object, what: str, *, spaces: bool = False) -> str:
    """``value`` if it is a usable label, tag or annotator name, else ``ValueError``.

    A token is printable, has no whitespace, control or bidi character and is at most
    :data:`TOKEN_MAX` characters: labels name classes, they are not free text, and a
    value that breaks this rule is a hostile or corrupt file rather than a label.
    The message shows the value escaped, so it can be printed as is.  ``spaces``
    allows single inner spaces (an annotator may be called "Maria Lopez").
    """
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} is empty or not a string")
    pattern = _NAME if spaces else _TOKEN
    if len(value) > TOKEN_MAX or pattern.fullmatch(value) is None:
        shown = one_line(value[:TOKEN_MAX])
        raise ValueError(
            f"{what} '{shown}' is not a short printable token (no spaces or control "
            f"characters, at most {TOKEN_MAX} characters)"
        )
    return value
