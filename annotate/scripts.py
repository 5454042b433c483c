"""Stray words in another script: short runs of a script other than the article's.

Scraped pages leave menu words and share labels in another alphabet in an English
body (``Поделиться``); runs of at most four such words go to ``meta["stray"]``.  A gloss
in brackets (``Xi Jinping (习近平)``) is kept: it belongs to the sentence.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ASCII_LETTERS = re.compile(r"(?:(?![A-Za-z])[^\W\d_])+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_TOKEN = re.compile(r"\S+")


def _script(char: str) -> str:
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def dominant_script(text: str) -> tuple[str, float]:
    """The script most letters are written in, and the share of letters outside it."""
    counts: dict[str, int] = {"LATIN": len(_ASCII_LETTER.findall(text))}
    for match in _NON_ASCII_LETTERS.finditer(text):
        script = _script(match.group()[0])
        counts[script] = counts.get(script, 0) + len(match.group())
    total = sum(counts.values()) or 1
    dominant = max(counts, key=lambda k: counts[k])
    return dominant, 1 - counts[dominant] / total


def stray_ranges(text: str, dominant: str) -> list[tuple[int, int]]:
    """Runs of at most four words written wholly in another script (with one space each).

    A foreign word in brackets is kept: ``Xi Jinping (习近平)`` is a gloss, not noise.
    """
    found: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []

    def flush() -> None:
        if run and len(run) <= 4:
            start, end = run[0][0], run[-1][1]
            inside = "(" in text[max(0, start - 1) : start + 1] or ")" in text[end - 1 : end + 1]
            if not inside:
                if start > 0 and text[start - 1] == " ":
                    start -= 1
                elif end < len(text) and text[end] == " ":
                    end += 1
                found.append((start, end))
        run.clear()

    for token in _TOKEN.finditer(text):
        word = token.group()
        letters = [c for c in word if c.isalpha()]
        if word.isascii() or not letters:
            flush()
            continue
        scripts = {_script(c) for c in letters}
        if len(scripts) == 1 and dominant not in scripts:
            run.append(token.span())
        else:
            flush()
    flush()
    return found
