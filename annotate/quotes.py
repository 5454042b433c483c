"""Direct and partial quotations with their speakers and cue verbs, from a parsed Doc.

The data flow for one article:

1. :func:`annotate.quotemarks.find_quotes` pairs the quotation marks of the text
   (typos and unbalanced marks included) into content spans;
2. quoted names and titles are set aside: a capitalised proper-noun phrase with no
   reporting verb next to it (``the “National Liberation Army”``) is not a quotation;
3. each quotation is attributed, trying in order
   a. a cue right after it (``“…,” X said`` / ``“…,” said X`` / ``“…” X told``),
   b. a cue right before it (``X said: “…”`` / ``X told reporters that “…”``),
   c. the reporting verb its words depend on in the parse (``denounced “foreign
      interference”``, ``expressed its “skepticism”``), preferring a verb of speech
      over one of opinion,
   d. any reporting verb of its sentence (``according to …`` included),
   e. the speaker of the quotation before it in the paragraph (``“…,” he said.
      “…”``), or of the previous paragraph's last quotation for a paragraph that
      opens with a quotation;
4. a pronoun speaker is resolved to an earlier mention (:mod:`annotate.speakers`);
5. the quotation is ``direct`` when it stands as its own statement (starts a sentence
   or follows ``said:``/``said,``/``said that``, ends its sentence or is followed by
   its attribution, and reads as a clause), ``partial`` when it is a fragment woven
   into the writer's sentence.

Only tokens around each quotation are looked at, so the cost stays small next to
spaCy's own (``bench/analyze.py`` measures it).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.cues import CueKind, Lexicon, default_lexicon
from annotate.model import Origin, Quote, QuoteKind, Span
from annotate.quotemarks import QuoteMarks, find_quotes
from annotate.speakers import PRONOUNS, Mention, Resolver, adjacent_phrase, subject_of, trim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SPEAKER = "SPEAKER"
CUE = "CUE"
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_FUNCTION_WORDS = frozenset(
    "of the and a an for in on at to by with from de del la las los el y da do dos di "
    "van von der den du le les et und".split()
)
_WORD = re.compile(r"[^\W\d_][\w’'.-]*")
_TERMINAL = ".!?…"
_INTRO = (":", ",", "—", "–")
_LINE = re.compile(r"[^\n]+")
_THAT = re.compile(r"\bthat$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+")
_OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "attr", "oprd", "iobj"})
# A verb attributing the quotation before it is finite ("said", "says") or a perfect
# participle ("has said"); "“…”, criticizing X" or "“…” to find" start another clause.
_ATTRIBUTING_TAGS = frozenset({"VBD", "VBZ", "VBP", "VBN"})
_WINDOW = 10  # tokens searched for a cue next to a quotation
_SKIP_TOKENS = frozenset(",.;:-–—“”\"‘’'«»")


@dataclass(slots=True)
class _Attribution:
    cue: tuple[int, int] | None = None  # character span
    speaker: Token | None = None
    how: str = ""


class _Article:
    """Lookups over one Doc: tokens by offset, sentences, paragraphs, quoted ranges."""

    def __init__(
        self,
        doc: Doc,
        marks: list[QuoteMarks],
        sentences: Sequence[tuple[int, int]],
        lexicon: Lexicon,
        text: str,
    ) -> None:
        self.doc = doc
        self.text = text
        self.lexicon = lexicon
        self.marks = marks
        self.token_starts: list[int] = doc.to_array("IDX").tolist() if len(doc) else []
        self.has_parse, self.has_tags = annotated(doc, "DEP"), annotated(doc, "TAG")
        self.sentences = _within_paragraphs(self.text, sentences)
        self.sentence_starts = [s[0] for s in self.sentences]
        self.contents = sorted((m.start, m.end) for m in marks)
        self.content_starts = [c[0] for c in self.contents]

    def token_at(self, offset: int) -> int:
        """Index of the token containing (or nearest before) ``offset``."""
        return max(0, bisect_right(self.token_starts, offset) - 1)

    def token_range(self, start: int, end: int) -> range:
        """Indices of tokens overlapping ``start:end``."""
        if end <= start or not self.token_starts:
            return range(0)
        first = self.token_at(start)
        token = self.doc[first]
        if token.idx + len(token) <= start:
            first += 1
        return range(first, bisect_left(self.token_starts, end))

    def in_content(self, offset: int) -> bool:
        """True when ``offset`` is inside some quotation's content."""
        index = bisect_right(self.content_starts, offset) - 1
        return index >= 0 and offset < self.contents[index][1]

    def sentence(self, offset: int) -> tuple[int, int]:
        """The sentence containing ``offset``."""
        index = max(0, bisect_right(self.sentence_starts, offset) - 1)
        return self.sentences[index] if self.sentences else (0, len(self.text))

    def paragraph(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the paragraph(s) around ``start:end``."""
        para_end = self.text.find("\n", end)
        return self.text.rfind("\n", 0, start) + 1, len(self.text) if para_end < 0 else para_end

    def cue_kind(self, token: Token) -> CueKind | None:
        """The cue kind of a token outside quoted content."""
        if self.in_content(token.idx):
            return None
        return self.lexicon.kind(token)


def _within_paragraphs(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence bounds cut at line breaks: a headline never shares a sentence with the
    paragraph under it, whatever the parser decided (paragraphs without a parser)."""
    if not sentences:
        sentences = [(0, len(text))]
    bounds = []
    for start, end in sentences:
        for match in _LINE.finditer(text, start, end):
            bounds.append(match.span())
    return bounds


def annotated(doc: Doc, attr: str) -> bool:
    """``doc.has_annotation(attr)`` at C speed (that one walks every token in Python)."""
    return bool(len(doc)) and bool(doc.to_array(attr).any())


def _is_clausal(doc: Doc, tokens: range, has_tags: bool) -> bool:
    return has_tags and any(doc[i].tag_ in _FINITE for i in tokens)


class _Detector:
    """Attributes and classifies the quotations of one article (module docstring)."""

    def __init__(self, art: _Article, resolver: Resolver) -> None:
        self.art = art
        self.resolver = resolver
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

    # -- windows ---------------------------------------------------------------

    def _quote(
        self, mark: QuoteMarks, previous: QuoteMarks | None, following: QuoteMarks | None
    ) -> Quote | None:
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
        trailing = self._trailing(mark.after, trail_end, invites) if mark.closed else None
        if trailing is not None and trailing.speaker is not None:
            if trailing.speaker.idx < mark.open_at:
                # "the newspaper “El Tiempo” reported": the quotation is inside the
                # subject of the verb, not attributed by it.
                trailing = None
        leading = self._leading(lead_start, mark.open_at)
        before = _clause_before(text, para_start, previous, mark)
        starts_unit = not before or before.endswith(_INTRO)
        if leading is not None and (
            leading.how in ("colon", "that") or (leading.how == "next" and content[0].isupper())
        ):
            starts_unit = True  # "said: “", "told reporters that “", "said “We"
        if self._is_name(mark, content, content_tokens, starts_unit, leading, trailing):
            return None

        attribution = trailing or leading
        if attribution is None or attribution.speaker is None:
            governing = self._governing(content_tokens, (para_start, para_end)) or (
                self._in_sentence(mark, lead_start)
            )
            if governing is not None and (attribution is None or governing.speaker is not None):
                attribution = governing
        if attribution is None and before.endswith((":", " -", "–", "—")):
            attribution = self._colon_subject(mark, before)
        if not starts_unit and _THAT.search(before) and self._speech(attribution):
            starts_unit = True  # "said on Monday, after the meeting, that “…”"

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
            attribution = self._previous_sentence(mark, para_start) or attribution
        if not direct and attribution is None:
            attribution = self._sentence_subject(mark)
        return self._build(mark, kind, attribution)

    def _sentence_subject(self, mark: QuoteMarks) -> _Attribution | None:
        """A fragment with no reporting verb at all belongs to the person or organisation
        its sentence is about (``Newbold apologized for using the word ‘scrum’``)."""
        art = self.art
        start, end = art.sentence(mark.start)
        doc = art.doc
        span = doc.char_span(min(start, mark.open_at), max(end, mark.after), "expand")
        if span is None or not len(span):
            return None
        root = span.root
        for token in span:
            if token.dep_ != "nsubj" or token.head != root or art.in_content(token.idx):
                continue
            if token.pos_ == "PRON":
                return _Attribution(None, token, "subject") if _usable_speaker(token) else None
            label = self.resolver.mention(token).label
            if (
                label in ("PERSON", "ORG", "GPE", "NORP")
                or token.pos_ == "PROPN"
                or (token.lower_ in art.lexicon.person_nouns)
            ):
                return _Attribution(None, token, "subject")
            return None
        return None

    def _speech(self, attribution: _Attribution | None) -> bool:
        """True when the attribution's cue is a verb of speech (or ``according to``)."""
        if attribution is None or attribution.cue is None:
            return False
        token = self.art.doc[self.art.token_at(attribution.cue[0])]
        return self.art.cue_kind(token) is CueKind.SPEECH or token.lower_ == "according"

    def _colon_subject(self, mark: QuoteMarks, before: str) -> _Attribution | None:
        """``Smith was blunt: “…”`` / ``Putin: “…”``: the clause's subject, if a person
        or organisation, speaks the quotation a colon introduces (no cue)."""
        art = self.art
        start = art.text.rfind(before, 0, mark.open_at)
        tokens = art.token_range(max(0, start), mark.open_at)
        doc = art.doc
        heads = [doc[i] for i in tokens if doc[i].dep_ in ("nsubj", "nsubjpass")]
        if not heads and len(before.split()) <= 6:
            heads = [doc[i] for i in tokens if doc[i].pos_ in ("PROPN", "NOUN")][-1:]
        for head in heads:
            if art.in_content(head.idx):
                continue
            mention = self.resolver.mention(head)
            if (
                mention.label in ("PERSON", "ORG", "GPE", "NORP")
                or head.pos_ == "PROPN"
                or (head.lower_ in art.lexicon.person_nouns)
            ):
                return _Attribution(None, head, "colon-subject")
        return None

    def _previous_sentence(self, mark: QuoteMarks, para_start: int) -> _Attribution | None:
        """A direct quotation with no attribution of its own belongs to whoever the
        sentence before it has speaking (``Smith said the plan failed. “It never
        worked.”``), within the paragraph or, for a quotation opening a paragraph,
        the last sentence of the paragraph before."""
        art = self.art
        sentence_start = art.sentence(mark.start)[0]
        start = min(sentence_start, mark.open_at)
        if start <= para_start and art.text[para_start : mark.open_at].strip():
            return None
        previous_end = start - 1
        while previous_end > 0 and art.text[previous_end - 1].isspace():
            previous_end -= 1
        if previous_end <= 0:
            return None
        prev_start, _ = art.sentence(previous_end - 1)
        doc = art.doc
        tokens = art.token_range(prev_start, previous_end)
        for wanted in (CueKind.SPEECH, CueKind.COGNITION):  # "Reeves believes …. “…”"
            for i in reversed(tokens):
                token = doc[i]
                if art.cue_kind(token) is wanted:
                    speaker = self._speaker_for(token, tokens.start, tokens.stop, after_first=False)
                    if speaker is not None:
                        return _Attribution(self._cue_span(token), speaker, "previous")
        return None

    def _is_name(
        self,
        mark: QuoteMarks,
        content: str,
        tokens: range,
        starts_unit: bool,
        leading: _Attribution | None,
        trailing: _Attribution | None,
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
            preceded = self.art.text[: mark.open_at].rstrip().lower().endswith((" the", " a"))
            return proper or preceded or not starts_unit
        return True

    # -- attribution strategies ----------------------------------------------

    def _cue_span(self, first: Token, last: Token | None = None) -> tuple[int, int]:
        last = last or first
        return first.idx, last.idx + len(last)

    def _speaker_for(self, cue: Token, lo: int, hi: int, after_first: bool) -> Token | None:
        """The speaker head of ``cue`` within tokens ``lo:hi``: parse first, then adjacency."""
        art = self.art
        if art.has_parse:
            subject = subject_of(cue)
            if subject is not None and not art.in_content(subject.idx):
                a, b = sorted((subject.idx, cue.idx))
                if "\n" not in art.text[a:b]:  # a parse never links paragraphs correctly
                    return subject if _usable_speaker(subject) else None
        order = (True, False) if after_first else (False, True)
        for after in order:
            head = adjacent_phrase(art.doc, cue, after, lo, hi)
            if head is None or art.in_content(head.idx) or not _usable_speaker(head):
                continue
            if art.has_parse and head.dep_ in _OBJECT_DEPS and not after_first:
                continue  # "criticizing Minister Molano": an object is not the speaker
            return head
        return None

    def _trailing(self, start: int, end: int, invites: bool) -> _Attribution | None:
        """A cue within the first words after the closing mark (``,” X said``).

        The words before the cue must read as its subject (a noun phrase, possibly with
        an appositive or a ``, who …,`` clause); a conjunction or another verb first
        means the sentence went on to something else.  ``invites`` is true when the
        quotation ends with a comma, ``?`` or ``!``: then any finite verb right after a
        short subject attributes it (``“…,” she shrugged``), listed as a cue or not.
        """
        art = self.art
        doc = art.doc
        tokens = art.token_range(start, end)
        if not tokens:
            return None
        lo, hi = tokens.start, tokens.stop
        seen_words = 0
        i = lo
        while i < hi:
            token = doc[i]
            text = token.text
            if text in _SKIP_TOKENS:
                i += 1
                continue
            if text in ("!", "?") or seen_words >= _WINDOW:
                break
            if token.lower_ in ("who", "which", "whose") and i > lo and doc[i - 1].text == ",":
                i = _after_next_comma(doc, i, hi)
                continue
            phrase = art.lexicon.phrase_at(list(doc[i : min(hi, i + 3)]))
            if phrase:
                last = doc[i + phrase - 1]
                speaker = adjacent_phrase(doc, last, True, lo, hi)
                return _Attribution(self._cue_span(token, last), speaker, "according")
            finite = not art.has_tags or (
                # A base form right after the mark is a mis-tagged present ("reply Burton").
                (token.tag_ in _ATTRIBUTING_TAGS or (token.tag_ == "VB" and seen_words == 0))
                and not any(c.dep_ == "auxpass" for c in token.children)  # "was announced"
            )
            kind = art.cue_kind(token)
            if kind is not None and finite:
                reported = _reported_speech(token)
                if reported is not None:  # "the transcript cited Bolton as saying"
                    return _Attribution(self._cue_span(reported[1]), reported[0], "after")
                speaker = self._speaker_for(token, lo, hi, after_first=seen_words == 0)
                return _Attribution(self._cue_span(token), speaker, "after")
            if (
                invites
                and finite
                and token.pos_ == "VERB"
                and 0 < seen_words <= 6
                and not art.in_content(token.idx)
            ):
                speaker = self._speaker_for(token, lo, hi, after_first=False)
                if speaker is not None and speaker.i < token.i:
                    return _Attribution(self._cue_span(token), speaker, "after")
            if _is_other_verb(token) or token.pos_ in ("SCONJ",):
                break
            if token.pos_ == "CCONJ" and i + 1 < hi and _is_other_verb(doc[i + 1]):
                break
            seen_words += 1
            i += 1
        return None

    def _leading(self, start: int, open_at: int) -> _Attribution | None:
        """A cue just before the opening mark (``X said: “`` / ``X told reporters that “``)."""
        art = self.art
        doc = art.doc
        tokens = art.token_range(start, open_at)
        if not tokens:
            return None
        lo, hi = tokens.start, tokens.stop
        before = art.text[start:open_at].rstrip()
        colon = before.endswith(_INTRO)
        steps = 0
        for i in reversed(tokens):
            token = doc[i]
            if token.text in _SKIP_TOKENS or not token.text.strip():
                continue
            steps += 1
            if steps > 8:
                break
            for length in (3, 2):
                first = i - length + 1
                if first >= lo and art.lexicon.phrase_at(list(doc[first : i + 1])) == length:
                    speaker = adjacent_phrase(doc, doc[i], True, lo, hi)
                    how = "colon" if colon else "before"
                    return _Attribution(self._cue_span(doc[first], token), speaker, how)
            kind = art.cue_kind(token)
            if kind is not None:
                if kind is CueKind.ADJACENT and not colon:
                    return None
                speaker = self._speaker_for(token, lo, hi, after_first=False)
                if i == hi - 1 or (steps == 1):
                    how = "next"
                elif colon:
                    how = "colon"
                elif doc[hi - 1].lower_ == "that":
                    how = "that"
                else:
                    how = "before"
                return _Attribution(self._cue_span(token), speaker, how)
            if _is_other_verb(token):
                return None
        return None

    def _governing(self, tokens: range, para: tuple[int, int]) -> _Attribution | None:
        """The reporting verb the quoted words depend on in the parse (same paragraph)."""
        art = self.art
        if not art.has_parse or not tokens:
            return None
        doc = art.doc
        inside = set(tokens)
        speech: Token | None = None
        opinion: Token | None = None
        for i in tokens:
            token = doc[i]
            if token.head.i in inside and token.head.i != i:
                continue
            node = token
            for _ in range(12):
                head = node.head
                if head.i == node.i or not (para[0] <= head.idx < para[1]):
                    break
                node = head
                if node.i in inside:
                    continue
                kind = art.cue_kind(node)
                if kind is CueKind.SPEECH:
                    speech = speech or node
                    break
                if kind is CueKind.COGNITION:
                    opinion = opinion or node
            if speech is not None:
                break
        cue = speech or opinion
        if cue is None:
            return None
        reported = _reported_speech(cue)
        if reported is not None:
            return _Attribution(self._cue_span(reported[1]), reported[0], "governing")
        start, end = art.sentence(cue.idx)
        span = art.token_range(start, end)
        speaker = self._speaker_for(cue, span.start, span.stop, after_first=False)
        return _Attribution(self._cue_span(cue), speaker, "governing")

    def _in_sentence(self, mark: QuoteMarks, lead_start: int) -> _Attribution | None:
        """The nearest reporting verb of the quotation's sentence, ``according to`` included."""
        art = self.art
        doc = art.doc
        start, end = art.sentence(mark.start)
        start = min(start, lead_start)
        tokens = art.token_range(start, max(end, mark.after))
        best: tuple[int, int, Token] | None = None
        for i in tokens:
            token = doc[i]
            if art.in_content(token.idx):
                continue
            if token.lower_ == "according":
                phrase = art.lexicon.phrase_at(list(doc[i : min(tokens.stop, i + 3)]))
                if phrase:
                    last = doc[i + phrase - 1]
                    head = adjacent_phrase(doc, last, True, tokens.start, tokens.stop)
                    if head is not None:
                        return _Attribution(self._cue_span(token, last), head, "according")
            kind = art.cue_kind(token)
            if kind in (CueKind.SPEECH, CueKind.COGNITION):
                distance = min(abs(token.idx - mark.open_at), abs(token.idx - mark.after))
                rank = (0 if kind is CueKind.SPEECH else 1, distance)
                if best is None or rank < best[:2]:
                    best = (rank[0], rank[1], token)
        if best is None:
            return None
        cue = best[2]
        speaker = self._speaker_for(cue, tokens.start, tokens.stop, after_first=False)
        return _Attribution(self._cue_span(cue), speaker, "sentence")

    # -- building ----------------------------------------------------------------

    def _inherited(self, mark: QuoteMarks, opens_paragraph: bool) -> Quote | None:
        """The quotation whose speaker carries over to ``mark`` (strategy e)."""
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

    def _build(self, mark: QuoteMarks, kind: QuoteKind, attribution: _Attribution | None) -> Quote:
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
            head = attribution.speaker
            if head.pos_ == "PRON" or head.lower_ in PRONOUNS:
                start, end = trim(text, head.idx, head.idx + len(head))
                resolved = self.resolver.resolve(head)
                if resolved is not None:
                    ref = Span(resolved.start, resolved.end, SPEAKER, origin=Origin.RULE)
                    self.resolver.remember(resolved, at=head.idx)
            else:
                mention = self.resolver.mention(head)
                start, end = mention.start, mention.end
                self.resolver.remember(mention)
            if end > start:
                speaker = Span(start, end, SPEAKER, origin=Origin.RULE)
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


def _reported_speech(cue: Token) -> tuple[Token, Token] | None:
    """``quoted/cited X as saying``: X speaks, ``saying`` is the cue (not the quoter)."""
    if cue.lemma_ not in ("quote", "cite"):
        return None
    speaker = next((c for c in cue.children if c.dep_ == "dobj"), None)
    for prep in cue.children:
        if prep.lower_ == "as":
            verb = next((c for c in prep.children if c.dep_ == "pcomp"), None)
            if speaker is not None and verb is not None:
                return speaker, verb
    return None


def _after_next_comma(doc: Doc, i: int, hi: int) -> int:
    """The token after the comma closing a ``, who …,`` clause that starts at ``i``."""
    for j in range(i + 1, min(hi, i + 16)):
        if doc[j].text == ",":
            return j + 1
    return hi


def _is_other_verb(token: Token) -> bool:
    """A verb that is not a reporting verb: the words belong to another clause."""
    if token.pos_ == "VERB":
        return True
    return token.pos_ == "AUX" and token.dep_ not in ("aux", "auxpass", "neg")


def _usable_speaker(token: Token) -> bool:
    """Relative and demonstrative pronouns are not speakers (``which said``, ``this``)."""
    if token.pos_ == "PRON" or token.tag_ in ("WDT", "WP"):
        return token.lower_ in PRONOUNS or token.lower_ in ("i", "we", "you")
    return token.pos_ != "DET"


def detect_quotes(
    doc: Doc,
    *,
    entities: Sequence[Span] = (),
    sentences: Sequence[tuple[int, int]] = (),
    lexicon: Lexicon | None = None,
    text: str | None = None,
) -> tuple[Quote, ...]:
    """The quotations of ``doc`` with speakers and cues (see the module docstring).

    ``entities`` (after :func:`annotate.entities.fix_entities`) help resolve pronoun
    speakers; ``sentences`` are the Doc's sentence bounds when the caller already has
    them (paragraphs stand in when the pipeline has no sentence boundaries).  ``text``
    is ``doc.text`` when the caller has it (spaCy rebuilds that string on every access).
    """
    text = doc.text if text is None else text
    marks = find_quotes(text)
    if not marks:
        return ()
    lexicon = lexicon or default_lexicon()
    art = _Article(doc, marks, sentences, lexicon, text)
    resolver = Resolver(
        doc,
        text,
        lexicon,
        [(e.start, e.end, e.label) for e in entities],
        art.sentences,
        art.contents,
    )
    return _Detector(art, resolver).run()


__all__ = ["CUE", "SPEAKER", "Mention", "detect_quotes"]
