"""Benchmark of the store: the latency of one decision as the store grows, vs naive TinyDB.

Prints ONE JSON line.  Run: ``python bench/store.py`` (two to three minutes;
``--quick`` for a smaller smoke run).

What is measured
  A *decision* is ``store.save_decision(article_id, edit)`` where the edit accepts one pending
  entity; the call returns only once the decision is durable on disk.  Decisions are
  made in *sessions* like a person's: open a random article that still has pending
  suggestions (``store.get``, not timed: the app does it when the article is shown),
  then accept 5 random pending entities in it, each timed.  Sessions rotate over the
  stores (1k, 10k, 100k) so that disk hiccups hit every size alike.  Decisions follow
  each other without pause, so the store's background fold (which copies the journal
  into the article files once nobody has decided for half a second) never runs during
  them; what it costs when it runs is measured apart: ``fold_ms_*`` is the time of one
  fold step (rewriting one article file), the longest a decision can wait for one.

How the annotations are spread
  Articles carry 5 to 55 entity suggestions each (cycling 5, 10, 15, 20, 25, 30, 40,
  55: a short to a long news article, mean 25), so the 1k store has 40 articles, the
  10k store 400 and the 100k store 4,000.  Two more 100k stores show the ends of the
  range: 10 articles of 10,000 entities (``*_100k_10_articles``: an article far longer
  than any news piece, where article-sized work shows) and 10,000 articles of 10
  (``open_s_100k_10000_articles``: the most files to open).

The comparison (same run)
  ``naive_*``: TinyDB as documented -- ``TinyDB(path)`` with its default ``JSONStorage``
  -- holding the same number of annotations as documents in one file, where a
  decision is ``table.update(..., doc_ids=[id])``.

Other keys: ``open_s_100k`` opens the 100k store and lists its articles;
``open_after_crash_s_100k`` does the same after a writer died without closing (the
journal is replayed); ``fdatasync_p50_ms`` is the floor: appending 300 bytes to a file
and ``fdatasync``-ing it on the same disk.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: bench/ must not shadow the store package
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tinydb import TinyDB  # noqa: E402

from annotate.edits import make_edit  # noqa: E402
from annotate.model import Annotations, Article, Span, Status  # noqa: E402
from store import Store  # noqa: E402

PER_ARTICLE = (5, 10, 15, 20, 25, 30, 40, 55)
FIRST = ("Maria", "John", "Amina", "Wei", "Olga", "Carlos", "Priya", "Tom", "Sara", "Yusuf")
LAST = ("Schmidt", "Okafor", "Chen", "Novak", "Garcia", "Patel", "Smith", "Haddad")
ORGS = ("the Ministry of Health", "Reuters", "the European Commission", "Acme Corp")
PLACES = ("Berlin", "Lagos", "Shanghai", "Prague", "Madrid", "Mumbai", "Ohio", "Beirut")
VERBS = ("said", "told reporters", "added", "warned", "argued", "insisted")


def make_article(index: int, entities: int, rng: random.Random) -> tuple[Article, Annotations]:
    """A synthetic news article with ``entities`` pending entity suggestions."""
    parts: list[str] = [f"Report {index}. "]
    offset = len(parts[0])
    spans: list[Span] = []
    for n in range(entities):
        kind = n % 3
        if kind == 0:
            name, label = f"{rng.choice(FIRST)} {rng.choice(LAST)}", "PERSON"
        elif kind == 1:
            name, label = rng.choice(ORGS), "ORG"
        else:
            name, label = rng.choice(PLACES), "GPE"
        lead = "On Tuesday " if n % 4 == 0 else ""
        sentence = f"{lead}{name} {rng.choice(VERBS)} that talks would resume next week. "
        start = offset + len(lead)
        spans.append(Span(start, start + len(name), label))
        parts.append(sentence)
        offset += len(sentence)
    text = "".join(parts)
    article = Article.from_text(text, title=f"Report {index}", source=f"bench/{index}.txt")
    article = replace(article, analysis={"model": "bench", "version": "0"})
    return article, Annotations(entities=tuple(spans))


def build_store(path: Path, total: int, per_article: tuple[int, ...], seed: int) -> int:
    """Create a store holding ``total`` entity suggestions; returns its article count."""
    rng = random.Random(seed)
    items, made, index = [], 0, 0
    while made < total:
        count = min(per_article[index % len(per_article)], total - made)
        items.append(make_article(index, count, rng))
        made += count
        index += 1
    with Store.open(path) as store:
        store.add_articles(items)
    return len(items)


class Session:
    """Makes timed decisions on one store, a session (one article) at a time."""

    def __init__(self, path: Path, seed: int) -> None:
        self.store = Store.open(path)
        self.rng = random.Random(seed)
        self.open_ids = [s.id for s in self.store.list_articles() if s.pending]
        self.times: list[float] = []

    def run(self, decisions: int) -> None:
        """Open a random article with pending suggestions and accept ``decisions`` of them."""
        article_id = self.rng.choice(self.open_ids)
        _, annotations = self.store.get(article_id)
        pending = [s for s in annotations.entities if s.status is Status.PENDING]
        for span in self.rng.sample(pending, min(decisions, len(pending))):
            edit = make_edit("accept", [span], [replace(span, status=Status.ACCEPTED)], "bench")
            started = time.perf_counter()
            self.store.save_decision(article_id, edit)
            self.times.append(time.perf_counter() - started)
        if not self.store.summary(article_id).pending:
            self.open_ids.remove(article_id)

    def fold_times(self) -> list[float]:
        """Fold the journal step by step as the background would, timing each step."""
        times = []
        store = self.store
        while store._decisions.pending():
            with store._lock:
                started = time.perf_counter()
                store._decisions.fold_step()
                times.append(time.perf_counter() - started)
        return times


def percentiles(times: list[float]) -> tuple[float, float, float]:
    """Median, 99th percentile and maximum, in milliseconds."""
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (
        round(statistics.median(ordered) * 1000, 3),
        round(p99 * 1000, 3),
        round(ordered[-1] * 1000, 3),
    )


def naive_p50_ms(folder: Path, total: int, samples: int, seed: int) -> float:
    """Median time of one decision in a default TinyDB file of ``total`` annotations."""
    rng = random.Random(seed)
    path = folder / f"naive-{total}.json"
    docs = {
        str(i + 1): {
            "article": f"a{i // 25}",
            "kind": "entity",
            "id": f"{i:012x}",
            "start": i * 7,
            "end": i * 7 + 5,
            "label": "PERSON",
            "origin": "model",
            "status": "pending",
        }
        for i in range(total)
    }
    path.write_text(json.dumps({"_default": docs}), encoding="utf-8")
    db = TinyDB(path)
    table = db.table("_default")
    times = []
    for _ in range(samples):
        doc_id = rng.randrange(1, total + 1)
        started = time.perf_counter()
        table.update(
            {"status": "accepted", "annotator": "bench", "timestamp": time.time()},
            doc_ids=[doc_id],
        )
        times.append(time.perf_counter() - started)
    db.close()
    path.unlink()
    return round(statistics.median(times) * 1000, 3)


def open_and_list(path: Path) -> float:
    """Seconds to open a store and list its articles."""
    started = time.perf_counter()
    store = Store.open(path)
    store.list_articles()
    elapsed = time.perf_counter() - started
    store.close()
    return round(elapsed, 4)


def fdatasync_p50_ms(folder: Path, samples: int = 200) -> float:
    """The disk's floor for one durable append."""
    fd = os.open(folder / "floor.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    times = []
    try:
        for _ in range(samples):
            started = time.perf_counter()
            os.write(fd, b"x" * 299 + b"\n")
            os.fdatasync(fd)
            times.append(time.perf_counter() - started)
    finally:
        os.close(fd)
    return round(statistics.median(times) * 1000, 3)


def log(message: str) -> None:
    print(f"[bench/store] {message}", file=sys.stderr, flush=True)


def main() -> None:
    """Build the stores, measure, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer sessions (smoke run)")
    parser.add_argument("--dir", type=Path, default=None, help="where to build the stores")
    args = parser.parse_args()
    sessions = 30 if args.quick else 120
    root = Path(tempfile.mkdtemp(prefix="newsread-bench-", dir=args.dir))
    result: dict[str, Any] = {}
    try:
        sizes = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
        paths = {name: root / f"store-{name}" for name in sizes}
        for name, total in sizes.items():
            started = time.perf_counter()
            result[f"articles_{name}"] = build_store(paths[name], total, PER_ARTICLE, seed=1)
            log(f"built {name} in {time.perf_counter() - started:.1f}s")
        dense = root / "store-100k-dense"
        build_store(dense, 100_000, (10_000,), seed=2)
        sparse = root / "store-100k-sparse"
        started = time.perf_counter()
        build_store(sparse, 100_000, (10,), seed=3)
        log(f"built extremes; sparse store in {time.perf_counter() - started:.1f}s")

        runs = {name: Session(paths[name], seed=10 + i) for i, name in enumerate(sizes)}
        runs["dense"] = Session(dense, seed=20)
        for _ in range(sessions):
            for run in runs.values():
                run.run(5)
        for name in sizes:
            p50, p99, worst = percentiles(runs[name].times)
            result[f"p50_ms_{name}"], result[f"p99_ms_{name}"] = p50, p99
            result[f"max_ms_{name}"] = worst
        p50, p99, worst = percentiles(runs["dense"].times)
        result["p50_ms_100k_10_articles"] = p50
        result["p99_ms_100k_10_articles"] = p99
        result["max_ms_100k_10_articles"] = worst
        result["decisions_per_size"] = len(runs["1k"].times)
        folds = runs["100k"].fold_times()
        result["fold_ms_p50_100k"], _, result["fold_ms_max_100k"] = percentiles(folds)
        result["fold_ms_max_100k_10_articles"] = percentiles(runs["dense"].fold_times())[2]
        result["growth_100k_over_1k"] = round(result["p50_ms_100k"] / result["p50_ms_1k"], 3)
        result["p99_growth_100k_over_1k"] = round(result["p99_ms_100k"] / result["p99_ms_1k"], 3)
        # A writer that dies without closing: its journal is replayed on the next open.
        for _ in range(20):
            runs["100k"].run(5)
        crashed = runs.pop("100k").store
        crashed._release()  # what the kernel does to a killed process: lock and fd dropped
        result["open_after_crash_s_100k"] = open_and_list(paths["100k"])
        for run in runs.values():
            run.store.close()
        result["open_s_100k"] = open_and_list(paths["100k"])
        result["open_s_100k_10000_articles"] = open_and_list(sparse)
        log("measured the store; now naive TinyDB")

        naive_samples = {"1k": 60, "10k": 20, "100k": 3 if args.quick else 5}
        for name, total in sizes.items():
            result[f"naive_p50_ms_{name}"] = naive_p50_ms(root, total, naive_samples[name], 4)
        result["naive_over_store_p50_100k"] = round(
            result["naive_p50_ms_100k"] / result["p50_ms_100k"], 1
        )
        result["fdatasync_p50_ms"] = fdatasync_p50_ms(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
