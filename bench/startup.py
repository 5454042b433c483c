"""Start-up benchmark: the real ``newsread`` in a pseudo-terminal against a bare Textual app.

Prints one JSON line:
- ``first_paint_s``: process start until the terminal has received both a seed title of
  the list and a sentence of the article body (watched on the pty: what a person sees);
- ``highlights_s``: until the first article's entity highlights are painted (model
  loaded in the worker, analysis stored);
- ``bare_textual_first_paint_s``: a bare Textual app (bench/bare_app.py) measured the
  same way in the same run;
- ``ratio`` = first_paint_s / bare_textual_first_paint_s (target <= 1.5).
- ``first_run_paint_s``: the same as ``first_paint_s`` on an empty store, i.e. including
  the first-run import of the seed articles (the other figures use a store that already
  holds the seeds, not yet analysed, as on any later launch).
Each figure is the median of ``--runs`` runs, each on a fresh copy of the store.

Usage: python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.append(str(Path(__file__).resolve().parent))  # after: bench/store.py != store/
from _pty import run_in_terminal  # noqa: E402

from store import Store  # noqa: E402
from tui.startup import ensure_seeds  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
APP_TEXTS = (b"Colombia accuses Russia", b"We know that some elements")
BARE_TEXTS = (b"article list", b"article text")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    first_paint, highlights, bare, first_run = [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            with Store.open(folder / "store") as store:
                ensure_seeds(store)  # a store that holds the seeds, as after the first run
            fresh = run_in_terminal(
                [sys.executable, "-m", "tui", "--store", str(folder / "empty")],
                folder / "fresh.trace",
                "first_paint",
                env={"PYTHONPATH": str(ROOT)},
                screen_texts=APP_TEXTS,
            )
            first_run.append(fresh["screen"])
            bare_marks = run_in_terminal(
                [sys.executable, str(ROOT / "bench" / "bare_app.py")],
                folder / "bare.trace",
                "first_paint",
                env={"PYTHONPATH": str(ROOT)},
                screen_texts=BARE_TEXTS,
            )
            marks = run_in_terminal(
                [sys.executable, "-m", "tui", "--store", str(folder / "store")],
                folder / "app.trace",
                "highlights",
                env={"PYTHONPATH": str(ROOT)},
                screen_texts=APP_TEXTS,
            )
        bare.append(bare_marks["screen"])
        first_paint.append(marks["screen"])
        highlights.append(marks["highlights"])
    result = {
        "first_paint_s": round(statistics.median(first_paint), 3),
        "highlights_s": round(statistics.median(highlights), 3),
        "bare_textual_first_paint_s": round(statistics.median(bare), 3),
        "first_run_paint_s": round(statistics.median(first_run), 3),
        "runs": args.runs,
    }
    result["ratio"] = round(result["first_paint_s"] / result["bare_textual_first_paint_s"], 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
