"""The line rules of cleaning, loaded from ``annotate/data/boilerplate.toml``.

Which lines of a scraped article are site furniture (share bars, comment forms,
related-article lists), photo captions or reporting credits changes from CMS to CMS,
so the rules are data: adding a footer is a line in the TOML file, not a code change.
This module only compiles them and answers "which rule, if any, claims this line?".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# Trailing characters ignored when comparing a line with a whole-line phrase.
_TRAILING = " \t.:;,*!|-–—•·»›>"


@dataclass(frozen=True, slots=True)
class LineRule:
    """One named rule: where a matching line goes, whether it starts a footer block
    (``tail``), and whether the short line under it is a caption (``caption_after``: its
    most words, 0 for no)."""

    name: str
    kind: str
    lines: frozenset[str]
    prefixes: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    max_words: int
    tail: bool
    caption_after: int = 0

    def matches(self, line: str, lowered: str, words: int) -> bool:
        """True when ``line`` (stripped; ``lowered`` is its lower case) is claimed by this rule."""
        if words > self.max_words:
            return False
        if lowered.rstrip(_TRAILING) in self.lines:
            return True
        for prefix in self.prefixes:
            if lowered.startswith(prefix) and (
                len(lowered) == len(prefix)
                or not (lowered[len(prefix)].isalnum() and prefix[-1].isalnum())
            ):
                return True
        return any(p.match(line) for p in self.patterns)


@dataclass(frozen=True, slots=True)
class Rules:
    """Every line rule plus the header patterns and limits of the data file."""

    rules: tuple[LineRule, ...]
    date_prefix: re.Pattern[str]
    date_rest: re.Pattern[str]
    byline: re.Pattern[str]
    tail_body_words: int
    tail_prose_words: int
    header_lines: int

    def classify(self, line: str) -> LineRule | None:
        """The first rule that claims ``line`` (already stripped), or ``None`` for body text."""
        lowered = line.lower()
        words = line.count(" ") + 1
        for rule in self.rules:
            if rule.matches(line, lowered, words):
                return rule
        return None


def _rule(data: dict[str, Any]) -> LineRule:
    kind = str(data.get("kind", "boilerplate"))
    if kind not in {"boilerplate", "caption", "credit"}:
        raise ValueError(f"boilerplate rule {data.get('name')!r}: unknown kind {kind!r}")
    return LineRule(
        name=str(data["name"]),
        kind=kind,
        lines=frozenset(s.lower().rstrip(_TRAILING) for s in data.get("lines", ())),
        prefixes=tuple(s.lower() for s in data.get("prefixes", ())),
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in data.get("patterns", ())),
        max_words=int(data.get("max_words", 12)),
        tail=bool(data.get("tail", False)),
        caption_after=int(data.get("caption_after", 0)),
    )


def parse_rules(text: str) -> Rules:
    """Compile rules from TOML text (the packaged file, or a test's own)."""
    data = tomllib.loads(text)
    limits = data.get("limits", {})
    header = data.get("header", {})
    return Rules(
        rules=tuple(_rule(r) for r in data.get("rule", ())),
        date_prefix=re.compile(header.get("date_prefix", "^"), re.IGNORECASE),
        date_rest=re.compile(header.get("date_rest", r"\s*"), re.IGNORECASE),
        byline=re.compile(header.get("byline", r"(?!)")),
        tail_body_words=int(limits.get("tail_body_words", 25)),
        tail_prose_words=int(limits.get("tail_prose_words", 10)),
        header_lines=int(limits.get("header_lines", 6)),
    )


@cache
def default_rules() -> Rules:
    """The packaged rules, parsed once per process."""
    text = resources.files("annotate").joinpath("data/boilerplate.toml").read_text("utf-8")
    return parse_rules(text)
