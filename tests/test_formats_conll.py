"""CoNLL / IOB: every tag scheme decodes to the same entities; wikigold survives a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.formats.base import Failure, Imported
from annotate.formats.conll import conll_lines, looks_like_conll, read_conll
from annotate.formats.tokens import make_doc
from annotate.model import Annotations, Article, Span, Status

WIKIGOLD = Path(__file__).parent / "data" / "wikigold" / "wikigold.conll.txt"

# One sentence, two adjacent ORGs: "Acme Corp" then "Globex", then "Paris".
SCHEMES = {
    "iob2": ["B-ORG", "I-ORG", "B-ORG", "O", "B-LOC"],
    "iob1": ["I-ORG", "I-ORG", "B-ORG", "O", "I-LOC"],
    "bilou": ["B-ORG", "L-ORG", "U-ORG", "O", "U-LOC"],
}
TOKENS = ["Acme", "Corp", "Globex", "in", "Paris"]


def _entities(item: Imported | Failure) -> list[tuple[str, str]]:
    assert isinstance(item, Imported) and item.annotations is not None
    text = item.article.text
    return [(text[e.start : e.end], e.label) for e in item.annotations.entities]


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_tag_schemes_decode_to_the_same_entities(scheme: str) -> None:
    lines = [f"{tok} NNP B-NP {tag}" for tok, tag in zip(TOKENS, SCHEMES[scheme], strict=True)]
    (item,) = read_conll(lines, "x.conll")
    assert _entities(item) == [("Acme Corp", "ORG"), ("Globex", "ORG"), ("Paris", "LOC")]


def test_io_tags_join_adjacent_tokens_of_a_type() -> None:
    lines = ["Acme I-ORG", "Corp I-ORG", "in O", "Paris I-LOC", "", "Bob I-PER"]
    (item,) = read_conll(lines, "x")
    assert _entities(item) == [("Acme Corp", "ORG"), ("Paris", "LOC"), ("Bob", "PER")]
    assert isinstance(item, Imported)
    assert item.article.text == "Acme Corp in Paris\nBob"
    assert item.annotations is not None and item.annotations.sentences == ((0, 18), (19, 22))


def test_documents_split_at_docstart_and_imports_are_gold() -> None:
    lines = ["-DOCSTART- -X- O O", "", "Ann B-PER", "", "-DOCSTART- -X- O O", "", "Bo B-PER"]
    items = list(read_conll(lines, "f.conll", annotator="me", now=5.0))
    assert [i.article.text for i in items if isinstance(i, Imported)] == ["Ann", "Bo"]
    assert [i.where for i in items] == ["f.conll:1", "f.conll:5"]
    span = items[0].annotations.entities[0]  # type: ignore[union-attr]
    assert (span.status, span.annotator, span.timestamp) == (Status.ACCEPTED, "me", 5.0)
    pending = list(read_conll(lines, "f", as_suggestions=True))
    assert pending[0].annotations.entities[0].status is Status.PENDING  # type: ignore[union-attr]


def test_bad_tag_fails_its_document_only() -> None:
    lines = ["-DOCSTART- O", "Ann B-PER", "-DOCSTART- O", "Bo X-PER", "-DOCSTART- O", "Cy B-PER"]
    items = list(read_conll(lines, "f"))
    assert [type(i) for i in items] == [Imported, Failure, Imported]
    assert "line 4" in items[1].reason and "X-PER" in items[1].reason  # type: ignore[union-attr]
    lonely = list(read_conll(["token-without-tag"], "g"))
    assert isinstance(lonely[0], Failure) and "expected a token and a tag" in lonely[0].reason


def test_sniffing() -> None:
    assert looks_like_conll(["-DOCSTART- O"])
    assert looks_like_conll(["EU B-ORG", "rejects O"])
    assert not looks_like_conll(["This is a news article.", "It has sentences."])
    assert not looks_like_conll([""])


def test_export_writes_iob2_and_reports_what_cannot_be_tagged() -> None:
    article = Article.from_text("Ann Lee met Bob in New York.")
    annotations = Annotations(
        entities=(
            Span(0, 7, "PER", status=Status.ACCEPTED),
            Span(12, 15, "PER", status=Status.ACCEPTED),
            Span(19, 27, "GPE", status=Status.ACCEPTED),
            Span(4, 7, "PER", status=Status.ACCEPTED),  # overlaps Ann Lee
            Span(13, 15, "PER", status=Status.ACCEPTED),  # "ob": not on token boundaries
        ),
    )
    reports: list[str] = []
    lines = list(conll_lines(article, annotations, report=reports.append))
    assert lines[:2] == ["-DOCSTART- -X- -X- O", ""]
    tags = [line.split()[-1] for line in lines[2:] if line]
    assert tags == ["B-PER", "I-PER", "O", "B-PER", "O", "B-GPE", "I-GPE", "O"]
    assert len(reports) == 2
    assert any("overlaps" in r for r in reports) and any("token boundaries" in r for r in reports)


def _wikigold_view(items: list[Imported | Failure]) -> list[tuple[list[str], list[tuple]]]:
    """Per document: the tokens, and the entities as (first token, last token, label)."""
    view = []
    for item in items:
        assert isinstance(item, Imported) and item.annotations is not None
        doc = make_doc(item.article)
        tokens = [t.text for t in doc if not t.is_space]
        index = {t.idx: i for i, t in enumerate(t for t in doc if not t.is_space)}
        ends = {t.idx + len(t): i for i, t in enumerate(t for t in doc if not t.is_space)}
        entities = [(index[e.start], ends[e.end], e.label) for e in item.annotations.entities]
        view.append((tokens, entities))
    return view


def test_wikigold_round_trip_keeps_tokens_and_entities() -> None:
    original = list(read_conll(WIKIGOLD.read_text(encoding="utf-8").splitlines(), "wg"))
    assert len(original) == 145 and all(isinstance(i, Imported) for i in original)
    reports: list[str] = []
    exported: list[str] = []
    for item in original:
        assert isinstance(item, Imported) and item.annotations is not None
        exported.extend(conll_lines(item.article, item.annotations, report=reports.append))
    assert reports == []
    tags = {line.split()[-1][:2] for line in exported if line and not line.startswith("-DOC")}
    assert tags <= {"O", "B-", "I-"}  # IOB2 now
    assert "B-" in tags
    again = list(read_conll(exported, "exported"))
    assert _wikigold_view(again) == _wikigold_view(original)

    # The token column is the same, line for line (blank and -DOCSTART- lines aside).
    def token_column(lines: list[str]) -> list[str]:
        return [line.split()[0] for line in lines if line and not line.startswith("-DOCSTART-")]

    raw = token_column(WIKIGOLD.read_text(encoding="utf-8").splitlines())
    out = token_column(exported)
    assert out == raw
    # The number of entities after the trip is the same.
    total = sum(
        len(i.annotations.entities) for i in again if isinstance(i, Imported) and i.annotations
    )
    assert total == sum(
        len(i.annotations.entities) for i in original if isinstance(i, Imported) and i.annotations
    )
    assert total == 3558  # entity chunks in the file (counted independently with awk)
