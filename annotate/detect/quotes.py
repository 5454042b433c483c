"""Attributions with their speakers and cues, from a parsed Doc: quotations and reported speech.

The data flow for one article:

1. :func:`annotate.detect.quotemarks.find_quotes` pairs the quotation marks of the text
   (typos and unbalanced marks included) into content spans;
2. quoted names and titles are set aside: a capitalised proper-noun phrase with no
   reporting verb next to it (``the “National Liberation Army”``, ``Anthony “Ace”
   Newbold``) is not a quotation;
3. each quotation is attributed by the strategies of :mod:`annotate.detect.attribution`,
   most specific first (a cue right after or before it, the verb its words depend
   on, any cue of its sentence, a colon after a name, the sentence before); failing
   all, it inherits the speaker of the quotation before it in the paragraph (``“…,”
   he said. “…”``), or of the previous paragraph's last quotation when it opens a
   paragraph;
4. a pronoun speaker is resolved to an earlier mention (:mod:`annotate.detect.speakers`);
5. the quotation is ``direct`` when it stands as its own statement (starts a sentence
   or follows ``said:``/``said,``/``said that``, ends its sentence or is followed by
   its attribution, and reads as a clause), ``partial`` when it is a fragment woven
   into the writer's sentence;
6. reported speech (:mod:`annotate.detect.reported`) is found on the same parse and merged
   with the quotations (:mod:`annotate.detect.merge`): a reported clause holding quoted
   words becomes one ``mixed`` attribution, one without marks an ``indirect`` one; speakers
   are linked to their entities by :mod:`annotate.detect.linking`;
7. what is left of scare quotes is not suggested (unless asked for): a quoted fragment
   (``partial``) of at most three words that nobody says (no cue, no speaker), and one
   that reads as a name or title with no cue (``the “History” channel``, ``“Robogee.”``).
   Each costs a person a rejection and rarely is a quotation; fragments inside a reported
   clause are kept (they are its ``quoted`` words).

Only tokens around each quotation, and one pass over the verbs, are looked at, so the
cost stays small next to spaCy's own (``bench/analyze.py`` measures it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotate.detect.attribution import INTRO, ArticleIndex, Attribution, Attributor
from annotate.detect.cues import Lexicon, default_lexicon
from annotate.detect.linking import Linker
from annotate.detect.merge import merge
from annotate.detect.quotemarks import QuoteMarks, find_quotes
from annotate.detect.reported import find_reported
from annotate.detect.speakers import Resolver
from annotate.model import Origin, Quote, QuoteKind, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

SPEAKER = "SPEAKER"
CUE = "CUE"
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_FUNCTION_WORDS = frozenset(
    "of the and a an for in on at to by with from de del la las los el y da do dos di "
    "van von der den du le les et und".split()
)
_WORD = re.compile(r"[^\W\d_][\w’'.-]*")
_TERMINAL = ".!?…"
_THAT = re.compile(r"\bthat$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+")


def _is_clausal(doc: Doc, tokens: range, has_tags: bool) -> bool:
    return has_tags and any(doc[i].tag_ in _FINITE for i in tokens)


class _Detector:
    """Attributes and classifies the quotations of one article (module docstring)."""

    def __init__(self, art: ArticleIndex, resolver: Resolver, linker: Linker) -> None:
        self.art = art
        self.resolver = resolver
        self.linker = linker
        self.attr = Attributor(art, resolver)
        self.quotes: list[Quote] = []
        self.paragraph_of: list[tuple[int, int]] = []

    def run(self) -> tuple[Quote, ...]:
        marks = self.art.marks
        for index, mark in enumerate(marks):
            previous = marks[index - 1] if index else None
            following = marks[index + 1] if index + 1 < len(marks) else None
            quote = self._quote(mark, previous, following)
            if quote is not None:
                self.quotes.append(quote)
                self.paragraph_of.append(self.art.paragraph(mark.open_at, mark.after))
        return tuple(self.quotes)

    # -- one quotation ---------------------------------------------------------

    def _quote(
        self, mark: QuoteMarks, previous: QuoteMarks | None, following: QuoteMarks | None
    ) -> Quote | None:
        """Attribute and classify one quotation (``None`` for a quoted name or title)."""
        art = self.art
        text = art.text
        content = text[mark.start : mark.end]
        if not _WORD.search(content):
            return None
        para_start, para_end = art.paragraph(mark.open_at, mark.after)
        lead_start = max(para_start, art.sentence(mark.start)[0])
        if previous is not None and previous.after > lead_start:
            lead_start = min(previous.after, mark.open_at)
        lead_start = min(lead_start, mark.open_at)
        trail_end = mark.after
        if mark.closed:
            rest = text[mark.after : para_end]
            first = mark.after + len(rest) - len(rest.lstrip())
            trail_end = max(art.sentence(min(first, len(text) - 1))[1], mark.after)
            trail_end = min(trail_end, para_end)
            if (
                following is not None
                and following.open_at < trail_end
                and not _looks_like_name(text[following.start : following.end])
            ):
                # Stop at the next quotation, unless it is a nickname or title inside
                # the attribution ("Press Secretary Anthony “Ace” Newbold announced").
                trail_end = following.open_at
        content_tokens = art.token_range(mark.start, mark.end)

        invites = content[-1] in ",?!"
        trailing = self.attr.trailing(mark.after, trail_end, invites) if mark.closed else None
        if trailing is not None and trailing.speaker is not None:
            if trailing.speaker.idx < mark.open_at:
                # "the newspaper “El Tiempo” reported": the quotation is inside the
                # subject of the verb, not attributed by it.
                trailing = None
        leading = self.attr.leading(lead_start, mark.open_at)
        before = _clause_before(text, para_start, previous, mark)
        starts_unit = not before or before.endswith(INTRO)
        if leading is not None and (
            leading.how in ("colon", "that") or (leading.how == "next" and content[0].isupper())
        ):
            starts_unit = True  # "said: “", "told reporters that “", "said “We"
        if self._is_name(mark, content, content_tokens, starts_unit, leading, trailing):
            return None

        attribution = trailing or leading
        if attribution is None or attribution.speaker is None:
            governing = self.attr.governing(content_tokens, (para_start, para_end)) or (
                self.attr.in_sentence(mark, lead_start)
            )
            if governing is not None and (attribution is None or governing.speaker is not None):
                attribution = governing
        if attribution is None and before.endswith((":", " -", "–", "—")):
            attribution = self.attr.colon_subject(mark, before)
        if not starts_unit and _THAT.search(before) and self.attr.speech(attribution):
            starts_unit = True  # "said on Monday, after the meeting, that “…”"
        if (
            not starts_unit
            and leading is not None
            and leading.how == "next"
            and self.attr.speech(leading)
            and _is_clausal(art.doc, content_tokens, art.has_tags)
        ):
            starts_unit = True  # "he said “we will fight”": a clause, the cue right before

        after = text[mark.after : trail_end].lstrip()
        ends_unit = (
            not mark.closed
            or trailing is not None
            or not after
            or after[0] in _TERMINAL
            or (content[-1] in _TERMINAL and (after[0].isupper() or after[0] in '“"‘'))
        )
        sentence_like = (
            content[-1] in _TERMINAL
            or mark.paragraphs > 1
            or _is_clausal(art.doc, content_tokens, art.has_tags)
            or (content[0].isupper() and content[-1] in ",;:" and not before)
        )
        direct = starts_unit and ends_unit and sentence_like
        kind = QuoteKind.DIRECT if direct else QuoteKind.PARTIAL
        if direct and (attribution is None or attribution.speaker is None):
            attribution = self.attr.previous_sentence(mark, para_start) or attribution
        if not direct and attribution is None:
            attribution = self.attr.sentence_subject(mark)
        return self._build(mark, kind, attribution)

    def _is_name(
        self,
        mark: QuoteMarks,
        content: str,
        tokens: range,
        starts_unit: bool,
        leading: Attribution | None,
        trailing: Attribution | None,
    ) -> bool:
        """A quoted name or title: capitalised proper-noun phrase, no cue right next to it.

        A comma inside the closing mark is American punctuation, not part of the name
        (``known as “Operation Warp Speed,” was``).
        """
        if content[-1] in _TERMINAL or mark.paragraphs > 1:
            return False
        if not _looks_like_name(content):
            return False
        text = self.art.text
        if (
            text[mark.open_at - 1 : mark.open_at] == " "
            and text[mark.after : mark.after + 1] == " "
        ):
            left = text[max(0, mark.open_at - 40) : mark.open_at].split()[-1:] or [""]
            right = text[mark.after : mark.after + 40].split()[:1] or [""]
            if left[0][:1].isupper() and left[0][-1:].isalpha() and right[0][:1].isupper():
                return True  # a nickname inside a name: Anthony “Ace” Newbold
        words = _WORD.findall(content.rstrip(",;:"))
        if (trailing is not None and trailing.speaker is not None) or (
            leading is not None and leading.how in ("colon", "next")
        ):
            return False
        if len(words) == 1:
            doc = self.art.doc
            proper = any(doc[i].pos_ == "PROPN" for i in tokens) or not self.art.has_tags
            before = text[max(0, mark.open_at - 8) : mark.open_at].rstrip().lower()
            preceded = before.endswith((" the", " a")) or before in ("the", "a")
            return proper or preceded or not starts_unit
        return True

    # -- speakers carried over and the Quote itself --------------------------

    def _inherited(self, mark: QuoteMarks, opens_paragraph: bool) -> Quote | None:
        """The quotation whose speaker carries over to ``mark``: the one before it in the
        paragraph, or the previous paragraph's last one when ``mark`` opens a paragraph
        right after it (a quotation running over paragraphs, attributed once)."""
        if not self.quotes:
            return None
        para = self.art.paragraph(mark.open_at, mark.after)
        last, last_para = self.quotes[-1], self.paragraph_of[-1]
        if last.speaker is None:
            return None
        if last_para == para:
            return last
        text = self.art.text
        between = text[last_para[1] : para[0]]
        if opens_paragraph and last.kind is QuoteKind.DIRECT and not between.strip():
            return last
        return None

    def _build(self, mark: QuoteMarks, kind: QuoteKind, attribution: Attribution | None) -> Quote:
        """The Quote: speaker noun phrase, pronoun resolved, or a speaker carried over."""
        art = self.art
        text = art.text
        if attribution is None or attribution.speaker is None:
            para_start = art.paragraph(mark.open_at, mark.after)[0]
            opens_paragraph = not text[para_start : mark.open_at].strip()
            source = self._inherited(mark, opens_paragraph)
            if source is not None:
                own = attribution.cue if attribution is not None else None
                return Quote(
                    mark.start,
                    mark.end,
                    kind,
                    speaker=source.speaker,
                    cue=_cue(own) if own is not None else source.cue,
                    speaker_ref=source.speaker_ref,
                    origin=Origin.RULE,
                )
        cue: Span | None = None
        speaker: Span | None = None
        ref: Span | None = None
        if attribution is not None and attribution.cue is not None:
            cue = _cue(attribution.cue)
        if attribution is not None and attribution.speaker is not None:
            speaker, ref = self.linker.spans(attribution.speaker)
        return Quote(
            mark.start, mark.end, kind, speaker=speaker, cue=cue, speaker_ref=ref,
            origin=Origin.RULE,
        )  # fmt: skip


def _looks_like_name(content: str) -> bool:
    """Capitalised words (and function words), at most eight, no sentence punctuation."""
    words = _WORD.findall(content.rstrip(",;:"))
    if not words or len(words) > 8 or not words[0][0].isupper() or content[-1] in _TERMINAL:
        return False
    return all(w[0].isupper() or w.lower() in _FUNCTION_WORDS for w in words)


SCARE_WORDS = 3
"""A quoted fragment of at most this many words, no cue and no speaker, is a scare quote."""


def is_scare_quote(quote: Quote, text: str) -> bool:
    """A quotation nobody is said to say (module docstring, step 7).

    Only fragments (``partial``) are judged: a ``direct`` quotation is a statement of
    its own (``His message was clear: “We stay.”``), and the quoted words of a ``mixed``
    attribution belong to a reported clause.
    """
    if quote.kind is not QuoteKind.PARTIAL or quote.cue is not None:
        return False
    content = text[quote.start : quote.end]
    words = _WORD.findall(content)
    if len(words) <= SCARE_WORDS and quote.speaker is None:
        return True
    bare = content.rstrip(_TERMINAL) if len(words) <= SCARE_WORDS else content
    return bool(bare) and _looks_like_name(bare)


def _cue(span: tuple[int, int]) -> Span:
    return Span(span[0], span[1], CUE, origin=Origin.RULE)


def _clause_before(
    text: str, para_start: int, previous: QuoteMarks | None, mark: QuoteMarks
) -> str:
    """The writer's words leading up to the opening mark in its sentence.

    Sentence ends are read from punctuation rather than from the parser, which splits
    sentences at quotation marks more readily than a reader would.
    """
    base = para_start
    if previous is not None and previous.after > base:
        base = min(previous.after, mark.open_at)
    before = text[base : mark.open_at]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    return before.strip()


def detect_quotes(
    doc: Doc,
    *,
    entities: Sequence[Span] = (),
    sentences: Sequence[tuple[int, int]] = (),
    lexicon: Lexicon | None = None,
    text: str | None = None,
    reported: bool = True,
    cognition: bool = True,
    scare_quotes: bool = False,
) -> tuple[Quote, ...]:
    """The quotations of ``doc`` with speakers and cues (see the module docstring).

    ``entities`` (after :func:`annotate.detect.entities.fix_entities`) help resolve pronoun
    speakers; ``sentences`` are the Doc's sentence bounds when the caller already has
    them (paragraphs stand in when the pipeline has no sentence boundaries).  ``text``
    is ``doc.text`` when the caller has it (spaCy rebuilds that string on every access).
    ``reported`` adds reported speech (``indirect``, and ``mixed`` where a reported clause
    holds quoted words, :mod:`annotate.detect.reported`); ``cognition`` lets verbs of
    belief (``believes``, ``fears``) report a clause too.  ``scare_quotes`` keeps the
    quotations :func:`is_scare_quote` would leave out.
    """
    text = doc.text if text is None else text
    marks = find_quotes(text)
    if not marks and not reported:
        return ()
    lexicon = lexicon or default_lexicon()
    art = ArticleIndex(doc, marks, sentences, lexicon, text)
    resolver = Resolver(
        doc,
        text,
        lexicon,
        [(e.start, e.end, e.label) for e in entities],
        art.sentences,
        art.contents,
    )
    spans = [(e.start, e.end, e.label) for e in entities]
    linker = Linker(doc, text, resolver, spans)
    quotes = _Detector(art, resolver, linker).run() if marks else ()
    if reported:
        quotes = merge(art, linker, quotes, find_reported(art, cognition=cognition))
    if scare_quotes:
        return quotes
    return tuple(q for q in quotes if not is_scare_quote(q, text))


__all__ = ["CUE", "SPEAKER", "detect_quotes", "is_scare_quote"]
