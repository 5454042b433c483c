"""Benchmark: how much ``newsread train`` improves the entities, on wikigold.

100 of wikigold's 145 documents (a seeded shuffle) are imported into a temporary store
as accepted decisions (done articles: ``newsread import`` of a CoNLL file), ``newsread
train`` fine-tunes the default model on them (it holds a fifth out for its own table),
and the trained and the base model are scored on the other 45 documents: exact entity
match, offsets and label (``annotate.learn.scoring``).  Prints one JSON line:

* ``base_f`` / ``trained_f`` / ``gain``: entity F of the base model (labels mapped, below)
  and of the trained one on the 45 documents, and the difference (target >= 0.10);
* ``train_s``: wall time of ``newsread train`` (target <= 600 on 2 shared cores);
* ``docs``: documents imported, held out by the store, scored here;
* ``curve``: the entity F of ``newsread train --curve`` at 25/50/75/100 % (on the store's
  held-out documents, as the command prints it), ``curve_s`` its wall time and
  ``curve_epochs`` the epochs each point got (fewer than asked: the budget cut it short).

The base model speaks OntoNotes; wikigold has PER/ORG/LOC/MISC.  Its labels are mapped:
PERSON -> PER; ORG -> ORG; GPE, LOC, FAC -> LOC; NORP, EVENT, WORK_OF_ART, PRODUCT,
LANGUAGE, LAW -> MISC; DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL are not
entities in wikigold and are dropped.  The trained model already uses wikigold's labels.

    python bench/learn.py [--wikigold FILE] [--epochs N] [--no-curve]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared" / "eval" / "wikigold" / "wikigold.conll.txt"
BUNDLED = ROOT / "tests" / "data" / "wikigold" / "wikigold.conll.txt"
BASE_TO_WIKIGOLD = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "PRODUCT": "MISC",
    "LANGUAGE": "MISC",
    "LAW": "MISC",
}
DOCSTART = "-DOCSTART- O\n"
TRAIN_DOCS = 100


def split_documents(path: Path) -> tuple[list[str], list[str]]:
    """wikigold's documents in a seeded order: the first 100, and the other 45."""
    parts = [p for p in path.read_text(encoding="utf-8").split(DOCSTART) if p.strip()]
    random.Random(0).shuffle(parts)
    return parts[:TRAIN_DOCS], parts[TRAIN_DOCS:]


def write_conll(path: Path, documents: list[str]) -> Path:
    """The documents as one CoNLL file."""
    path.write_text("".join(DOCSTART + d for d in documents), encoding="utf-8")
    return path


def main() -> None:
    """Run the benchmark and print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wikigold", type=Path, default=SHARED if SHARED.exists() else BUNDLED)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--no-curve", action="store_true")
    args = parser.parse_args()

    from annotate.detect.nlp import load_model
    from annotate.formats.base import Imported
    from annotate.formats.conll import read_conll
    from annotate.learn.examples import Decided
    from annotate.learn.models import list_models
    from annotate.learn.scoring import evaluate
    from tui.cli import main as newsread

    train_docs, eval_docs = split_documents(args.wikigold)
    with tempfile.TemporaryDirectory(prefix="newsread-learn-") as tmp:
        folder = Path(tmp)
        store = folder / "store"
        source = write_conll(folder / "train.conll", train_docs)
        with contextlib.redirect_stdout(io.StringIO()):
            assert newsread(["--store", str(store), "import", str(source)]) == 0
        started = time.perf_counter()
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = newsread(["--store", str(store), "train", "--epochs", str(args.epochs)])
        train_s = time.perf_counter() - started
        assert code == 0, printed.getvalue()
        (model,) = list_models(store / "models")

        lines = write_conll(folder / "eval.conll", eval_docs).read_text().splitlines()
        held = [r for r in read_conll(lines, "eval.conll") if isinstance(r, Imported)]
        gold = [Decided(r.article, r.annotations, True) for r in held if r.annotations]
        base_f = evaluate(load_model(), gold, BASE_TO_WIKIGOLD).overall.f
        trained_f = evaluate(load_model(str(model.path)), gold).overall.f

        curve: list[float] = []
        curve_epochs: list[int] = []
        curve_s = 0.0
        if not args.no_curve:
            started = time.perf_counter()
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                code = newsread(
                    ["--store", str(store), "train", "--curve", "--epochs", str(args.epochs)]
                )
            curve_s = time.perf_counter() - started
            assert code == 0, printed.getvalue()
            rows = re.findall(r"^\s+\d+%\s+\d+\s+(\d+)\s+([0-9.]+)", printed.getvalue(), re.M)
            curve = [round(float(f), 4) for _, f in rows]
            curve_epochs = [int(e) for e, _ in rows]

    print(
        json.dumps(
            {
                "base_f": round(base_f, 4),
                "trained_f": round(trained_f, 4),
                "gain": round(trained_f - base_f, 4),
                "train_s": round(train_s, 1),
                "docs": {
                    "imported": len(train_docs),
                    "store_heldout": model.meta["data"]["eval_articles"],
                    "scored": len(gold),
                },
                "epochs": model.meta["training"]["epochs"],
                "curve": curve,
                "curve_s": round(curve_s, 1),
                "curve_epochs": curve_epochs,
                "store_table_f": {
                    "base": model.meta["scores"]["base"]["overall"]["f"],
                    "trained": model.meta["scores"]["trained"]["overall"]["f"],
                },
            }
        )
    )


if __name__ == "__main__":
    main()
