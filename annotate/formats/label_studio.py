"""Label Studio JSON exports: a list of tasks, each a text with annotations and predictions.

A task is ``{"data": {"text": ...}, "annotations": [{"completed_by", "result": [...]}],
"predictions": [{"result": [...]}]}``; a result is a labelled range
``{"id", "type": "labels", "value": {"start", "end", "labels": [...]}}`` or a relation
``{"type": "relation", "from_id", "to_id", "labels": [...]}``.

Annotations are a person's decisions (accepted, the article done); predictions are a
model's (pending suggestions to review).  newsread keeps one version of an article, so
of several annotations of a task the first is imported and each other one is named as
not imported; a cancelled annotation (``was_cancelled``) is skipped.  A task whose
results newsread cannot keep (a ``choices`` result, a relation other than SPEAKER, a
bad label or offset) is refused whole, naming the task.  Any ``.json`` file is read
here and never as article text: a file that is not a list of tasks is one failure.
:func:`label_studio_task` writes a task back (round-trip tests, moving data over).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.gold import (
    SPEAKER,
    GoldText,
    check_annotator,
    gold_article,
    stamp_of,
    write_ranges,
)
from annotate.model import Annotations, Article, Origin, Span, Status

FORMAT = "label-studio"


def is_json_list(data: bytes) -> bool:
    """True when nameless content (stdin) is a JSON list: an export, not an article that
    happens to start with ``[`` (``[Reuters] …``), which stays text."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"[":
        return False
    try:
        return isinstance(orjson.loads(data.removeprefix(b"\xef\xbb\xbf")), list)
    except orjson.JSONDecodeError:
        return False


def read_label_studio(
    data: bytes,
    where: str,
    *,
    as_suggestions: bool = False,
    annotator: str | None = None,
    now: float | None = None,
) -> Iterator[Imported | Failure]:
    """Each task of a Label Studio export, or a failure naming it (``file:task N``)."""
    try:
        tasks = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))  # a BOM is not JSON
    except orjson.JSONDecodeError as exc:
        yield Failure(where, f"invalid JSON ({exc}); a .json file must be a Label Studio export")
        return
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield Failure(where, "not a Label Studio export (a JSON list of tasks)")
        return
    for number, task in enumerate(tasks, start=1):
        place = f"{where}:task {number}"
        try:
            yield from _task_items(task, place, as_suggestions, annotator, now)
        except FormatError as exc:
            yield Failure(place, str(exc))


def _task_items(
    task: Any, where: str, as_suggestions: bool, annotator: str | None, now: float | None
) -> Iterator[Imported | Failure]:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise FormatError("not a Label Studio task (no 'data' object)")
    text = task["data"].get("text")
    if not isinstance(text, str):
        raise FormatError("'data.text' is missing or not a string")
    annotations = [
        a
        for a in _list(task, "annotations")
        if not (isinstance(a, dict) and a.get("was_cancelled"))
    ]
    predictions = _list(task, "predictions")
    chosen = annotations[0] if annotations else None
    if chosen is not None and not isinstance(chosen, dict):
        raise FormatError("'annotations[0]' is not a JSON object")
    who = check_annotator(_user(chosen.get("completed_by")) if chosen else None, annotator)
    status = Status.PENDING if as_suggestions else Status.ACCEPTED
    stamp = stamp_of(None, now)
    gold = GoldText(text, status, who, stamp)
    entities, quotes = gold.assemble(*_results(gold, chosen, "annotations[0]"))
    if predictions:
        first = predictions[0]
        if not isinstance(first, dict):
            raise FormatError("'predictions[0]' is not a JSON object")
        model = GoldText(text, Status.PENDING, None, stamp)
        suggested, suggested_quotes = model.assemble(*_results(model, first, "predictions[0]"))
        taken = {(s.start, s.end, s.label) for s in entities}
        entities += [
            Span(s.start, s.end, s.label, origin=Origin.MODEL, timestamp=stamp)
            for s in suggested
            if (s.start, s.end, s.label) not in taken
        ]
        quote_spans = {(q.start, q.end) for q in quotes}
        quotes += [q for q in suggested_quotes if (q.start, q.end) not in quote_spans]
    article, result = gold_article(
        gold, entities, quotes, fmt=FORMAT, source=where, as_suggestions=as_suggestions
    )
    yield Imported(article, result, where)
    for number, other in enumerate(annotations[1:], start=2):
        by = _user(other.get("completed_by")) if isinstance(other, dict) else None
        yield Failure(
            f"{where}:annotation {number}",
            f"not imported: newsread keeps one annotation per text (this one by {by!r})",
        )


def _list(task: Mapping[str, Any], key: str) -> list[Any]:
    value = task.get(key) or []
    if not isinstance(value, list):
        raise FormatError(f"'{key}' is not a list")
    return value


def _user(value: Any) -> Any:
    """``completed_by`` is a user id, or a user object in some exports."""
    if isinstance(value, dict):
        return value.get("email") or value.get("id")
    return value


def _results(
    gold: GoldText, annotation: Mapping[str, Any] | None, where: str
) -> tuple[dict[str, Span], list[tuple[str, str, Any, str]]]:
    """The labelled spans (by result id) and relations of one annotation or prediction."""
    spans: dict[str, Span] = {}
    relations: list[tuple[str, str, Any, str]] = []
    if annotation is None:
        return spans, relations
    results = annotation.get("result") or []
    if not isinstance(results, list):
        raise FormatError(f"'{where}.result' is not a list")
    for i, result in enumerate(results):
        what = f"'{where}.result[{i}]'"
        if not isinstance(result, dict):
            raise FormatError(f"{what} is not a JSON object")
        kind = result.get("type")
        if kind == "relation":
            labels = result.get("labels") or [None]
            if not isinstance(labels, list) or len(labels) != 1:
                raise FormatError(f"{what} needs exactly one relation label")
            relations.append(
                (str(result.get("from_id")), str(result.get("to_id")), labels[0], what)
            )
            continue
        value = result.get("value")
        if kind not in ("labels", "hypertextlabels") or not isinstance(value, dict):
            raise FormatError(f"{what} is a {kind!r} result; newsread keeps labelled text ranges")
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            raise FormatError(f"{what} needs exactly one label")
        key = str(result.get("id", i))
        if key in spans:
            raise FormatError(f"{what} repeats the result id {key!r}")
        spans[key] = gold.entity(value.get("start"), value.get("end"), labels[0], what)
    return spans, relations


def label_studio_task(article: Article, annotations: Annotations) -> dict[str, Any]:
    """A Label Studio task of an article: accepted entities and quotes as the annotation
    (quotes as ``QUOTE`` ranges, speakers as ``SPEAKER`` ranges and relations)."""
    result: list[dict[str, Any]] = []

    def add(start: int, end: int, label: str) -> str:
        key = f"r{len(result)}"
        value = {"start": start, "end": end, "text": article.text[start:end], "labels": [label]}
        result.append({"id": key, "from_name": "label", "to_name": "text", "type": "labels",
                       "value": value})  # fmt: skip
        return key

    def relate(head: str, child: str) -> None:
        result.append({"type": "relation", "from_id": head, "to_id": child,
                       "direction": "right", "labels": [SPEAKER]})  # fmt: skip

    write_ranges(annotations, add, relate)
    return {"data": {"text": article.text}, "annotations": [{"completed_by": 1, "result": result}]}
