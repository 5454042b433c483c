"""Speakers tied to entities, and the Prodigy ``rel.manual`` variant of the JSONL export.

A speaker is a phrase as written (``Governor of Washington Chris Gregoire``, ``he``);
what a relation dataset wants is the *entity* that spoke.  So in every JSONL task:

* a speaker phrase that overlaps an exported entity links from that entity: the
  ``SPEAKER`` relation's head is the entity span (the one overlapping the name the
  speaker resolves to, ``speaker_ref``, when there is one; else the one overlapping
  the phrase most);
* a speaker that resolves to an entity elsewhere (a pronoun, ``the minister``) keeps its
  own span as the head of ``SPEAKER`` and gets a ``COREF`` relation from it to that
  entity (or to the resolved mention, when it is not an exported entity).

``head``/``child`` are the last token of each span, as ``rel.manual`` anchors them.

``--format jsonl-rel`` writes the same task in Prodigy's ``rel.manual`` shape
(``_view_id: "relations"``): ``spans`` holds the entities, each attribution's content
labelled by its kind (:data:`KIND_LABELS`), the speaker phrases that are not an entity
(``SPEAKER``), the mentions a pronoun resolves to that are not an exported entity
(``SPEAKER_REF``) and the cues (``CUE``); ``relations`` the ``SPEAKER`` and ``COREF``
relations above plus ``CUE`` (cue -> content).  The newsread keys (``quotes``,
``statements``) stay, so newsread imports it as it imports the default JSONL.
Spans may nest (an entity inside a quotation): Prodigy shows both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from murmurhash import hash as murmur

SPEAKER = "SPEAKER"
COREF = "COREF"
CUE = "CUE"
SPEAKER_REF = "SPEAKER_REF"
KIND_LABELS = {
    "direct": "QUOTE_DIRECT",
    "mixed": "QUOTE_MIXED",
    "indirect": "REPORTED",
    "partial": "QUOTE_PARTIAL",
}
"""The span label of an attribution's content, by kind: ``QUOTE_DIRECT`` (all in
quotation marks), ``QUOTE_MIXED`` (a reported clause holding quoted words),
``REPORTED`` (reported speech, belief or finding without marks) and ``QUOTE_PARTIAL``
(a quoted fragment outside a reported clause).  The DocBin's ``quotes`` group uses
the same labels."""

REL_LABELS = frozenset({*KIND_LABELS.values(), SPEAKER, SPEAKER_REF, CUE})
"""The span labels ``jsonl-rel`` adds to the entities (an import leaves them out of the
entities: the task's ``quotes`` hold the attributions they come from)."""

SpanDict = dict[str, Any]


def _overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def entity_for(mention: Mapping[str, Any], entities: Sequence[SpanDict]) -> SpanDict | None:
    """The exported entity overlapping ``mention`` most (the first on a tie)."""
    best: SpanDict | None = None
    most = 0
    for entity in entities:
        shared = _overlap(entity, mention)
        if shared > most:
            best, most = entity, shared
    return best


def _relation(head: SpanDict, child: SpanDict, label: str) -> SpanDict:
    return {
        "head": head["token_end"],
        "child": child["token_end"],
        "head_span": head,
        "child_span": child,
        "label": label,
    }


def speaker_relations(
    content: SpanDict,
    speaker: SpanDict | None,
    ref: SpanDict | None,
    entities: Sequence[SpanDict],
) -> list[SpanDict]:
    """The ``SPEAKER`` relation of an attribution, and a ``COREF`` one for a speaker
    that resolves to an entity elsewhere (see module doc)."""
    if speaker is None:
        return []
    if ref is not None and _overlap(ref, speaker) <= 0:  # a pronoun, a description
        target = entity_for(ref, entities) or ref
        return [_relation(speaker, content, SPEAKER), _relation(speaker, target, COREF)]
    head = (entity_for(ref, entities) if ref is not None else None) or entity_for(speaker, entities)
    return [_relation(head or speaker, content, SPEAKER)]


def _content(quote: Mapping[str, Any]) -> SpanDict:
    keys = ("start", "end", "token_start", "token_end")
    return {**{k: quote[k] for k in keys}, "label": KIND_LABELS[quote["kind"]]}


def _labelled(span: SpanDict | None, label: str) -> SpanDict | None:
    return None if span is None else {**span, "label": label}


def rel_task(task: Mapping[str, Any]) -> dict[str, Any]:
    """The ``rel.manual`` form of a default JSONL task (see module doc)."""
    entities: list[SpanDict] = list(task["spans"])
    spans = list(entities)
    relations: list[SpanDict] = []
    for quote in task["quotes"]:
        content = _content(quote)
        spans.append(content)
        speaker, ref, cue = (
            _labelled(quote[key], label)
            for key, label in (("speaker", SPEAKER), ("speaker_ref", SPEAKER_REF), ("cue", CUE))
        )
        found = speaker_relations(content, speaker, ref, entities)
        relations.extend(found)
        for relation in found:
            for side in ("head_span", "child_span"):
                if relation[side] is not content:
                    spans.append(relation[side])
        if cue is not None:
            spans.append(cue)
            relations.append(_relation(cue, content, CUE))
    unique = {(s["start"], s["end"], s["label"]): s for s in spans}
    ordered = sorted(unique.values(), key=lambda s: (s["start"], -s["end"], s["label"]))
    out = {key: value for key, value in task.items() if not key.startswith("_")}
    out["spans"] = ordered
    out["relations"] = relations
    input_hash = task["_input_hash"]
    out["_input_hash"] = input_hash
    out["_task_hash"] = int(
        murmur(
            str(input_hash).encode() + orjson.dumps({"spans": ordered}, option=orjson.OPT_SORT_KEYS)
        )
    )
    out["_view_id"] = "relations"
    out["_annotator_id"], out["_timestamp"] = task["_annotator_id"], task["_timestamp"]
    return out
