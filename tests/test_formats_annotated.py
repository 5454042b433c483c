"""doccano, Label Studio, brat and CoNLL-U-like imports: round trips and what is refused.

newsread exports none of these formats, so each round trip is ``parse(write(x))``
through the small writer kept beside its reader: random texts (non-ASCII, newlines,
U+2028) with overlapping entities and quotes with speakers must come back with the
same offsets and labels.  The unit tests pin what each reader keeps and what it
refuses (with the place and the reason), never importing a record without a label.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.formats.base import Failure, Imported
from annotate.formats.brat import brat_ann, read_brat
from annotate.formats.conll import read_conll
from annotate.formats.doccano import doccano_line, item_from_doccano, read_json_lines
from annotate.formats.label_studio import label_studio_task, read_label_studio
from annotate.model import Annotations, Article, Origin, Quote, Span, Status

LABELS = ("PERSON", "ORG", "GPE", "ÉVÉNEMENT")
_chars = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs")),
    st.sampled_from(" \n“”ßé中文😀\u2028"),
)
texts = st.text(_chars, min_size=1, max_size=60).filter(lambda t: t.strip() != "")


@st.composite
def annotated(draw: st.DrawFn) -> tuple[Article, Annotations]:
    text = draw(texts)
    ranges = st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).filter(
        lambda p: p[0] < p[1]
    )
    entities = {
        (s, e, label): Span(s, e, label, status=Status.ACCEPTED)
        for (s, e), label in draw(st.lists(st.tuples(ranges, st.sampled_from(LABELS)), max_size=5))
    }
    quotes: dict[tuple[int, int], Quote] = {}
    for (s, e), speaker in draw(
        st.lists(st.tuples(ranges, st.one_of(st.none(), ranges)), max_size=3)
    ):
        who = Span(*speaker, "SPEAKER") if speaker else None
        quotes[(s, e)] = Quote(s, e, speaker=who, status=Status.ACCEPTED)
    article = Article.from_text(text, title="t", source="prop")
    return article, Annotations(entities=tuple(entities.values()), quotes=tuple(quotes.values()))


def _view(annotations: Annotations) -> tuple[Any, ...]:
    return (
        sorted((e.start, e.end, e.label) for e in annotations.entities),
        sorted(
            (q.start, q.end, (q.speaker.start, q.speaker.end) if q.speaker else None)
            for q in annotations.quotes
        ),
    )


def _one(items: list[Imported | Failure]) -> Imported:
    (item,) = items
    assert isinstance(item, Imported), item
    assert item.annotations is not None
    return item


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(annotated())
def test_doccano_round_trip(case: tuple[Article, Annotations]) -> None:
    article, annotations = case
    line = orjson.dumps(doccano_line(article, annotations))
    item = _one(list(read_json_lines([line], "p.jsonl")))
    assert item.article.text == article.text
    assert _view(item.annotations) == _view(annotations)  # type: ignore[arg-type]


@PROPERTY
@given(annotated())
def test_label_studio_round_trip(case: tuple[Article, Annotations]) -> None:
    article, annotations = case
    data = orjson.dumps([label_studio_task(article, annotations)])
    item = _one(list(read_label_studio(data, "p.json")))
    assert item.article.text == article.text
    assert _view(item.annotations) == _view(annotations)  # type: ignore[arg-type]


@PROPERTY
@given(annotated())
def test_brat_round_trip(case: tuple[Article, Annotations]) -> None:
    article, annotations = case
    ann = brat_ann(article, annotations)
    item = _one(list(read_brat(article.text, ann.split("\n"), "p.txt", ann_where="p.ann")))
    assert item.article.text == article.text
    assert _view(item.annotations) == _view(annotations)  # type: ignore[arg-type]


_tokens = st.text(st.sampled_from("abcé中#-.O"), min_size=1, max_size=6)


@st.composite
def conllu_docs(draw: st.DrawFn) -> list[list[list[tuple[str, str]]]]:
    """Documents of sentences of (token, IOB2 tag)."""
    docs = []
    for _ in range(draw(st.integers(1, 3))):
        sentences = []
        for _ in range(draw(st.integers(1, 3))):
            rows: list[tuple[str, str]] = []
            for _ in range(draw(st.integers(1, 6))):
                label = draw(st.sampled_from([None, *LABELS]))
                inside = bool(rows) and rows[-1][1] != "O" and draw(st.booleans())
                tag = "O" if label is None else f"{'I' if inside else 'B'}-{label}"
                if inside and label is not None:
                    tag = "I-" + rows[-1][1][2:]
                rows.append((draw(_tokens), tag))
            sentences.append(rows)
        docs.append(sentences)
    return docs


def write_conllu(docs: list[list[list[tuple[str, str]]]]) -> str:
    """CoNLL-U-like: # newdoc / # text comments, index column, tag in the 3rd of 5."""
    out = []
    for d, sentences in enumerate(docs):
        out.append(f"# newdoc id = d{d}")
        for s, rows in enumerate(sentences):
            out.append(f"# sent_id = d{d}s{s}")
            out.append("# text = " + " ".join(token for token, _ in rows))
            out += [f"{i}\t{tok}\t{tag}\tX\td{d}s{s}" for i, (tok, tag) in enumerate(rows, 1)]
            out.append("")
    return "\n".join(out)


def _expected(sentences: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    found = []
    for rows in sentences:
        for i, (token, tag) in enumerate(rows):
            if tag.startswith("B-"):
                words = [token]
                for next_token, next_tag in rows[i + 1 :]:
                    if next_tag != "I-" + tag[2:]:
                        break
                    words.append(next_token)
                found.append((" ".join(words), tag[2:]))
    return sorted(found)


@PROPERTY
@given(conllu_docs())
def test_conllu_round_trip(docs: list[list[list[tuple[str, str]]]]) -> None:
    items = list(read_conll(write_conllu(docs).splitlines(), "p.conllu"))
    assert len(items) == len(docs)
    for sentences, item in zip(docs, items, strict=True):
        assert isinstance(item, Imported), item
        assert item.annotations is not None
        text = item.article.text
        assert text == "\n".join(" ".join(t for t, _ in rows) for rows in sentences)
        got = sorted((text[e.start : e.end], e.label) for e in item.annotations.entities)
        assert got == _expected(sentences)


# -- what each reader keeps and refuses ------------------------------------------------


def test_doccano_speaker_relation_makes_a_quote_and_keeps_the_person() -> None:
    text = 'Kim said "we win".'
    record = {
        "text": text,
        "user": 7,
        "entities": [
            {"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 3},
            {"id": 2, "label": "QUOTE", "start_offset": 10, "end_offset": 16},
        ],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "SPEAKER"}],
    }
    item = item_from_doccano(record, "d.jsonl:1", annotator="cli")
    assert item.annotations is not None
    (person,) = item.annotations.entities
    (quote,) = item.annotations.quotes
    assert (person.label, person.annotator) == ("PERSON", "7")
    assert quote.speaker is not None and (quote.speaker.start, quote.speaker.end) == (0, 3)
    assert quote.status is Status.ACCEPTED and quote.speaker_status is Status.ACCEPTED


def test_doccano_textcat_labels_are_refused_not_dropped() -> None:
    line = json.dumps({"text": "Fine day.", "label": ["positive"]}).encode()
    (failure,) = read_json_lines([line], "c.jsonl")
    assert isinstance(failure, Failure)
    assert failure.where == "c.jsonl:1" and "[start, end, label]" in failure.reason


def test_label_studio_predictions_are_pending_and_extra_annotations_named() -> None:
    text = "Kim met Lee."
    value = {"start": 0, "end": 3, "labels": ["PERSON"]}
    task = {
        "data": {"text": text},
        "annotations": [
            {"completed_by": {"id": 3, "email": "kim@example.org"},
             "result": [{"id": "a", "type": "labels", "value": value}]},
            {"completed_by": 4, "result": []},
        ],
        "predictions": [{"result": [
            {"id": "p", "type": "labels", "value": value},
            {"id": "q", "type": "labels", "value": {"start": 8, "end": 11, "labels": ["ORG"]}},
        ]}],
    }  # fmt: skip
    items = list(read_label_studio(json.dumps([task]).encode(), "ls.json"))
    item, extra = items
    assert isinstance(item, Imported) and item.annotations is not None
    assert isinstance(extra, Failure) and extra.where == "ls.json:task 1:annotation 2"
    by_label = {e.label: e for e in item.annotations.entities}
    assert by_label["PERSON"].status is Status.ACCEPTED
    assert by_label["PERSON"].annotator == "kim@example.org"
    assert (by_label["ORG"].status, by_label["ORG"].origin) == (Status.PENDING, Origin.MODEL)


def test_label_studio_choices_result_refuses_the_task() -> None:
    task = {"data": {"text": "Some text."}, "annotations": [{"result": [
        {"id": "c", "type": "choices", "value": {"choices": ["news"]}}]}]}  # fmt: skip
    (failure,) = read_label_studio(json.dumps([task]).encode(), "ls.json")
    assert isinstance(failure, Failure) and "'choices' result" in failure.reason


def test_brat_relations_and_refusals() -> None:
    text = 'Kim said "we win".'
    ann = ["T1\tPERSON 0 3\tKim", "T2\tQUOTE 10 16\twe win", "R1\tSPEAKER Arg1:T1 Arg2:T2"]
    item = _one(list(read_brat(text, ann, "k.txt", ann_where="k.ann")))
    assert item.annotations is not None and len(item.annotations.quotes) == 1
    for line, reason in [
        ("T3\tORG 0 3;4 8\tKim said", "discontinuous"),
        ("E1\tSay:T1", "an event"),
        ("R2\tKNOWS Arg1:T1 Arg2:T2", "only SPEAKER relations"),
        ("T3\tBAD\x07LABEL 0 3\tKim", "not a short printable token"),
        ("T3\tORG 0 3\tBob", "differs from the .txt"),
    ]:
        (failure,) = read_brat(text, [*ann, line], "k.txt", ann_where="k.ann")
        assert isinstance(failure, Failure) and failure.where == "k.ann"
        assert "line 4" in failure.reason and reason in failure.reason, failure.reason


def test_overlong_label_is_refused() -> None:
    line = json.dumps({"text": "Kim.", "label": [[0, 3, "X" * 80]]}).encode()
    (failure,) = read_json_lines([line], "c.jsonl")
    assert isinstance(failure, Failure) and "at most 64 characters" in failure.reason


def test_prodigy_relation_other_than_speaker_refuses_the_task() -> None:
    task = {
        "text": "Kim met Lee.",
        "relations": [{"label": "MET", "head_span": {"start": 0, "end": 3, "label": "PERSON"},
                       "child_span": {"start": 8, "end": 11, "label": "PERSON"}}],
    }  # fmt: skip
    (failure,) = read_json_lines([json.dumps(task).encode()], "p.jsonl")
    assert isinstance(failure, Failure) and "'MET' relation" in failure.reason


def test_the_article_size_limit_holds_for_every_annotated_format() -> None:
    from annotate.limits import MAX_ARTICLE_CHARS

    text = "word " * (MAX_ARTICLE_CHARS // 5 + 1)
    doccano = json.dumps({"text": text, "label": [[0, 4, "ORG"]]}).encode()
    prodigy = json.dumps({"text": text, "spans": [{"start": 0, "end": 4, "label": "ORG"}]})
    for line in (doccano, prodigy.encode()):
        (failure,) = read_json_lines([line], "big.jsonl")
        assert isinstance(failure, Failure) and f"{MAX_ARTICLE_CHARS:,}" in failure.reason
    (failure,) = read_brat(text, ["T1\tORG 0 4\tword"], "big.txt", ann_where="big.ann")
    assert isinstance(failure, Failure) and f"{MAX_ARTICLE_CHARS:,}" in failure.reason
    rows = [f"word{i} O" for i in range(MAX_ARTICLE_CHARS // 8)]
    (failure,) = read_conll(rows, "big.conll")
    assert isinstance(failure, Failure) and f"{MAX_ARTICLE_CHARS:,}" in failure.reason


def test_conll_tag_with_control_characters_is_refused() -> None:
    lines = ["Kim B-PER", "Lee B-PE\x1b[0mR", "", "-DOCSTART- O", "Jo B-PER"]
    failure, good = read_conll(lines, "c.conll")
    assert isinstance(failure, Failure) and "control characters" in failure.reason
    assert "line 2" in failure.reason and isinstance(good, Imported)


def test_gold_conll_is_complete_but_an_all_o_document_is_left_to_the_model() -> None:
    tagged, untagged = read_conll(["Kim B-PER", "", "-DOCSTART- O", "Nothing O"], "c.conll")
    assert isinstance(tagged, Imported) and isinstance(untagged, Imported)
    assert tagged.article.analysis is not None and untagged.article.analysis is None
    (pending,) = read_conll(["Kim B-PER"], "c.conll", as_suggestions=True)
    assert isinstance(pending, Imported) and pending.article.analysis is None


def test_a_hostile_annotator_refuses_the_record_rather_than_vanishing() -> None:
    """A name that is there but unusable is not "no name": the record is refused."""
    bad = json.dumps({"text": "Kim.", "label": [[0, 3, "PERSON"]], "user": "\x1b]2;x\x07bob"})
    good = json.dumps({"text": "Lee.", "label": [[0, 3, "PERSON"]], "user": 7})
    failure, item = read_json_lines([bad.encode(), good.encode()], "c.jsonl")
    assert isinstance(failure, Failure) and failure.where == "c.jsonl:1"
    assert "annotator '\\x1b]2;x\\x07bob'" in failure.reason
    assert isinstance(item, Imported) and item.annotations is not None
    assert item.annotations.entities[0].annotator == "7"
