"""Agreement benchmark: ``newsread agreement`` on 1,000 articles × 3 annotators.

Prints one JSON line:

- ``agreement_s``: the command's own path -- open the store read-only, read every
  article's versions (``tui.cli.agreement_cmd.article_versions``) and compute every
  figure (``annotate.agreement.agreement``); target <= 5 s;
- ``compute_s``: the computation alone, on versions already read;
- ``reference_s``: the independent implementations on the same token tags, measured in
  the same run: ``krippendorff.alpha`` (nominal) over the three annotators and
  scikit-learn's ``cohen_kappa_score`` for each pair (the tag matrix is built before
  the clock starts, so this times their arithmetic only: the same job as ``compute_s``
  minus the span F1s and statement tags);
- ``alpha`` / ``alpha_reference``: the two values, which must agree.

    python bench/agreement.py [--articles 1000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotate.agreement import ArticleVersions, agreement, token_spans, token_tags  # noqa: E402
from annotate.model import Annotations, Article, Span, Statement, Status  # noqa: E402
from store import Store  # noqa: E402
from tui.cli.agreement_cmd import article_versions  # noqa: E402

NAMES = ("alice", "bob", "carol")
LABELS = ("PERSON", "ORG", "GPE", "DATE")
WORDS = ("the", "minister", "said", "on", "Friday", "that", "talks", "in", "Paris", "failed")


def make_store(root: Path, articles: int, seed: int = 0) -> None:
    """``articles`` articles of ~80 words with 12 suggestions, each decided by every
    annotator (mostly alike: accept, sometimes reject or relabel) and a tagged sentence."""
    rng = random.Random(seed)
    items = []
    for index in range(articles):
        words = [f"Name{index}"] + [rng.choice(WORDS) for _ in range(80)]
        text = " ".join(words) + "."
        article = Article.from_text(text, title=f"Story {index}", source=f"bench/{index}.txt")
        article = Article.from_dict({**article.to_dict(), "analysis": {"model": "bench"}})
        tokens = token_spans(text)
        chosen = sorted(rng.sample(range(len(tokens) - 1), 12))
        suggestions = [Span(*tokens[i], rng.choice(LABELS)) for i in chosen]
        pool: list[Span | Statement] = list(suggestions)
        for name in NAMES:
            for span in suggestions:
                roll = rng.random()
                status = Status.REJECTED if roll < 0.1 else Status.ACCEPTED
                label = rng.choice(LABELS) if roll > 0.9 else span.label
                pool.append(
                    Span(span.start, span.end, label, status=status, id=span.id, annotator=name)
                )
            pool.append(Statement(0, 40, (rng.choice(("claim", "opinion")),), annotator=name))
        annotations = Annotations(
            entities=tuple(i for i in pool if isinstance(i, Span)),
            statements=tuple(i for i in pool if isinstance(i, Statement)),
        )
        items.append((article, annotations))
    with Store.open(root) as store:
        store.add_articles(items, backup=False)


def reference(versions: list[ArticleVersions]) -> tuple[float, float]:
    """The reference implementations on the same token tags: (seconds, alpha)."""
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    codes = {label: i for i, label in enumerate(("O", *LABELS))}
    rows: dict[str, list[int]] = {n: [] for n in NAMES}
    for article in versions:
        tokens = token_spans(article.text)
        for name in NAMES:
            spans = [
                (s.start, s.end, s.label)
                for s in article.versions[name].entities
                if s.status is Status.ACCEPTED
            ]
            rows[name] += [codes[t] for t in token_tags(tokens, spans)]
    data = np.array([rows[n] for n in NAMES], dtype=float)
    start = time.perf_counter()
    alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    for a in range(len(NAMES)):
        for b in range(a + 1, len(NAMES)):
            cohen_kappa_score(data[a], data[b])
    return time.perf_counter() - start, float(alpha)


def main() -> None:
    """Build the store, time the command's path, the computation and the reference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        root = Path(folder) / "store"
        make_store(root, args.articles)
        start = time.perf_counter()
        with Store.open(root, readonly=True) as store:
            versions = list(article_versions(store))
        report = agreement(versions)
        agreement_s = time.perf_counter() - start
        start = time.perf_counter()
        agreement(versions)
        compute_s = time.perf_counter() - start
        reference_s, alpha_reference = reference(versions)
    print(
        json.dumps(
            {
                "articles": args.articles,
                "annotators": len(NAMES),
                "agreement_s": round(agreement_s, 3),
                "compute_s": round(compute_s, 3),
                "reference_s": round(reference_s, 3),
                "alpha": report["alpha"],
                "alpha_reference": alpha_reference,
                "target_agreement_s": 5.0,
            }
        )
    )


if __name__ == "__main__":
    main()
