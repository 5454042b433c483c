"""Turning a raw article file into the clean text that is shown and annotated.

Untrusted text is data: control characters (terminal escape sequences among them)
are removed here, once, so that nothing downstream can be tricked into emitting
them, and the offsets of every later span are offsets into the cleaned text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from annotate.model import Article

# C0 and C1 control characters except newline and tab; DEL too.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ESCAPE_SEQ = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def strip_control(text: str) -> str:
    """``text`` without terminal escape sequences and control characters.

    Whole escape sequences go first (so ``ESC[31m`` leaves no ``[31m`` behind),
    then any stray control character; ``\\r\\n`` and ``\\r`` become ``\\n``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQ.sub("", text)
    return _CONTROL.sub("", text)


def clean_article(raw: str, *, source: str = "", meta: Mapping[str, Any] | None = None) -> Article:
    """An :class:`Article` from raw text: control characters removed, title from line one."""
    text = strip_control(raw).strip()
    if not text:
        raise ValueError("empty article")
    title = text.split("\n", 1)[0].strip()
    return Article.from_text(text, title=title, source=source, meta=meta)
