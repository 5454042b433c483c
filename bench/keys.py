"""Key-press latency of the real app in a pseudo-terminal, on a 10,000-article store.

For each decision key (``a`` accept / ``x`` reject, alternating articles with ``j``)
the time runs from writing the key to the terminal until the app has written the
updated frame back (the end of its output burst).  The app commits a decision through
the store before it repaints, so a painted frame means the decision is on disk.

Also measured, the same way (what the terminal receives): time to first paint with the
10,000-article store and with a seeds-only store, in the same run; and, in the same
app after the decisions, every keystroke of filter queries over the 10,000 articles'
bodies, speakers and quotes (``/``, the index built, then words typed and erased).

Prints one JSON line: ``p50_ms``, ``p99_ms`` (over ``--decisions`` keys, default 500),
``search_ms`` (p99 of the filter keystrokes; target 50), ``search_p50_ms``,
``search_keys``, ``first_paint_s_10k``, ``first_paint_s_seeds``, ``paint_ratio``.

Usage: python bench/keys.py [--articles 10000] [--decisions 500]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after ROOT: bench/store.py must not shadow store/

from _pty import read_marks, run_in_terminal  # noqa: E402

from annotate.model import Annotations, Article, Origin, Span  # noqa: E402
from store import Store  # noqa: E402

WORDS = [
    ("Minister", None), ("Jane", "PERSON"), ("Doe", None), ("visited", None),
    ("Springfield", "GPE"), ("on", None), ("Monday", "DATE"), ("with", None),
    ("officials", None), ("from", None), ("Acme", "ORG"), ("and", None), ("the", None),
    ("United", "GPE"), ("Nations", None), ("before", None), ("flying", None), ("to", None),
    ("Paris", "GPE"), ("for", None), ("talks", None), ("about", None), ("the", None),
    ("Euro", "MONEY"), ("and", None), ("Brexit", "EVENT"), ("after", None),
    ("France", "GPE"), ("and", None), ("Germany", "GPE"), ("agreed", None), (".", None),
]  # fmt: skip
PER_ARTICLE = sum(1 for _, label in WORDS if label)


def make_article(index: int) -> tuple[Article, Annotations]:
    """One synthetic analysed article with ten pending entity suggestions."""
    body, spans, offset = [], [], 0
    title = f"Article {index:05d}: talks in Springfield"
    text = title + "\n\n"
    offset = len(text)
    for word, label in WORDS:
        if label:
            spans.append(Span(offset, offset + len(word), label, origin=Origin.MODEL))
        body.append(word)
        offset += len(word) + 1
    text += " ".join(body) + f" Ref {index}."
    article = Article.from_text(text, title=title, source=f"bench/{index}.txt")
    article = Article.from_dict({**article.to_dict(), "analysis": {"model": "bench"}})
    return article, Annotations(entities=tuple(spans))


def build_store(path: Path, count: int) -> None:
    """A store of ``count`` analysed synthetic articles (index written once)."""
    with Store.open(path) as store:
        store.add_articles(make_article(i) for i in range(count))


class Terminal:
    """The app on a pty: send keys, time the frames it writes back."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.master, slave = pty.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
        os.close(slave)

    def drain(self, quiet: float, first_wait: float | None = None) -> float | None:
        """Read until the app is silent for ``quiet`` s; time of the last byte read.

        ``first_wait`` is how long to wait for the first byte (default: ``quiet``).
        """
        last = None
        wait = quiet if first_wait is None else first_wait
        while True:
            ready, _, _ = select.select([self.master], [], [], wait)
            wait = quiet
            if not ready:
                return last
            os.read(self.master, 1 << 16)
            last = time.perf_counter()

    def key(self, key: bytes, quiet: float = 0.03) -> float:
        """Milliseconds from writing ``key`` to the end of the frame it causes."""
        self.drain(0.005)
        sent = time.perf_counter()
        os.write(self.master, key)
        last = self.drain(quiet, first_wait=5.0)
        if last is None:
            raise RuntimeError(f"no repaint after key {key!r}")
        return (last - sent) * 1000

    def close(self) -> None:
        os.write(self.master, b"q")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.master)


SEARCHES = ("springfield", "ref 4217", "brexit paris", "quote:talks", "speaker:doe",
            "status:progress acme", "germany agreed")  # fmt: skip
"""Filter queries typed (and erased) one key at a time; all but one match bodies only."""


def measure_search(terminal: Terminal, trace: Path) -> list[float]:
    """Open the filter, wait for its index, time every keystroke of :data:`SEARCHES`."""
    terminal.key(b"/")
    deadline = time.time() + 300
    while "search_index" not in read_marks(trace) and time.time() < deadline:
        terminal.drain(0.05)
    terminal.drain(0.3)
    latencies = []
    for query in SEARCHES:
        for char in query:
            latencies.append(terminal.key(char.encode()))
        for _ in query:
            latencies.append(terminal.key(b"\x7f"))  # backspace
    terminal.key(b"\x1b")  # escape: the filter closes
    return latencies


def measure_keys(store: Path, decisions: int, trace: Path) -> tuple[list[float], list[float]]:
    env = {**os.environ, "NEWSREAD_TRACE": str(trace), "TERM": "xterm-256color",
           "PYTHONPATH": str(ROOT), "NEWSREAD_ANNOTATOR": "bench"}  # fmt: skip
    terminal = Terminal([sys.executable, "-m", "tui", "--store", str(store)], env, (120, 40))
    try:
        deadline = time.time() + 120
        while "model_ready" not in read_marks(trace) and time.time() < deadline:
            terminal.drain(0.05)
        terminal.drain(0.3)
        latencies = []
        for n in range(decisions):
            if n and n % PER_ARTICLE == 0:
                terminal.key(b"j")  # next article, not counted
            latencies.append(terminal.key(b"a" if n % 3 else b"x"))
        return latencies, measure_search(terminal, trace)
    finally:
        terminal.close()


def first_paint(store: Path, texts: tuple[bytes, ...], trace: Path) -> float:
    marks = run_in_terminal(
        [sys.executable, "-m", "tui", "--store", str(store)],
        trace,
        "first_paint",
        env={"PYTHONPATH": str(ROOT)},
        screen_texts=texts,
    )
    return marks["screen"]


def p99(latencies: list[float]) -> float:
    """The 99th percentile, in ms, rounded."""
    ordered = sorted(latencies)
    return round(ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3, help="first-paint runs per store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big"
        started = time.perf_counter()
        build_store(big, args.articles)
        build_s = time.perf_counter() - started
        seeds = folder / "seeds"
        with Store.open(seeds) as store:
            from tui.startup import ensure_seeds

            ensure_seeds(store)
        big_texts = (b"Article 00000: talks", b"Doe visited")
        seed_texts = (b"Colombia accuses Russia", b"We know that some elements")
        paint_big, paint_seeds = [], []
        for run in range(args.runs):
            paint_big.append(first_paint(big, big_texts, folder / f"big{run}.trace"))
            paint_seeds.append(first_paint(seeds, seed_texts, folder / f"seeds{run}.trace"))
        latencies, searches = measure_keys(big, args.decisions, folder / "keys.trace")
        with Store.open(big, readonly=True) as store:
            decided = sum(s.decided for s in store.list_articles())
    result = {
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": p99(latencies),
        "max_ms": round(max(latencies), 2),
        "search_ms": p99(searches),
        "search_p50_ms": round(statistics.median(searches), 2),
        "search_keys": len(searches),
        "decisions": len(latencies),
        "decisions_in_store": decided,
        "articles": args.articles,
        "first_paint_s_10k": round(statistics.median(paint_big), 3),
        "first_paint_s_seeds": round(statistics.median(paint_seeds), 3),
        "build_store_s": round(build_s, 1),
    }
    result["paint_ratio"] = round(result["first_paint_s_10k"] / result["first_paint_s_seeds"], 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
