"""Entity suggestions from spaCy's NER, with the fixes news text reliably needs.

The small English model makes the same few mistakes on news over and over, and each
one costs the annotator keystrokes, so they are fixed before anyone sees them:

* spans that swallow a quotation mark or a possessive (``the “National Liberation
  Army``, ``Che Guevara’s``, ``”Sullivan``) are trimmed to the name;
* spans running over a line break are dropped (they join a heading to the next line);
* a surname the model labels ORG (or NORP, PRODUCT…) after the article gave the full
  name as PERSON (``Diego Molano`` … ``Molano``) is relabelled PERSON, and a surname
  it missed altogether is added; both carry ``origin=rule`` so the person sees the
  suggestion came from a correction, not from the model.

Labels are the model's own (OntoNotes for the English pipelines); ``labels`` narrows
them to what a project annotates.  Boilerplate never reaches here: cleaning removed it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from annotate.detect.cues import default_lexicon
from annotate.model import Origin, Span, sorted_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc

_QUOTES = "“”\"‘’'«»„‟‹›"
_LEAD = _QUOTES + " \t\n([{-–—,;:"
_TRAIL = _QUOTES + " \t\n)]},;:-–—"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
# Labels a surname is wrongly given; GPE and LOC are not corrected because a place
# can share a surname's spelling (George Washington, Washington).
_CORRECTABLE = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "LAW"})


def trim_entity(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` without quotation marks, possessive ``’s`` and stray punctuation.

    A quotation mark inside the span that is not matched inside it marks where the
    name begins (an opening mark) or ends (a closing mark): ``the “National Liberation
    Army`` becomes ``National Liberation Army``.  Matched marks inside stay
    (``Joaquin “El Chapo” Guzman``).
    """
    for _ in range(3):
        before = (start, end)
        while start < end and text[start] in _LEAD:
            start += 1
        while end > start and text[end - 1] in _TRAIL:
            end -= 1
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start:
            end = possessive.start()
        inner = [i for i in range(start, end) if text[i] in _QUOTES and text[i] not in "’'"]
        if len(inner) == 1:
            at = inner[0]
            opening = at + 1 < end and not text[at + 1].isspace()
            if opening and text[at] not in "”»":
                start = at + 1
            else:
                end = at
        if (start, end) == before:
            break
    return start, end


def fix_entities(
    doc: Doc, *, labels: Collection[str] | None = None, text: str | None = None
) -> tuple[Span, ...]:
    """The entities of ``doc`` as spans, trimmed and made consistent (module docstring).

    ``labels`` keeps only those labels (after the fixes, so a relabelled surname is
    kept or dropped by its new label).  ``text`` is ``doc.text`` if the caller has it.
    """
    text = doc.text if text is None else text
    spans: list[Span] = []
    for ent in doc.ents:
        start, end = trim_entity(text, ent.start_char, ent.end_char)
        if end <= start or "\n" in text[start:end]:
            continue
        changed = (start, end) != (ent.start_char, ent.end_char)
        spans.append(Span(start, end, ent.label_, origin=Origin.RULE if changed else Origin.MODEL))
    spans = _consistent_surnames(doc, text, spans)
    if labels is not None:
        allowed = set(labels)
        spans = [s for s in spans if s.label in allowed]
    return sorted_spans(spans)


def _person_names(text: str, spans: Iterable[Span]) -> tuple[set[str], set[str]]:
    """Full names and surnames of multi-word PERSON entities."""
    titles = default_lexicon().person_nouns
    full, last = set(), set()
    for span in spans:
        if span.label != "PERSON":
            continue
        words = text[span.start : span.end].split()
        words = [w for w in words if w.lower().rstrip(".") not in titles]
        if len(words) >= 2 and words[-1][:1].isupper():
            full.add(" ".join(words))
            last.add(words[-1])
    return full, last


def _consistent_surnames(doc: Doc, text: str, spans: list[Span]) -> list[Span]:
    full, last = _person_names(text, spans)
    if not last:
        return spans
    titles = default_lexicon().person_nouns
    fixed: list[Span] = []
    for span in spans:
        words = text[span.start : span.end].split()
        name_words = [w for w in words if w.lower().rstrip(".") not in titles]
        is_name = bool(name_words) and (
            " ".join(name_words) in full or (len(name_words) == 1 and name_words[0] in last)
        )
        if span.label in _CORRECTABLE and is_name:
            span = Span(span.start, span.end, "PERSON", origin=Origin.RULE)
        fixed.append(span)
    covered = sorted((s.start, s.end) for s in fixed)
    names = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(last))) + r")\b")
    for match in names.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in covered):
            continue
        tokens = doc.char_span(match.start(), match.end())
        if tokens is None or len(tokens) != 1 or tokens[0].pos_ not in ("PROPN", ""):
            continue
        if _inside_longer_name(doc, tokens[0].i, titles):
            continue
        fixed.append(Span(match.start(), match.end(), "PERSON", origin=Origin.RULE))
    return fixed


def _inside_longer_name(doc: Doc, i: int, titles: Collection[str]) -> bool:
    """True when the token is part of a longer proper name (``Sullivan Street``)."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(doc):
            other = doc[j]
            if other.pos_ == "PROPN" and other.lower_.rstrip(".") not in titles:
                return True
    return False
