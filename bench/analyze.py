"""Benchmark: annotate's full analysis against bare ``nlp.pipe`` on the same texts.

Prints one JSON line:

* ``docs_per_s``: articles per second through cleaning + spaCy + entity fixes +
  quotation detection (``clean_article`` then ``annotate.detect.pipeline.analyze``);
* ``raw_spacy_docs_per_s``: articles per second through ``nlp.pipe`` alone, on the
  already-cleaned texts (so the difference is exactly what annotate adds);
* ``ratio``: the first over the second (target >= 0.85: the rules cost at most 15%),
  and ``cpu_ratio``, the same from CPU time;
* ``workers_1_docs_per_s`` / ``workers_2_docs_per_s`` / ``workers_speedup``: the full
  analysis with spaCy's ``n_process`` 1 and 2, each measured in a fresh process with
  the thread settings ``newsread analyze --workers N`` uses.

Both sides of the ratio run in this process with the same model and batch size,
alternating batch by batch, best of ``--rounds`` per batch, so machine noise hits both
alike; numpy's BLAS pool is limited to one thread unless ``--blas-threads``.  The corpus is
built from the seed articles, varied (paragraphs resampled, names and quote styles
changed) so that the texts are quote-dense news, the worst case for the quote layer;
``--corpus PATH`` adds other text (.txt files, folders, or a CoNLL file such as
wikigold, one document per ``-DOCSTART-`` or blank-line block).

    python bench/analyze.py [--docs 120] [--rounds 3] [--corpus PATH] [--no-workers]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = ["Molano", "Duque", "Sullivan", "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka"]
FIRST = ["Diego", "Ivan", "Jake", "Amara", "Erik", "Layla", "Claire", "Kenji"]
BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PLACES = ["Venezuela", "Colombia", "Russia", "Ukraine", "Peru", "Kenya", "Norway", "Chile"]


def seed_corpus(count: int, rng: random.Random) -> list[str]:
    """``count`` raw articles varied from the seed articles (deterministic for ``rng``)."""
    from seeds import seed_files

    paragraphs: list[str] = []
    raws = [p.read_text(encoding="utf-8") for p in seed_files()]
    for raw in raws:
        paragraphs.extend(p.strip() for p in raw.split("\n\n") if len(p.strip()) > 60)
    texts = list(raws)
    while len(texts) < count:
        picked = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(5, 12)))
        body = "\n\n".join(picked)
        for old, new in (("Molano", rng.choice(SURNAMES)), ("Diego", rng.choice(FIRST))):
            body = body.replace(old, new)
        body = body.replace("Venezuela", rng.choice(PLACES))
        if rng.random() < 0.3:
            body = body.replace("“", '"').replace("”", '"')
        footer = "\n\nRelated Articles\n\nLeave a Reply" if rng.random() < 0.5 else ""
        texts.append(f"date 2022-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n\n{body}{footer}")
    return texts[:count]


def extra_corpus(paths: list[str]) -> list[str]:
    """Texts from .txt files/folders, or documents of a CoNLL file (first column)."""
    texts: list[str] = []
    for name in paths:
        path = Path(name)
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if not file.is_file():
                continue
            content = file.read_text(encoding="utf-8", errors="replace")
            if "conll" in file.name.lower():
                texts.extend(_conll_documents(content))
            elif file.suffix.lower() in (".txt", ".md"):
                texts.append(content)
    return [t for t in texts if t.strip()]


def _conll_documents(content: str) -> list[str]:
    docs: list[str] = []
    sentences: list[str] = []
    words: list[str] = []
    for line in content.splitlines() + [""]:
        token = line.split(" ")[0] if line.strip() else ""
        if token == "-DOCSTART-" or (not token and not words and sentences):
            if sentences:
                docs.append("\n\n".join(sentences))
            sentences = []
            continue
        if token:
            words.append(token)
        elif words:
            sentences.append(" ".join(words))
            words = []
    return docs


def measure_ratio(texts: list[str], rounds: int, batch_size: int) -> dict[str, float]:
    """Throughput of full analysis and of bare ``nlp.pipe``, interleaved batch by batch.

    The machine's speed drifts by tens of percent over seconds, so the two sides are
    timed alternately on each batch (order swapped every batch and round) and each
    batch counts with its fastest round.  CPU time is reported too (``cpu_ratio``),
    which a busy neighbour on the machine does not distort.
    """
    from annotate.clean import clean_article
    from annotate.detect.nlp import load_model
    from annotate.detect.pipeline import analyze

    nlp = load_model()
    cleaned = [clean_article(t).text for t in texts]
    list(nlp.pipe(cleaned[:8], batch_size=batch_size))  # warm-up
    chunks = [
        (texts[i : i + batch_size], cleaned[i : i + batch_size])
        for i in range(0, len(texts), batch_size)
    ]

    def full(raw: list[str], _: list[str]) -> None:
        for _item in analyze(nlp, (clean_article(t) for t in raw), batch_size=batch_size):
            pass

    def bare(_: list[str], clean: list[str]) -> None:
        for _doc in nlp.pipe(clean, batch_size=batch_size):
            pass

    best: dict[tuple[int, str], float] = {}
    cpu = {"full": 0.0, "bare": 0.0}
    for round_ in range(rounds):
        for index, chunk in enumerate(chunks):
            sides = [("full", full), ("bare", bare)]
            if (index + round_) % 2:
                sides.reverse()
            for name, run in sides:
                wall, used = time.perf_counter(), time.process_time()
                run(*chunk)
                elapsed = time.perf_counter() - wall
                cpu[name] += time.process_time() - used
                best[index, name] = min(best.get((index, name), float("inf")), elapsed)
    full_s = sum(v for (_, name), v in best.items() if name == "full")
    bare_s = sum(v for (_, name), v in best.items() if name == "bare")
    return {
        "docs_per_s": round(len(texts) / full_s, 2),
        "raw_spacy_docs_per_s": round(len(texts) / bare_s, 2),
        "ratio": round(bare_s / full_s, 3),
        "cpu_ratio": round(cpu["bare"] / cpu["full"], 3),
    }


def measure_workers(texts: list[str], workers: int, batch_size: int) -> float:
    """Full-analysis docs/s with ``n_process=workers``, in a fresh process (own BLAS setup)."""
    env = dict(os.environ)
    if workers > 1:  # what `newsread analyze --workers N` does
        for variable in BLAS_VARIABLES:
            env.setdefault(variable, "1")
    payload = json.dumps({"texts": texts, "workers": workers, "batch_size": batch_size})
    result = subprocess.run(
        [sys.executable, __file__, "--_child"],
        input=payload,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(json.loads(result.stdout)["docs_per_s"])


def _child() -> None:
    from annotate.clean import clean_article
    from annotate.detect.nlp import load_model
    from annotate.detect.pipeline import analyze

    job = json.loads(sys.stdin.read())
    texts, workers, batch_size = job["texts"], job["workers"], job["batch_size"]
    nlp = load_model()
    list(nlp.pipe(texts[:4]))  # load weights before timing
    started = time.perf_counter()
    for _item in analyze(
        nlp, (clean_article(t) for t in texts), batch_size=batch_size, n_process=workers
    ):
        pass
    print(json.dumps({"docs_per_s": len(texts) / (time.perf_counter() - started)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=120, help="seed-varied articles")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--corpus", nargs="*", default=[], help="extra text files/folders/CoNLL")
    parser.add_argument("--no-workers", action="store_true", help="skip the n_process runs")
    parser.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--blas-threads",
        action="store_true",
        help="leave numpy's BLAS thread pool alone (default: one thread, as in workers)",
    )
    args = parser.parse_args()
    if args._child:
        _child()
        return
    if not args.blas_threads:
        # Before numpy loads: a multi-threaded BLAS pool makes wall times jumpy on small
        # machines, and each --workers process runs with one thread anyway.
        for variable in BLAS_VARIABLES:
            os.environ.setdefault(variable, "1")
    texts = seed_corpus(args.docs, random.Random(3)) + extra_corpus(args.corpus)
    figures: dict[str, object] = {
        "docs": len(texts),
        "chars": sum(len(t) for t in texts),
        "batch_size": args.batch_size,
    }
    figures.update(measure_ratio(texts, args.rounds, args.batch_size))
    if not args.no_workers:
        one = measure_workers(texts, 1, args.batch_size)
        two = measure_workers(texts, 2, args.batch_size)
        figures.update(
            workers_1_docs_per_s=round(one, 2),
            workers_2_docs_per_s=round(two, 2),
            workers_speedup=round(two / one, 2),
        )
    from annotate.detect.nlp import load_model, model_label

    figures["model"] = model_label(load_model())["model"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
