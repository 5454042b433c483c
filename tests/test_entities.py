"""Entity suggestions: spans trimmed, surnames made consistent, labels restricted."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from annotate.clean import clean_article
from annotate.detect.entities import fix_entities, trim_entity
from annotate.detect.nlp import load_model
from annotate.detect.pipeline import analyze
from annotate.model import Origin
from seeds import seed_files

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the “National Liberation Army", "National Liberation Army"),
        ("Che Guevara’s", "Che Guevara"),
        ("Che Guevara's", "Che Guevara"),
        ("”Sullivan", "Sullivan"),
        ("“Sullivan”", "Sullivan"),
        ("the students’", "the students"),
        ("Joaquin “El Chapo” Guzman", "Joaquin “El Chapo” Guzman"),
        ("National Liberation Army” and", "National Liberation Army"),
        ("(Reuters", "Reuters"),
        ("U.S.", "U.S."),
        ("Venezuela", "Venezuela"),
    ],
)
def test_trim_entity(text: str, expected: str) -> None:
    start, end = trim_entity(text, 0, len(text))
    assert text[start:end] == expected


@pytest.fixture(scope="module")
def blank() -> Language:
    return load_model("blank:en")


def with_ents(nlp: Language, text: str, ents: list[tuple[str, str, int]]) -> Doc:
    """A tokenised Doc with the given entities (text, label, occurrence index)."""
    doc = nlp(text)
    spans = []
    for words, label, nth in ents:
        start = -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        span = doc.char_span(start, start + len(words), label=label)
        assert span is not None, words
        spans.append(span)
    doc.ents = spans
    return doc


def labelled(doc: Doc, **kwargs: object) -> list[tuple[str, str, str]]:
    return [
        (doc.text[s.start : s.end], s.label, str(s.origin))
        for s in fix_entities(doc, **kwargs)  # type: ignore[arg-type]
    ]


def test_surname_labelled_org_becomes_person_by_rule(blank: Language) -> None:
    doc = with_ents(
        blank,
        "Diego Molano spoke. Later Molano left. Then Molano returned.",
        [("Diego Molano", "PERSON", 0), ("Molano", "ORG", 1)],
    )
    assert labelled(doc) == [
        ("Diego Molano", "PERSON", "model"),
        ("Molano", "PERSON", "rule"),  # relabelled
        ("Molano", "PERSON", "rule"),  # missed by the model, added
    ]


def test_titles_do_not_hide_the_surname(blank: Language) -> None:
    doc = with_ents(
        blank,
        "President Ivan Duque spoke. President Duque left.",
        [("President Ivan Duque", "PERSON", 0), ("President Duque", "ORG", 0)],
    )
    assert labelled(doc)[1] == ("President Duque", "PERSON", "rule")


def test_places_sharing_a_surname_are_left_alone(blank: Language) -> None:
    doc = with_ents(
        blank,
        "George Washington crossed. Washington is a city.",
        [("George Washington", "PERSON", 0), ("Washington", "GPE", 1)],
    )
    assert ("Washington", "GPE", "model") in labelled(doc)


def test_trimmed_spans_are_rule_made(blank: Language) -> None:
    doc = with_ents(blank, "He read Guevara’s ideas.", [("Guevara’s", "PERSON", 0)])
    assert labelled(doc) == [("Guevara", "PERSON", "rule")]


def test_spans_over_a_line_break_are_dropped(blank: Language) -> None:
    doc = with_ents(
        blank, "Related Articles\n\nLeave now.", [("Related Articles\n\nLeave", "PERSON", 0)]
    )
    assert labelled(doc) == []


def test_labels_restrict_after_the_fixes(blank: Language) -> None:
    doc = with_ents(
        blank,
        "Diego Molano met Molano in Bogota.",
        [("Diego Molano", "PERSON", 0), ("Molano", "ORG", 1), ("Bogota", "GPE", 0)],
    )
    assert [x[0] for x in labelled(doc, labels=["PERSON"])] == ["Diego Molano", "Molano"]
    assert [x[0] for x in labelled(doc, labels=["GPE"])] == ["Bogota"]


@pytest.mark.model
def test_seed_entities_with_the_real_model() -> None:
    nlp = load_model()
    articles = [clean_article(p.read_text(encoding="utf-8")) for p in seed_files()]
    model_labels = set(nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]
    for article, found in analyze(nlp, articles):
        text = article.text
        texts = [text[e.start : e.end] for e in found.entities]
        assert {e.label for e in found.entities} <= model_labels
        for value in texts:
            assert value == value.strip(" “”\"’'")
            assert not value.endswith(("’s", "'s")) and "\n" not in value
        for boilerplate in ("REUTERS", "Related Articles", "Leave", "EuropaPress"):
            assert not any(boilerplate in t for t in texts)
        by_text = {(text[e.start : e.end], e.label, e.origin) for e in found.entities}
        assert ("Molano", "PERSON", Origin.RULE) in by_text
        if "Duque added" in text:
            assert ("Duque", "PERSON", Origin.RULE) in by_text
            assert ("National Liberation Army", "ORG", Origin.RULE) in by_text
            assert ("Che Guevara", "PERSON", Origin.RULE) in by_text
        if "Sullivan said" in text:
            assert all(t != "”Sullivan" for t in texts)


@pytest.mark.model
def test_analyze_restricts_labels() -> None:
    nlp = load_model()
    article = clean_article(seed_files()[0].read_text(encoding="utf-8"))
    ((_, found),) = analyze(nlp, [article], labels=("PERSON",))
    assert found.entities and {e.label for e in found.entities} == {"PERSON"}
    assert found.quotes  # quotes still found (speakers need every entity)
