"""Turning a raw article file into the clean text that is shown and annotated.

Real articles arrive dirty: a ``date 2022-01-14`` header, photo captions, share bars
and comment forms at the end, stray words in another script.  Detectors must not see
any of that (a caption credit is not an ORG of the story, a footer is not a quote), so
cleaning happens once, here, before any analysis:

* untrusted text is data: control characters (terminal escape sequences among them)
  and zero-width characters are removed, so nothing downstream can emit them;
* the first lines may be a header: a date (kept as ``Article.published``) and a
  byline (``meta["byline"]``);
* lines claimed by the rules of ``annotate/data/boilerplate.toml`` leave the body:
  captions go to ``meta["captions"]`` (a line ending with its credit, ``… Image: Nick
  Moreau.``, and the short line under an image marker among them), credits to
  ``meta["credits"]``, site furniture to ``meta["boilerplate"]``;
* short runs of words in a script other than the article's go to ``meta["stray"]``;
* the title stays as the first paragraph of ``Article.text`` (headlines carry quotes).

Every removal shortens the text, so cleaning also records where each kept character
was in the file (``meta["offsets"]``, see :mod:`annotate.offsets`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotate.boilerplate import Rules, default_rules
from annotate.control import ESCAPE_SEQ
from annotate.dates import parse_date
from annotate.limits import MAX_ARTICLE_CHARS
from annotate.model import Article
from annotate.offsets import OffsetMap, Segment
from annotate.scripts import dominant_script, stray_ranges
from annotate.terminal_text import BIDI_CLASS

# What cleaning deletes outright: escape sequences, control characters (not line
# breaks or tabs), zero-width characters, the byte-order mark and soft hyphens.
_REMOVE = re.compile(
    ESCAPE_SEQ.pattern
    + r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\xad"
    + BIDI_CLASS
    + "]"
)
# Same-length substitutions: every kind of space becomes a plain space.
_SPACES = str.maketrans(
    dict.fromkeys(
        "\t\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
        "\u2007\u2008\u2009\u200a\u202f\u205f\u3000",
        " ",
    )
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_TERMINAL = tuple(".!?:;\"”’')]")
_PROSE_END = (".", "!", "?", "”", '"')
_TITLE_MAX = 120

_SEPARATOR = re.compile(r"^[\s,|·•\-–—]+")


class EmptyArticle(ValueError):
    """Nothing is left to annotate (an empty file, or one made only of boilerplate)."""


class ArticleTooLarge(ValueError):
    """The text is longer than :data:`MAX_ARTICLE_CHARS`; it should be split first."""


@dataclass(slots=True)
class _Mapped:
    """A piece of text with the raw offset of each of its runs: ``(offset, raw, length)``."""

    text: str
    segs: list[Segment]

    def slice(self, start: int, end: int) -> _Mapped:
        """The characters ``start:end`` with their raw offsets."""
        segs: list[Segment] = []
        for off, raw, length in self.segs:
            a, b = max(off, start), min(off + length, end)
            if a < b:
                segs.append((a - start, raw + a - off, b - a))
        return _Mapped(self.text[start:end], segs)

    def strip(self) -> _Mapped:
        """Without surrounding whitespace."""
        stripped = self.text.lstrip()
        start = len(self.text) - len(stripped)
        return self.slice(start, start + len(stripped.rstrip()))

    def delete(self, ranges: Iterable[tuple[int, int]]) -> _Mapped:
        """Without the (sorted, disjoint) ``ranges``."""
        pieces, pos = [], 0
        for start, end in ranges:
            pieces.append(self.slice(pos, start))
            pos = end
        pieces.append(self.slice(pos, len(self.text)))
        return _concat(pieces)

    @property
    def raw_start(self) -> int:
        return self.segs[0][1] if self.segs else -1

    @property
    def raw_end(self) -> int:
        return self.segs[-1][1] + self.segs[-1][2] if self.segs else -1


def _concat(pieces: list[_Mapped]) -> _Mapped:
    text: list[str] = []
    segs: list[Segment] = []
    pos = 0
    for piece in pieces:
        segs.extend((off + pos, raw, n) for off, raw, n in piece.segs)
        text.append(piece.text)
        pos += len(piece.text)
    return _Mapped("".join(text), segs)


class _Builder:
    """Appends kept pieces to the clean text, merging their segments where contiguous."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.segments: list[list[int]] = []
        self.length = 0

    def add(self, piece: _Mapped) -> None:
        for off, raw, n in piece.segs:
            self._segment(self.length + off, raw, n)
        self.parts.append(piece.text)
        self.length += len(piece.text)

    def separator(self, text: str, raw: str, raw_start: int, raw_end: int) -> None:
        """Insert a break between lines, mapped to the file where the file has as many spaces.

        A newline that became a space (a re-joined wrapped line) maps to that newline.
        """
        between = raw[raw_start:raw_end]
        if len(between) == len(text) and between.isspace():
            self._segment(self.length, raw_start, len(text))
        self.parts.append(text)
        self.length += len(text)

    def _segment(self, clean: int, raw: int, n: int) -> None:
        last = self.segments[-1] if self.segments else None
        if last and last[0] + last[2] == clean and last[1] + last[2] == raw:
            last[2] += n
        else:
            self.segments.append([clean, raw, n])

    def text(self) -> str:
        return "".join(self.parts)


@dataclass(slots=True)
class Cleaned:
    """The outcome of cleaning: body text, title, date and what was taken out (and where)."""

    text: str
    title: str
    published: str | None
    offsets: OffsetMap
    raw_length: int
    header: list[dict[str, Any]] = field(default_factory=list)
    byline: str | None = None
    captions: list[dict[str, Any]] = field(default_factory=list)
    credits: list[dict[str, Any]] = field(default_factory=list)
    boilerplate: list[dict[str, Any]] = field(default_factory=list)
    stray: list[dict[str, Any]] = field(default_factory=list)

    def meta(self) -> dict[str, Any]:
        """The JSON-ready metadata stored in ``Article.meta`` (empty lists left out)."""
        data: dict[str, Any] = {"raw_length": self.raw_length, "offsets": self.offsets.to_list()}
        for key in ("header", "captions", "credits", "boilerplate", "stray"):
            value = getattr(self, key)
            if value:
                data[key] = value
        if self.byline:
            data["byline"] = self.byline
        return data


def _removed(piece: _Mapped, **extra: Any) -> dict[str, Any]:
    return {"text": piece.text, "raw_start": piece.raw_start, "raw_end": piece.raw_end, **extra}


def _lines(raw: str) -> list[_Mapped]:
    """The raw text split into lines, control characters removed, spaces normalised."""
    keep: list[Segment] = []
    pieces: list[str] = []
    pos = kept = 0
    for match in _REMOVE.finditer(raw):
        if match.start() > pos:
            keep.append((kept, pos, match.start() - pos))
            pieces.append(raw[pos : match.start()])
            kept += match.start() - pos
        pos = match.end()
    if pos < len(raw):
        keep.append((kept, pos, len(raw) - pos))
        pieces.append(raw[pos:])
    text = "".join(pieces).translate(_SPACES)
    bounds, start = [], 0
    for match in _LINE_BREAK.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    # Walk lines and kept runs together: linear however many control characters.
    lines, index = [], 0
    for start, end in bounds:
        while index < len(keep) and keep[index][0] + keep[index][2] <= start:
            index += 1
        segs: list[Segment] = []
        probe = index
        while probe < len(keep) and keep[probe][0] < end:
            off, raw_at, length = keep[probe]
            a, b = max(off, start), min(off + length, end)
            if a < b:
                segs.append((a - start, raw_at + a - off, b - a))
            probe += 1
        lines.append(_Mapped(text[start:end], segs))
    return lines


def _title(first: str) -> str:
    if len(first) <= _TITLE_MAX + 30:
        return first
    cut = first[:_TITLE_MAX].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def _soft_wrapped(previous: str, following: str, hard_wrapped: bool) -> bool:
    """True when a line break is only wrapping inside a sentence.

    A break before a lower-case word always is; before a capital only in a file that
    is hard-wrapped throughout (otherwise a headline would swallow the line under it).
    """
    if not following or previous.endswith(_TERMINAL):
        return False
    return following[0].islower() or (
        hard_wrapped and len(previous) >= 40 and following[0].isalnum()
    )


def _hard_wrapped(body: list[tuple[_Mapped, bool]]) -> bool:
    """True when most lines that continue in the same paragraph break mid-sentence at a
    typewriter width (40–100 characters): a file wrapped by an editor or mailer."""
    inner = [
        line.text
        for (line, _), (_, starts_block) in zip(body, body[1:], strict=False)
        if not starts_block
    ]
    wrapped = sum(1 for t in inner if 40 <= len(t) <= 100 and not t.endswith(_TERMINAL))
    return wrapped >= 3 and wrapped * 2 >= len(inner)


def clean_text(raw: str, rules: Rules | None = None) -> Cleaned:
    """Clean ``raw`` into body text plus everything that was taken out of it.

    Paragraphs (blocks separated by blank lines, or by a removed line) are joined with
    a blank line; lines of one block with a newline, or a space where the break only
    wrapped a sentence.
    """
    rules = rules or default_rules()
    lines = [line.strip() for line in _lines(raw)]
    nonblank = "\n".join(line.text for line in lines if line.text)
    dominant, foreign_share = ("LATIN", 0.0) if nonblank.isascii() else dominant_script(nonblank)
    cleaned = Cleaned(text="", title="", published=None, offsets=OffsetMap(), raw_length=len(raw))
    repeated = _repeated_short_lines(lines)
    body: list[tuple[_Mapped, bool]] = []  # kept lines, and whether each starts a block
    new_block = False
    tail: str | None = None
    seen = 0  # non-blank lines so far (the header zone is the first few)
    title: str | None = None  # the first body line; scraped pages often repeat it
    under_image: tuple[str, int] | None = None  # an image marker's rule, caption words

    for index, line in enumerate(lines):
        if not line.text:
            new_block = True
            continue
        seen += 1
        if seen <= rules.header_lines and len(body) < 2:
            line = _take_header(line, rules, cleaned)
            if not line.text:
                new_block = True
                continue
        rule = rules.classify(line.text)
        marker, under_image = under_image, None
        if rule is None and marker is not None and line.text.count(" ") < marker[1]:
            cleaned.captions.append(_removed(line, rule=f"{marker[0]} (caption)"))
            new_block = True
            continue
        if rule is not None:
            if rule.caption_after:
                under_image = (rule.name, rule.caption_after)
            target = {"caption": cleaned.captions, "credit": cleaned.credits}.get(
                rule.kind, cleaned.boilerplate
            )
            target.append(_removed(line, rule=rule.name))
            # A footer block only starts after the story did: "Related" above the
            # headline is a stray label, not the end of the article.
            if rule.tail and len(body) >= 2:
                tail = rule.name
            new_block = True
            continue
        if index in repeated:  # an image caption and its alt text, one after the other
            cleaned.captions.append(_removed(line, rule="repeated-line"))
            new_block = True
            continue
        if title is not None and line.text == title:
            cleaned.boilerplate.append(_removed(line, rule="repeated-title"))
            new_block = True
            continue
        if tail is not None:
            words = line.text.count(" ") + 1
            prose = words >= rules.tail_prose_words and line.text.endswith(_PROSE_END)
            if words < rules.tail_body_words and not prose:
                cleaned.boilerplate.append(_removed(line, rule=f"{tail} (block)"))
                new_block = True
                continue
            tail = None
        if foreign_share and foreign_share < 0.2:
            strays = stray_ranges(line.text, dominant)
            if strays:
                cleaned.stray.extend(_removed(line.slice(a, b).strip()) for a, b in strays)
                line = line.delete(strays).strip()
                if not line.text:
                    continue
        body.append((line, new_block))
        new_block = False
        if title is None:
            title = line.text

    # Section labels left at the very end ("UK News") are page furniture, not story.
    while len(body) > 2 and _is_label(body[-1][0].text):
        cleaned.boilerplate.append(_removed(body.pop()[0], rule="trailing-label"))
    _build(raw, body, cleaned)
    return cleaned


def _is_label(text: str) -> bool:
    return len(text.split()) <= 4 and not text.endswith(_PROSE_END)


def _repeated_short_lines(lines: list[_Mapped]) -> set[int]:
    """Indices of short lines repeated on the next non-blank line (caption + alt text)."""
    found: set[int] = set()
    previous: int | None = None
    for index, line in enumerate(lines):
        if not line.text:
            continue
        if previous is not None and line.text == lines[previous].text:
            if len(line.text.split()) <= 15:
                found.update((previous, index))
        previous = index
    return found


def _build(raw: str, body: list[tuple[_Mapped, bool]], cleaned: Cleaned) -> None:
    """Join the kept lines into ``cleaned.text`` and its offset map."""
    out = _Builder()
    previous: _Mapped | None = None
    hard_wrapped = _hard_wrapped(body)
    for count, (line, new_block) in enumerate(body):
        if previous is not None:
            if new_block or count == 1:  # the headline is always a paragraph of its own
                out.separator("\n\n", raw, previous.raw_end, line.raw_start)
            elif _soft_wrapped(previous.text, line.text, hard_wrapped):
                out.separator(" ", raw, previous.raw_end, line.raw_start)
            else:
                out.separator("\n", raw, previous.raw_end, line.raw_start)
        out.add(line)
        previous = line
    cleaned.text = out.text()
    cleaned.offsets = OffsetMap(tuple((c, r, n) for c, r, n in out.segments))
    cleaned.title = _title(cleaned.text.split("\n", 1)[0])


def _take_header(line: _Mapped, rules: Rules, cleaned: Cleaned) -> _Mapped:
    """``line`` without a leading date header or byline (recorded in ``cleaned``)."""
    text = line.text
    prefix = rules.date_prefix.match(text)
    start = prefix.end() if prefix else 0
    date = parse_date(text[start:])
    if date is not None:
        iso, length = date
        end = start + length
        if rules.date_rest.fullmatch(text[end:]):
            end = len(text)  # only times and "Updated 3 hours ago" follow
        rest_line = line.slice(end, len(text))
        rest_text = _SEPARATOR.sub("", rest_line.text)
        # A date opening a sentence ("January 14, 2022 was cold") is body text: only a
        # labelled date, or one followed by nothing or by a caption/byline, is a header.
        labelled = start > 0
        rest_is_meta = not rest_text or rules.byline.match(rest_text) is not None
        if not rest_is_meta:
            claimed = rules.classify(rest_text)
            rest_is_meta = claimed is not None and claimed.kind == "caption"
        if labelled or rest_is_meta:
            cleaned.header.append(_removed(line.slice(0, end), date=iso))
            cleaned.published = cleaned.published or iso
            line = rest_line.slice(len(rest_line.text) - len(rest_text), len(rest_line.text))
            text = line.text
            if not text:
                return line
    if rules.byline.match(text):
        cleaned.byline = cleaned.byline or text
        cleaned.header.append(_removed(line, byline=True))
        return line.slice(0, 0)
    return line


def clean_article(raw: str, *, source: str = "", meta: Mapping[str, Any] | None = None) -> Article:
    """An :class:`Article` from the raw text of a file (see the module docstring).

    Raises :class:`ArticleTooLarge` above :data:`MAX_ARTICLE_CHARS` and
    :class:`EmptyArticle` when nothing is left to annotate; both are ``ValueError``.
    """
    if len(raw) > MAX_ARTICLE_CHARS:
        raise ArticleTooLarge(
            f"{len(raw):,} characters is more than the {MAX_ARTICLE_CHARS:,} an article may have"
        )
    cleaned = clean_text(raw)
    if not cleaned.text:
        raise EmptyArticle("empty article" if not raw.strip() else "no article text after cleaning")
    return Article.from_text(
        cleaned.text,
        title=cleaned.title,
        source=source,
        published=cleaned.published,
        meta={**dict(meta or {}), **cleaned.meta()},
    )
