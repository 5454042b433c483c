"""``annotate.agreement`` against a hand computation and independent implementations."""

from __future__ import annotations

import random
from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotate.agreement import (
    ArticleVersions,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    token_spans,
    token_tags,
)
from annotate.model import Annotations, Span, Statement, Status

TEXT = "Ada Lovelace met Bob in Paris today ."
# tokens: Ada Lovelace met Bob in Paris today .


def _span(start: int, end: int, label: str, status: Status = Status.ACCEPTED) -> Span:
    return Span(start, end, label, status=status)


def fixture() -> ArticleVersions:
    """Three annotators on one sentence; the figures below are computed by hand."""
    alice = Annotations(
        entities=(_span(0, 12, "PERSON"), _span(17, 20, "PERSON"), _span(24, 29, "GPE")),
        statements=(Statement(0, 20, ("claim",)),),
    )
    bob = Annotations(
        entities=(
            _span(0, 3, "PERSON"),
            _span(17, 20, "ORG"),
            _span(24, 29, "GPE"),
            _span(30, 35, "DATE", Status.REJECTED),  # rejected: claims nothing
        ),
        statements=(Statement(0, 20, ("claim", "opinion")),),
    )
    carol = Annotations(
        entities=(
            _span(0, 12, "PERSON"),
            _span(17, 20, "PERSON"),
            _span(24, 29, "GPE", Status.PENDING),
        )
    )
    return ArticleVersions(
        "a1", "Lovelace", TEXT, {"alice": alice, "bob": bob, "carol": carol}, ((0, 37),)
    )


def _pair(report: dict, a: str, b: str) -> dict:
    return next(p for p in report["pairs"] if (p["a"], p["b"]) == (a, b))


def test_the_figures_equal_the_hand_computation() -> None:
    report = agreement([fixture()])
    assert report["annotators"] == ["alice", "bob", "carol"] and report["articles"] == 1
    ab, ac, bc = (
        _pair(report, "alice", "bob"),
        _pair(report, "alice", "carol"),
        _pair(report, "bob", "carol"),
    )
    # exact: only GPE matches (1 of 3 + 3); overlap adds Ada/Ada Lovelace
    assert ab["exact"]["entities"]["overall"] == pytest.approx(2 / 6)
    assert ab["exact"]["entities"]["by_label"] == {"GPE": 1.0, "ORG": 0.0, "PERSON": 0.0}
    assert ab["overlap"]["entities"]["overall"] == pytest.approx(4 / 6)
    assert ac["exact"]["entities"]["overall"] == pytest.approx(4 / 5)
    assert bc["exact"]["entities"]["overall"] == 0.0
    assert bc["overlap"]["entities"]["overall"] == pytest.approx(2 / 5)
    assert ab["exact"]["quotes"]["overall"] is None  # nobody claimed a quote
    # token tags: alice P P O P O G O O, bob P O O ORG O G O O, carol P P O P O O O O
    assert ab["token_kappa"] == pytest.approx(0.6)  # (6/8 - 24/64) / (1 - 24/64)
    assert ac["token_kappa"] == pytest.approx(27 / 35)  # (7/8 - 29/64) / (1 - 29/64)
    assert report["alpha"] == pytest.approx(94 / 163)  # 1 - 23 * 6 / (24² - 250)
    assert ab["tag_kappa"] == {"claim": 1.0, "opinion": 0.0}
    assert ac["tag_kappa"]["claim"] == 0.0
    # 5 entities and 2 statement tags are not claimed by all three
    assert report["disagreements"] == [{"article": "a1", "title": "Lovelace", "count": 7}]


def test_done_only_leaves_out_unfinished_versions() -> None:
    article = fixture()
    finished = ArticleVersions(
        article.id, article.title, article.text, article.versions, done=frozenset({"alice", "bob"})
    )
    report = agreement([finished], done_only=True)
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [("alice", "bob")]
    alone = ArticleVersions(article.id, "", TEXT, article.versions, done=frozenset({"alice"}))
    assert agreement([alone], done_only=True)["articles"] == 0


LABELS = ["PERSON", "ORG", "GPE"]


def _random_versions(rng: random.Random, names: list[str], articles: int) -> list[ArticleVersions]:
    """Articles of random words where each annotator marks random words."""
    found = []
    for index in range(articles):
        words = [rng.choice(["Ada", "met", "Bob", "in", "Paris", "."]) for _ in range(12)]
        text = " ".join(words)
        tokens = token_spans(text)
        versions = {}
        for name in names:
            if rng.random() < 0.2:
                continue  # this annotator has no version of the article: missing for alpha
            spans = tuple(_span(s, e, rng.choice(LABELS)) for s, e in tokens if rng.random() < 0.4)
            versions[name] = Annotations(entities=spans)
        found.append(ArticleVersions(f"a{index}", "", text, versions))
    return found


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_kappa_and_alpha_equal_the_reference_implementations(seed: int) -> None:
    rng = random.Random(seed)
    names = ["alice", "bob", "carol"]
    articles = _random_versions(rng, names, 6)
    report = agreement(articles)
    codes = {label: i for i, label in enumerate(["O", *LABELS])}
    rows: dict[str, list[float]] = {n: [] for n in names}
    for article in articles:
        if len(article.versions) < 2:
            continue
        tokens = token_spans(article.text)
        for name in names:
            version = article.versions.get(name)
            if version is None:
                rows[name] += [np.nan] * len(tokens)
            else:
                spans = [(s.start, s.end, s.label) for s in version.entities]
                rows[name] += [codes[t] for t in token_tags(tokens, spans)]
    data = np.array([rows[n] for n in names])
    if data.size and len({v for v in data.flatten() if not np.isnan(v)}) > 1:
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert report["alpha"] == pytest.approx(expected)
    for pair in report["pairs"]:
        a, b = data[names.index(pair["a"])], data[names.index(pair["b"])]
        both = ~np.isnan(a) & ~np.isnan(b)
        if len(set(a[both]) | set(b[both])) > 1:
            expected = cohen_kappa_score(a[both], b[both])
            assert pair["token_kappa"] == pytest.approx(expected)


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1))
def test_cohen_kappa_equals_scikit_learn(pairs: list[tuple[str, str]]) -> None:
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    ours = cohen_kappa(a, b)
    if len(set(a) | set(b)) == 1:
        assert ours is None  # one category only: undefined
    else:
        assert ours == pytest.approx(cohen_kappa_score(a, b))


def test_alpha_is_undefined_without_variation() -> None:
    assert krippendorff_alpha([Counter({"O": 3}), Counter({"O": 2})]) is None
    assert krippendorff_alpha([Counter({"O": 1})]) is None


def test_speaker_links_compare_the_entity_named_not_the_phrase() -> None:
    from annotate.model import Quote, QuoteKind

    text = "Governor Chris Gregoire said the budget passed. He said “we are done.” Ann agreed."
    said = (text.index("the budget"), text.index(" passed") + 7)
    done = (text.index("we are"), text.index("done.") + 5)
    governor = _span(0, len("Governor Chris Gregoire"), "SPEAKER")
    chris = _span(9, len("Governor Chris Gregoire"), "PERSON")
    he = _span(text.index("He"), text.index("He") + 2, "SPEAKER")

    def quote(span: tuple[int, int], speaker: Span, ref: Span | None = None) -> Quote:
        return Quote(*span, QuoteKind.INDIRECT, speaker=speaker, speaker_ref=ref,
                     status=Status.ACCEPTED, speaker_status=Status.ACCEPTED)  # fmt: skip

    ann = _span(text.index("Ann"), text.index("Ann") + 3, "SPEAKER")
    versions = {
        # alice: the title phrase, and "he" resolved to Chris Gregoire
        "alice": Annotations(quotes=(quote(said, governor, chris), quote(done, he, chris))),
        # bob: the name itself, and "he" resolved to nobody (the pronoun as written)
        "bob": Annotations(quotes=(quote(said, chris), quote(done, he))),
        # carol: Ann for the first, nothing more
        "carol": Annotations(quotes=(quote(said, ann),)),
    }
    report = agreement([ArticleVersions("a1", "T", text, versions)])
    # alice-bob: 2 contents both claim; the first names Chris Gregoire twice, the second
    # "chris gregoire" against "he": 1 of 2.  alice-carol and bob-carol: 0 of 1.
    assert _pair(report, "alice", "bob")["speaker_link"] == {
        "compared": 2, "agreed": 1, "share": 0.5}  # fmt: skip
    assert _pair(report, "alice", "carol")["speaker_link"]["agreed"] == 0
    assert _pair(report, "bob", "carol")["speaker_link"] == {
        "compared": 1, "agreed": 0, "share": 0.0}  # fmt: skip
