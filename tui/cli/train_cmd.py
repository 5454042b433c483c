"""``newsread train``: fine-tune the model's NER on the store's decisions, score it, keep it.

Argument parsing, reading and printing only: the training is ``annotate.learn``.  The
store is opened read-only (the app may have it open; a crash or a kill of the training
cannot touch a decision), the decided articles are handed to the library, and the
model is written into ``<store>/models/<timestamp>/`` (whole or not at all).  Nothing
switches to the new model: ``--model <timestamp>`` uses it.

What trains (the export's rule): done articles completely, articles in progress with
what was decided only (the rest *missing*), new articles never.  A fixed share of the
done articles is held out (``annotate.learn.heldout``) and both the base model and the
new one are scored on it, label by label.  ``--curve`` trains on 25/50/75/100 % of the
training articles instead and prints the entity F of each, to show whether more
annotation still helps; it keeps no model.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.detect.nlp import ModelNotAvailable, check_model, load_model, model_label
from annotate.terminal_text import escape
from tui.cli.common import fail

if TYPE_CHECKING:
    from annotate.learn.examples import Decided
    from annotate.learn.scoring import Prf, Scores
    from annotate.learn.training import Progress, Trained
    from tui.config import Settings

CURVE = (0.25, 0.5, 0.75, 1.0)
JSON_PROGRESS: ContextVar[bool] = ContextVar("newsread_train_json_progress", default=False)
"""``--progress-json``: stdout carries JSON lines only (what the app reads, ``tui.training``):
``{"event": "step", "what", "done", "total", "epoch", "loss"}`` as the training goes, then
``{"event": "saved", "name", "path", "report"}`` (the score table as text).  Errors stay
one line on stderr with the exit code, as without it."""
SAVE_RESERVE_S = 5.0
"""Seconds of the budget kept for scoring the new model and writing it."""


def register(subparsers: Any) -> None:
    """Add the ``train`` command."""
    parser = subparsers.add_parser(
        "train",
        help="fine-tune the model's entities on the decisions; score it against the base",
        description="Train the entity recognizer of the current model on the decided "
        "articles (done ones complete, those in progress as far as decided), score the "
        "base model and the new one on a fixed held-out set of done articles, and write "
        "the new model into the store's models/ folder (use it with --model NAME).",
    )
    parser.add_argument(
        "--curve",
        action="store_true",
        help="train on 25/50/75/100%% of the training articles and print the F of each "
        "(keeps no model)",
    )
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=10.0,
        metavar="N",
        help="time budget of the whole command (default: 10)",
    )
    parser.add_argument(
        "--epochs", type=int, default=30, metavar="N", help="passes over the data (default: 30)"
    )
    parser.add_argument(
        "--progress-json",
        action="store_true",
        help="print progress and the result as JSON lines on stdout (what the app reads)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Train (or draw the curve) on the configured store; exit 1 on data that cannot train."""
    from annotate.learn.heldout import read_heldout, split, write_heldout
    from annotate.learn.models import MODELS_DIR
    from annotate.learn.training import TrainConfig, TrainingError, check_data

    JSON_PROGRESS.set(bool(getattr(args, "progress_json", False)))
    started = time.monotonic()
    if args.max_minutes <= 0 or args.epochs < 1:
        return fail("--max-minutes must be above 0 and --epochs at least 1")
    deadline = started + args.max_minutes * 60
    try:
        base = check_model(settings.model)
    except ModelNotAvailable as exc:
        return fail(str(exc))
    loaded = _read_decided(settings.store)
    if isinstance(loaded, str):
        return fail(loaded)
    done, in_progress = loaded
    models = settings.store / MODELS_DIR
    chosen = split(done, in_progress, read_heldout(models))
    decided = {**done, **in_progress}
    train_items = [decided[i] for i in sorted(chosen.train)]
    eval_items = [done[i] for i in sorted(chosen.evaluate)]
    config = TrainConfig(epochs=args.epochs)
    try:
        check_data(train_items, eval_items, len(done))
        write_heldout(models, chosen.heldout)
        if args.curve:
            return _curve(base, train_items, eval_items, deadline, config)
        return _train(base, settings, train_items, eval_items, deadline, config, started)
    except TrainingError as exc:
        return fail(f"{exc}; the current model stays in use", 1)
    except ModelNotAvailable as exc:
        return fail(str(exc))
    except OSError as exc:  # the models folder cannot be written (full disk, permissions)
        return fail(f"cannot write into {models}: {exc}; no model was saved")


def _read_decided(path: Path) -> tuple[dict[str, Decided], dict[str, Decided]] | str:
    """The done and in-progress articles of the store, read-only (or why not)."""
    from annotate.learn.examples import Decided
    from annotate.model import ArticleStatus
    from store import Store, StoreError

    if not path.is_dir():
        return f"no store at {path} (use --store PATH or NEWSREAD_STORE)"
    done: dict[str, Decided] = {}
    in_progress: dict[str, Decided] = {}
    try:
        with Store.open(path, readonly=True) as store:
            for summary in store.list_articles():
                if summary.status is ArticleStatus.NEW:
                    continue
                article, annotations = store.get(summary.id)
                complete = summary.status is ArticleStatus.DONE
                target = done if complete else in_progress
                target[article.id] = Decided(article, annotations, complete)
    except StoreError as exc:
        return str(exc)
    return done, in_progress


def _train(
    base: str,
    settings: Settings,
    train_items: Sequence[Decided],
    eval_items: Sequence[Decided],
    deadline: float,
    config: Any,
    started: float,
) -> int:
    from annotate.learn.models import MODELS_DIR, save_model
    from annotate.learn.scoring import evaluate
    from annotate.learn.tags import counts, enough, tag_set, tagged
    from annotate.learn.training import train

    base_nlp = load_model(base)
    scoring_started = time.monotonic()
    base_scores = evaluate(base_nlp, eval_items)
    reserve = 1.5 * (time.monotonic() - scoring_started) + SAVE_RESERVE_S
    statements = tagged(train_items)
    learn_tags = enough(counts(statements))
    if learn_tags:  # the classifier is quick: a sixth of what is left is plenty
        reserve += (deadline - reserve - time.monotonic()) / 6
    with _progress_bar("training") as progress:
        trained = train(
            base, train_items, deadline=deadline - reserve, config=config, progress=progress
        )
    tags_part: dict[str, Any] | None = None
    if learn_tags:
        labels = tag_set(settings.tags, statements)
        tags_part = _train_tags(trained.nlp, statements, labels, eval_items, deadline, config)
    new_scores = evaluate(trained.nlp, eval_items)
    meta = _meta(base_nlp, base, trained, train_items, eval_items, base_scores, new_scores)
    if tags_part is not None:
        meta["tags"] = {k: v for k, v in tags_part.items() if k != "scores"}
        meta["scores"]["tags"] = tags_part["scores"].to_dict()
    path = save_model(trained.nlp, settings.store / MODELS_DIR, meta)
    report = _report(trained, train_items, eval_items, base_scores, new_scores)
    if tags_part is not None:
        report += "\n" + _tags_report(tags_part["scores"], tags_part["eval_statements"])
    if JSON_PROGRESS.get():
        _json_line({"event": "saved", "name": path.name, "path": str(path), "report": report})
    else:
        print(escape(report))
        print(f"saved {escape(str(path))} (use it with: newsread --model {escape(path.name)})")
    if trained.stopped_by_budget:
        minutes = (time.monotonic() - started) / 60
        print(
            f"newsread: stopped at the time budget after {trained.epochs} of "
            f"{config.epochs} epochs ({minutes:.1f} min); raise --max-minutes to train longer",
            file=sys.stderr,
        )
    return 0


def _train_tags(
    nlp: Any,
    statements: Sequence[Any],
    labels: Sequence[str],
    eval_items: Sequence[Decided],
    deadline: float,
    config: Any,
) -> dict[str, Any]:
    """Train the statement-tag classifier into ``nlp`` and score it on the held-out
    articles' tagged statements (``annotate.learn.tags``)."""
    from annotate.learn.tags import counts, evaluate_tags, tagged, train_tags

    with _progress_bar("statement tags") as progress:
        result = train_tags(
            nlp,
            statements,
            labels,
            deadline=deadline - SAVE_RESERVE_S,
            config=config,
            progress=progress,
        )
    held_out = tagged(eval_items)
    return {
        "labels": list(labels),
        "examples": dict(sorted(counts(statements).items())),
        "statements": len(statements),
        "eval_statements": len(held_out),
        "epochs": result.epochs,
        "seconds": round(result.seconds, 1),
        "stopped_by_budget": result.stopped_by_budget,
        "scores": evaluate_tags(nlp, held_out, labels),
    }


def _tags_report(scores: Scores, eval_statements: int) -> str:
    """The statement tags' table: per tag P/R/F of the new classifier (the base has none)."""
    lines = [
        "",
        f"statement tags, scored on {eval_statements} tagged statements of the held-out "
        "done articles",
        "",
        f"{'tag':<14}{'P':>8}{'R':>8}{'F':>8}{'gold':>7}",
    ]
    for label, prf in [*sorted(scores.labels.items()), ("overall", scores.overall)]:
        lines.append(f"{label[:13]:<14}{_prf(prf)}{prf.support:>7}")
    return "\n".join(lines)


def _meta(
    base_nlp: Any,
    base: str,
    trained: Trained,
    train_items: Sequence[Decided],
    eval_items: Sequence[Decided],
    base_scores: Scores,
    new_scores: Scores,
) -> dict[str, Any]:
    """What ``newsread models`` shows and a later reader needs to trust the scores."""
    return {
        "created": time.time(),
        "base_model": {**model_label(base_nlp), "path": base},
        "data": {
            "train_articles": len(train_items),
            "train_done": sum(1 for i in train_items if i.complete),
            "train_in_progress": sum(1 for i in train_items if not i.complete),
            "eval_articles": len(eval_items),
            "entities": dict(sorted(trained.data.labels.items())),
            "unaligned": trained.data.unaligned,
        },
        "training": {
            "epochs": trained.epochs,
            "steps": trained.steps,
            "seconds": round(trained.seconds, 1),
            "stopped_by_budget": trained.stopped_by_budget,
            "losses": [round(loss, 2) for loss in trained.losses],
        },
        "scores": {"base": base_scores.to_dict(), "trained": new_scores.to_dict()},
    }


def _report(
    trained: Trained,
    train_items: Sequence[Decided],
    eval_items: Sequence[Decided],
    base: Scores,
    new: Scores,
) -> str:
    """The score table: per label P/R/F of the base and the new model, then overall F."""
    in_progress = sum(1 for i in train_items if not i.complete)
    lines = [
        f"trained on {len(train_items)} articles ({len(train_items) - in_progress} done, "
        f"{in_progress} in progress), {trained.epochs} epochs, {trained.seconds:.0f} s; "
        f"scored on {len(eval_items)} held-out done articles",
        "",
        f"{'label':<14}{'base P':>8}{'base R':>8}{'base F':>8}{'new P':>8}{'new R':>8}"
        f"{'new F':>8}{'gold':>7}",
    ]
    labels = sorted(set(base.labels) | set(new.labels))
    zero = type(new.overall)(0.0, 0.0, 0.0, 0)
    rows = [(label, base.labels.get(label, zero), new.labels.get(label, zero)) for label in labels]
    for label, b, n in [*rows, ("overall", base.overall, new.overall)]:
        lines.append(f"{label[:13]:<14}{_prf(b)}{_prf(n)}{max(b.support, n.support):>7}")
    b, n = base.overall, new.overall
    lines += ["", f"entity F: base {b.f:.3f} -> new {n.f:.3f} ({n.f - b.f:+.3f})"]
    return "\n".join(lines)


def _prf(score: Prf) -> str:
    """P, R and F in three columns; ``-`` where undefined (no prediction, no gold)."""
    p = f"{score.p:.2f}" if score.predicted else "-"
    r = f"{score.r:.2f}" if score.support else "-"
    f = f"{score.f:.2f}" if score.predicted or score.support else "-"
    return f"{p:>8}{r:>8}{f:>8}"


def _curve(
    base: str,
    train_items: Sequence[Decided],
    eval_items: Sequence[Decided],
    deadline: float,
    config: Any,
) -> int:
    from annotate.learn.heldout import eval_score
    from annotate.learn.scoring import evaluate
    from annotate.learn.training import TrainingError, train

    ordered = sorted(train_items, key=lambda i: eval_score(i.article.id, seed=1))
    rows: list[tuple[float, int, float, int]] = []
    reserve = SAVE_RESERVE_S  # per point, for scoring it: measured after the first
    for index, share in enumerate(CURVE):
        count = max(1, math.ceil(share * len(ordered)))
        left = sum(CURVE[index:])
        spare = deadline - time.monotonic() - reserve * (len(CURVE) - index)
        budget = spare * share / left
        with _progress_bar(f"{share:.0%} of the data") as progress:
            try:
                trained = train(
                    base,
                    ordered[:count],
                    deadline=time.monotonic() + budget,
                    config=config,
                    progress=progress,
                )
            except TrainingError as exc:
                if share == CURVE[-1]:
                    raise
                print(f"newsread: {share:.0%}: {escape(str(exc))}", file=sys.stderr)
                continue
        scoring = time.monotonic()
        f = evaluate(trained.nlp, eval_items).overall.f
        reserve = 1.5 * (time.monotonic() - scoring) + 1.0
        rows.append((share, count, f, trained.epochs))
    print(escape(render_curve(rows, len(eval_items))))
    return 0


def render_curve(rows: Sequence[tuple[float, int, float, int]], eval_count: int) -> str:
    """The learning curve as text: share, articles, epochs, entity F, change, and the
    trend (fewer epochs than asked: the budget cut that point short)."""
    lines = [
        f"entity F on {eval_count} held-out done articles",
        "",
        "  data  articles  epochs  F      change",
    ]
    previous: float | None = None
    for share, count, f, epochs in rows:
        change = "" if previous is None else f"{f - previous:+.3f}"
        lines.append(f"  {share:>4.0%}  {count:>8}  {epochs:>6}  {f:.3f}  {change}")
        previous = f
    lines += ["", trend(rows)]
    return "\n".join(lines)


def trend(rows: Sequence[tuple[float, int, float, int]]) -> str:
    """What the last step of the curve says about annotating more."""
    if len(rows) < 2:
        return "trend: too few points to tell"
    last = rows[-1][2] - rows[-2][2]
    if last > 0.01:
        return f"trend: rising ({last:+.3f} in the last step): more annotation should still help"
    if last < -0.01:
        return f"trend: falling ({last:+.3f} in the last step): check the newest decisions"
    return f"trend: flat ({last:+.3f} in the last step): more of the same data helps little"


def _json_line(event: dict[str, Any]) -> None:
    """One line of the ``--progress-json`` protocol on stdout, flushed at once."""
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


@contextmanager
def _progress_bar(what: str) -> Iterator[Progress]:
    """A rich progress bar on stderr (when it is a terminal) fed by the training's steps;
    with ``--progress-json``, one JSON line per step on stdout instead."""
    if JSON_PROGRESS.get():
        from annotate.learn.training import Step

        def report(step: Step) -> None:
            _json_line({"event": "step", "what": what, "done": step.done, "total": step.total,
                        "epoch": step.epoch, "loss": round(step.loss, 3)})  # fmt: skip

        yield report
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    from annotate.learn.training import Step

    console = Console(stderr=True)
    with Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("epoch {task.fields[epoch]} loss {task.fields[loss]:.1f}"),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task(escape(what), total=None, epoch=1, loss=0.0)

        def advance(step: Step) -> None:
            bar.update(task, completed=step.done, total=step.total, epoch=step.epoch,
                       loss=step.loss)  # fmt: skip

        yield advance
