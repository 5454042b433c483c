"""What each annotation key means, as pure functions from annotations to an :class:`Edit`.

The app maps a key to one of these, hands the edit to the store and repaints; nothing
here knows about Textual or TinyDB, so every rule (what "accept a quote" accepts, what
happens to entities a new span overlaps, how far "one token" moves an edge) is tested
on plain objects.

Every function returns ``None`` when the action does not apply (nothing focused, an
edge that cannot move further), so the UI can say so instead of writing a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from annotate.detect.quotemarks import find_quotes
from annotate.edits import Edit, Item, make_edit
from annotate.model import (
    Annotations,
    Origin,
    Quote,
    QuoteKind,
    Span,
    Statement,
    Status,
    is_pending,
)
from annotate.tokens import Tokens

Focusable = Span | Quote | Statement


def focusables(annotations: Annotations) -> list[Focusable]:
    """Entities, quotes and suggested statement tags in reading order: what tab moves
    through.  A statement a person tagged on their own is no suggestion (``t`` reaches
    it from its sentence)."""
    items: list[Focusable] = [
        *annotations.entities,
        *annotations.quotes,
        *(s for s in annotations.statements if s.origin is not Origin.USER),
    ]
    return sorted(items, key=_reading_key)


def find(annotations: Annotations, item_id: str | None) -> Focusable | None:
    """The entity, quote or suggested statement with ``item_id``."""
    if item_id is None:
        return None
    for item in focusables(annotations):
        if item.id == item_id:
            return item
    return None


def step(
    annotations: Annotations, current_id: str | None, *, backwards: bool = False
) -> Focusable | None:
    """The next (or previous) pending suggestion in reading order, wrapping around.

    When nothing is pending any more, every entity and quote is visited instead, so
    a finished article can still be reviewed and corrected with the same keys.
    """
    items = focusables(annotations)
    if not items:
        return None
    pending = [i for i in items if is_pending(i)]  # incl. a quote whose speaker waits
    if any(isinstance(i, Span) and i.status is Status.REPLACED for i in pending):
        waiting = {(e.start, e.end) for e in annotations.entities if e.status is Status.PENDING}
        pending = [i for i in pending if not superseded(i, waiting)]
    candidates = {i.id for i in (pending or items)}
    index = next((n for n, i in enumerate(items) if i.id == current_id), None)
    if index is None:
        ordered = items[::-1] if backwards else items
        return next(i for i in ordered if i.id in candidates)
    count = len(items)
    for distance in range(1, count + 1):
        item = items[(index - distance if backwards else index + distance) % count]
        if item.id in candidates:
            return item
    return None


def superseded(item: Focusable, waiting: set[tuple[int, int]]) -> bool:
    """True for a replaced suggestion whose replacement (a suggestion on exactly its
    text, among the ``waiting`` offsets) still waits: tab goes to the replacement,
    whose decision settles both."""
    return (
        isinstance(item, Span)
        and item.status is Status.REPLACED
        and (item.start, item.end) in waiting
    )


def step_any(
    annotations: Annotations,
    current_id: str | None,
    *,
    backwards: bool = False,
    quotes_only: bool = False,
) -> Focusable | None:
    """The next (or previous) item in reading order, decided or not, wrapping around.

    Unlike :func:`step`, decided items are visited too: this is how a decision made
    earlier is revisited while other items still wait.  ``quotes_only`` jumps from
    quote to quote past the entities between them.
    """
    items = [i for i in focusables(annotations) if not quotes_only or isinstance(i, Quote)]
    if not items:
        return None
    ordered = items[::-1] if backwards else items
    current = find(annotations, current_id)
    if current is None:
        return ordered[0]
    key = _reading_key(current)
    after = [i for i in ordered if (_reading_key(i) < key if backwards else _reading_key(i) > key)]
    return after[0] if after else ordered[0]


_KIND_ORDER = {Span: 0, Quote: 1, Statement: 2}


def _reading_key(item: Focusable) -> tuple[int, int, int, str]:
    return (item.start, -item.end, _KIND_ORDER[type(item)], item.id)


def _decide(item: Focusable, status: Status) -> Focusable:
    """``item`` decided; a quote's shown speaker is decided with it, because every way of
    accepting a quote (``a``, an edge move, accept all) says "this, as shown"."""
    if isinstance(item, Quote):
        speaker_status = status if item.speaker is not None else item.speaker_status
        return replace(item, status=status, speaker_status=speaker_status)
    return replace(item, status=status)


def accept(annotations: Annotations, item_id: str | None, annotator: str) -> Edit | None:
    """Accept the focused entity, a quote together with the speaker shown with it, or a
    statement's suggested tags.

    Entities it overlaps are rejected in the same edit, as when a span is drawn or
    moved: spaCy's ``doc.ents`` holds no overlap, and an export must hold what the
    screen shows as accepted."""
    item = find(annotations, item_id)
    if item is None:
        return None
    accepted = _decide(item, Status.ACCEPTED)
    before: list[Item] = [item]
    after: list[Item] = [accepted]
    if isinstance(accepted, Span):
        more_before, more_after = _with_overlaps_rejected(annotations, accepted, keep=item.id)
        before += more_before
        after += more_after
    return make_edit("accept", before, after, annotator)


def reject(annotations: Annotations, item_id: str | None, annotator: str) -> Edit | None:
    """Reject the focused entity, quote or statement tag suggestion (a rejected tag
    suggestion is *unknown*, not "none of these tags": no export carries it)."""
    item = find(annotations, item_id)
    if item is None:
        return None
    return make_edit("reject", [item], [_decide(item, Status.REJECTED)], annotator)


def accept_all(annotations: Annotations, annotator: str) -> Edit | None:
    """Accept every pending suggestion of the article in one (undoable) edit.

    A quote accepted earlier whose speaker still waits is pending too: its shown
    speaker is accepted here, or the article could never be done.  A pending entity
    overlapping an accepted one (or one accepted before it here, in reading order) is
    rejected: ``doc.ents`` holds no overlap.  "All" is all *as shown*: a replaced
    suggestion (``Status.REPLACED``) is rejected, and its replacement, if any, accepted.
    """
    pending = [i for i in focusables(annotations) if is_pending(i)]
    if not pending:
        return None
    taken = [e for e in annotations.entities if e.status is Status.ACCEPTED]
    decided: list[Item] = []
    for item in pending:  # in reading order: of overlapping entities the first is kept
        if isinstance(item, Span) and item.status is Status.REPLACED:
            decided.append(_decide(item, Status.REJECTED))
            continue
        if isinstance(item, Span) and any(t.overlaps(item.start, item.end) for t in taken):
            decided.append(_decide(item, Status.REJECTED))
            continue
        decided.append(_decide(item, Status.ACCEPTED))
        if isinstance(item, Span):
            taken.append(item)
    return make_edit("accept all", pending, decided, annotator)


def overlapped(annotations: Annotations, start: int, end: int, keep: str | None) -> list[Span]:
    """Entities (not rejected) that a span ``start:end`` would overlap."""
    return [
        s
        for s in annotations.entities
        if s.id != keep and s.status is not Status.REJECTED and s.overlaps(start, end)
    ]


def _with_overlaps_rejected(
    annotations: Annotations, changed: Span, keep: str | None
) -> tuple[list[Item], list[Item]]:
    hit = overlapped(annotations, changed.start, changed.end, keep)
    before: list[Item] = list(hit)
    after: list[Item] = [replace(s, status=Status.REJECTED) for s in hit]
    return before, after


def relabel(
    annotations: Annotations, item_id: str | None, label: str, annotator: str
) -> Edit | None:
    """Give the focused entity another label (which also accepts it, rejecting the
    entities it overlaps as :func:`accept` does)."""
    item = find(annotations, item_id)
    if not isinstance(item, Span):
        return None
    relabelled = replace(item, label=label, status=Status.ACCEPTED)
    before, after = _with_overlaps_rejected(annotations, relabelled, keep=item.id)
    return make_edit(f"relabel {label}", [item, *before], [relabelled, *after], annotator)


def move_edge(
    annotations: Annotations,
    item_id: str | None,
    tokens: Tokens,
    *,
    edge: str,
    delta: int,
    annotator: str,
    text: str = "",
) -> Edit | None:
    """Move the start or end (``edge``) of the focused span by ``delta`` tokens.

    The span always keeps at least one token and never grows across a paragraph
    break of ``text``; entities it grows over are rejected in the same edit
    (entities may not overlap in spaCy's ``doc.ents``).
    """
    item = find(annotations, item_id)
    if item is None or isinstance(item, Statement) or not len(tokens):
        return None  # a statement is its sentence: its bounds are not drawn by hand
    first = tokens.first_starting_at_or_after(item.start)
    last = tokens.last_ending_at_or_before(item.end)
    if edge == "start":
        first = max(0, min(first + delta, last))
    else:
        last = min(len(tokens) - 1, max(last + delta, first))
    while text and "\n" in text[tokens.starts[first] : item.start]:
        first += 1
    while text and "\n" in text[item.end : tokens.ends[last]]:
        last -= 1
    start, end = tokens.starts[first], tokens.ends[last]
    if (start, end) == (item.start, item.end) or end <= start:
        return None
    moved = _decide(replace(item, start=start, end=end), Status.ACCEPTED)
    if isinstance(moved, Quote) and moved.kind is QuoteKind.MIXED:
        moved = replace(moved, quoted=_quoted_inside(text, start, end, moved.quoted))
    before: list[Item] = [item]
    after: list[Item] = [moved]
    if isinstance(moved, Span):
        more_before, more_after = _with_overlaps_rejected(annotations, moved, keep=item.id)
        before += more_before
        after += more_after
    return make_edit(f"move {edge}", before, after, annotator)


def add_span(
    annotations: Annotations, start: int, end: int, label: str, annotator: str
) -> Edit | None:
    """A new entity drawn by a person (accepted); entities it overlaps are rejected."""
    if end <= start:
        return None
    span = Span(start, end, label, origin=Origin.USER, status=Status.ACCEPTED)
    existing = next((s for s in annotations.entities if s.id == span.id), None)
    before, after = _with_overlaps_rejected(annotations, span, keep=span.id)
    if existing is not None:  # drawn again: the same span, decided again
        return make_edit(f"add {label}", [existing, *before], [span, *after], annotator)
    return make_edit(f"add {label}", before, [*after, span], annotator)


def _user_mark(span: Span | None, label: str) -> Span | None:
    """``span``'s range as a person's accepted ``label`` mark (``None`` stays ``None``)."""
    if span is None:
        return None
    return Span(span.start, span.end, label, origin=Origin.USER, status=Status.ACCEPTED)


def set_speaker(
    annotations: Annotations, quote_id: str | None, speaker: Span | None, annotator: str
) -> Edit | None:
    """Set (or clear, with ``None``) the speaker of the focused quote: the speaker is then
    decided, the quote's own status stays as it was (``a`` accepts the quote).

    The cue is cleared with the old speaker: it was found for that speaker (``Doe
    said``), and an export must never pair the new speaker with the old one's verb.
    ``c`` marks the right cue again (:func:`set_cue`).
    """
    quote = find(annotations, quote_id)
    if not isinstance(quote, Quote):
        return None
    mention = _user_mark(speaker, "SPEAKER")
    changed = replace(
        quote,
        speaker=mention,
        speaker_ref=None,
        cue=None,
        speaker_status=Status.ACCEPTED,
    )
    return make_edit("set speaker", [quote], [changed], annotator)


SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")
"""Entity labels that can speak, likeliest first."""


def speaker_candidates(annotations: Annotations, text: str, quote: Quote) -> list[Span]:
    """People and organisations of the article (one per mention text), nearest first.

    What the speaker picker lists: a label that can speak beats a nearer one that
    cannot, then distance to the quote decides.
    """
    seen: set[str] = set()
    ranked = sorted(
        (s for s in annotations.entities if s.status is not Status.REJECTED),
        key=lambda s: (
            s.label not in SPEAKER_LABELS,
            SPEAKER_LABELS.index(s.label) if s.label in SPEAKER_LABELS else 9,
            min(abs(s.start - quote.end), abs(quote.start - s.end)),
        ),
    )
    candidates = []
    for span in ranked:
        mention = text[span.start : span.end]
        if mention not in seen:
            seen.add(mention)
            candidates.append(span)
    return candidates[:20]


QUOTE_MARKS = "\"'“”‘’«»„‚‹›"


def add_quote(
    annotations: Annotations,
    start: int,
    end: int,
    kind: QuoteKind,
    annotator: str,
    text: str = "",
) -> Edit | None:
    """A quote the detector missed, drawn by a person (accepted, speaker still open).

    Quotation marks and spaces at the edges of the drawn span are left out (a quote's
    content excludes its marks); the speaker is decided next, in the speaker picker.
    """
    while text and start < end and (text[start] in QUOTE_MARKS or text[start].isspace()):
        start += 1
    while text and start < end and (text[end - 1] in QUOTE_MARKS or text[end - 1].isspace()):
        end -= 1
    if end <= start:
        return None
    quote = Quote(start, end, kind, origin=Origin.USER, status=Status.ACCEPTED)
    existing = find(annotations, quote.id)
    if existing is not None:
        return make_edit(f"add {kind} quote", [existing], [quote], annotator)
    return make_edit(f"add {kind} quote", [], [quote], annotator)


def set_cue(
    annotations: Annotations, quote_id: str | None, cue: Span | None, annotator: str
) -> Edit | None:
    """Set (or clear, with ``None``) the cue of the focused quote.

    Like a speaker, a cue is a person's decision once touched: the quote is accepted
    with it.  ``None`` when nothing would change, so the UI can say so.
    """
    quote = find(annotations, quote_id)
    if not isinstance(quote, Quote):
        return None
    mark = _user_mark(cue, "CUE")
    if mark is None and quote.cue is None:
        return None
    changed = _decide(replace(quote, cue=mark), Status.ACCEPTED)
    return make_edit("set cue" if mark else "clear cue", [quote], [changed], annotator)


def _quoted_inside(
    text: str, start: int, end: int, known: Iterable[tuple[int, int]] = ()
) -> tuple[tuple[int, int], ...]:
    """The quoted stretches of a mixed attribution's content ``start:end``.

    The stretches in marks that lie inside the content, else the ``known`` ones clipped
    to it: a re-bound or re-kinded attribution must never list words outside itself.
    """
    found = [(q.start, q.end) for q in find_quotes(text[start:end])] if text else []
    inside = [(start + a, start + b) for a, b in found if b > a]
    if not inside:
        inside = [(max(a, start), min(b, end)) for a, b in known if min(b, end) > max(a, start)]
    return tuple(inside)


def rekind(
    annotations: Annotations, quote_id: str | None, kind: QuoteKind, annotator: str, text: str
) -> Edit | None:
    """Give the focused attribution another kind (which also accepts it, like a relabel).

    A ``mixed`` one lists its quoted stretches: the marked words inside its content, or
    its whole old content when that was a quotation (its marks lie outside it); the
    other kinds list none.  ``None`` when it is not a quote or already of that kind.
    """
    quote = find(annotations, quote_id)
    if not isinstance(quote, Quote) or quote.kind is kind:
        return None
    quoted: tuple[tuple[int, int], ...] = ()
    if kind is QuoteKind.MIXED:
        if quote.kind in (QuoteKind.DIRECT, QuoteKind.PARTIAL):
            quoted = ((quote.start, quote.end),)
        else:
            quoted = _quoted_inside(text, quote.start, quote.end, quote.quoted)
    changed = _decide(replace(quote, kind=kind, quoted=quoted), Status.ACCEPTED)
    return make_edit(f"kind {kind}", [quote], [changed], annotator)


def statement_at(annotations: Annotations, start: int, end: int) -> Statement | None:
    """The statement tagged (or suggested) exactly on ``start:end``, if any."""
    return next((s for s in annotations.statements if (s.start, s.end) == (start, end)), None)


def sentence_around(annotations: Annotations, offset: int, text: str) -> tuple[int, int]:
    """The sentence containing ``offset`` (a paragraph when there is no analysis yet)."""
    for start, end in annotations.sentences:
        if start <= offset < end:
            return start, end
    para_start = text.rfind("\n", 0, offset) + 1
    para_end = text.find("\n", offset)
    return para_start, len(text) if para_end == -1 else para_end


def tag(
    annotations: Annotations, start: int, end: int, tags: Sequence[str], annotator: str
) -> Edit | None:
    """Set the tags of the statement ``start:end``; no tags removes the statement.

    On a suggested statement the chosen tags are accepted (its id and origin kept), and
    no tags rejects it: the suggestion stays, decided, so a re-analysis does not bring
    it back and the decision can be undone like any other.
    """
    current = statement_at(annotations, start, end)
    wanted = tuple(dict.fromkeys(tags))
    if current is None and not wanted:
        return None
    if current is not None and current.tags == wanted and current.status is Status.ACCEPTED:
        return None
    before: Iterable[Item] = [current] if current is not None else []
    after: list[Item] = []
    if current is not None and current.origin is not Origin.USER:
        if wanted:
            after = [replace(current, tags=wanted, status=Status.ACCEPTED)]
        elif current.status is Status.REJECTED:
            return None
        else:
            after = [replace(current, status=Status.REJECTED)]
    elif wanted:
        after = [Statement(start, end, wanted, id=current.id if current else "")]
    action = "tag " + ",".join(wanted) if wanted else ("reject tags" if after else "untag")
    return make_edit(action, before, after, annotator)
