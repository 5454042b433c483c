"""doccano JSONL: one annotated text a line, in either of doccano's two export shapes.

* sequence labelling: ``{"text", "label": [[start, end, "ORG"], ...]}`` (also ``labels``);
* relation extraction: ``{"text", "entities": [{"id", "label", "start_offset",
  "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}``.

A ``.jsonl`` file may mix doccano lines with newsread/Prodigy lines, so the choice is
made per line (:func:`is_doccano`) by :func:`read_json_lines`, the one JSONL reader
the import uses.  The annotator is the line's ``user`` (or ``_annotator_id``), else
``--annotator``.  doccano marks the whole text, so a line's labels are gold and make
the article done (``annotate.formats.gold``).  :func:`doccano_line` writes the
relation shape back, for round-trip tests and for anyone moving data to doccano.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson

from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.gold import (
    SPEAKER,
    GoldText,
    check_annotator,
    gold_article,
    gold_status,
    stamp_of,
    write_ranges,
)
from annotate.formats.prodigy_import import item_from_task
from annotate.model import Annotations, Article, Span

FORMAT = "doccano"


def is_doccano(record: Mapping[str, Any]) -> bool:
    """True for a doccano line: ``label(s)`` as a list, or ``entities`` with offsets.

    Prodigy tasks use ``spans``; a newsread plain line has neither key.
    """
    if "spans" in record:
        return False
    if isinstance(record.get("label"), list) or isinstance(record.get("labels"), list):
        return True
    return isinstance(record.get("entities"), list)


def read_json_lines(
    lines: Iterable[bytes | None],
    where: str,
    *,
    as_suggestions: bool = False,
    annotator: str | None = None,
    now: float | None = None,
) -> Iterator[Imported | Failure]:
    """Each line of a JSONL file: a doccano record, else a newsread/Prodigy one.

    A ``None`` line stands for one too long to read (see ``formats.opening``).
    """
    stamp = time.time() if now is None else now
    for number, raw in enumerate(lines, start=1):
        place = f"{where}:{number}"
        if raw is None:
            yield Failure(place, "line too long for one article; skipped")
            continue
        if not raw.strip():
            continue
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield Failure(place, f"invalid JSON ({exc})")
            continue
        if not isinstance(record, dict):
            yield Failure(place, "not a JSON object")
            continue
        try:
            if is_doccano(record):
                yield item_from_doccano(
                    record, place, as_suggestions=as_suggestions, annotator=annotator, now=stamp
                )
            else:
                yield item_from_task(
                    record, where=place, as_suggestions=as_suggestions, annotator=annotator,
                    now=stamp,
                )  # fmt: skip
        except FormatError as exc:
            yield Failure(place, str(exc))


def item_from_doccano(
    record: Mapping[str, Any],
    where: str,
    *,
    as_suggestions: bool = False,
    annotator: str | None = None,
    now: float | None = None,
) -> Imported:
    """One doccano line as an article with its labels; :class:`FormatError` if any
    label cannot be read (the line is then refused whole, never imported without it)."""
    text = record.get("text")
    if not isinstance(text, str):
        raise FormatError("'text' is missing or not a string")
    who = check_annotator(record.get("user", record.get("_annotator_id")), annotator)
    gold = GoldText(text, gold_status(as_suggestions), who, stamp_of(record.get("_timestamp"), now))
    spans: dict[str, Span] = {}
    relations: list[tuple[str, str, Any, str]] = []
    key = "label" if isinstance(record.get("label"), list) else "labels"
    if isinstance(record.get(key), list):
        for i, item in enumerate(record[key]):
            what = f"'{key}[{i}]'"
            if not isinstance(item, list) or len(item) != 3:
                raise FormatError(f"{what} is not a [start, end, label] list")
            spans[f"{key}{i}"] = gold.entity(item[0], item[1], item[2], what)
    else:
        for i, entity in enumerate(record["entities"]):
            what = f"'entities[{i}]'"
            if not isinstance(entity, dict):
                raise FormatError(f"{what} is not a JSON object")
            span = gold.entity(entity.get("start_offset"), entity.get("end_offset"),
                               entity.get("label"), what)  # fmt: skip
            spans[str(entity.get("id", f"entities{i}"))] = span
        found = record.get("relations") or []
        if not isinstance(found, list):
            raise FormatError("'relations' is not a list")
        for i, relation in enumerate(found):
            what = f"'relations[{i}]'"
            if not isinstance(relation, dict):
                raise FormatError(f"{what} is not a JSON object")
            head, child = str(relation.get("from_id")), str(relation.get("to_id"))
            relations.append((head, child, relation.get("type"), what))
    entities, quotes = gold.assemble(spans, relations)
    article, annotations = gold_article(
        gold, entities, quotes, fmt=FORMAT, source=where, as_suggestions=as_suggestions
    )
    return Imported(article, annotations, where)


def doccano_line(article: Article, annotations: Annotations) -> dict[str, Any]:
    """The doccano relation-shape record of an article: entities, quotes as ``QUOTE``
    spans, and each speaker as a ``SPEAKER`` span with a ``SPEAKER`` relation."""
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []

    def add(start: int, end: int, label: str) -> int:
        entities.append(
            {"id": len(entities), "label": label, "start_offset": start, "end_offset": end}
        )
        return len(entities) - 1

    def relate(head: int, child: int) -> None:
        relations.append({"id": len(relations), "from_id": head, "to_id": child, "type": SPEAKER})

    write_ranges(annotations, add, relate)
    return {"text": article.text, "entities": entities, "relations": relations}
