"""Training from the app: ``newsread train`` in a separate process, followed in the status line.

The palette's "Train a model on the decisions" starts ``python -m tui --store S --model M
train --progress-json`` as a child process (its own interpreter: the training's CPU work
never holds the UI's GIL, so the app stays responsive on two cores).  A thread worker reads
the child's JSON lines (``tui.cli.train_cmd.JSON_PROGRESS``) and posts them as messages;
the status line shows the steps, and when the child is done the score table opens in a
screen whose ``u`` key uses the new model: analysis restarts with it, replacing pending
model suggestions only (``NewsreadApp.run_analysis``).

The child opens the store read-only, and writes the model whole or not at all, so a
crash -- or the app quitting and killing it -- never touches a decision.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from annotate.terminal_text import one_line
from tui.screens.report import ReportScreen

if TYPE_CHECKING:
    from tui.app import NewsreadApp


@dataclass
class TrainingProgress(Message):
    """A step of the training: what trains, updates done of those planned, the epoch."""

    what: str
    done: int
    total: int
    epoch: int


@dataclass
class TrainingFinished(Message):
    """The child ended: a saved model and its score table, or why it failed."""

    name: str | None
    path: str | None
    report: str
    error: str | None


def command(app: NewsreadApp) -> list[str]:
    """The child's command line (the app's store and model, plus its extra arguments)."""
    args = [sys.executable, "-m", "tui", "--store", str(app.settings.store)]
    if app.settings.model:
        args += ["--model", app.settings.model]
    return [*args, "train", "--progress-json", *app.training_args]


class Training:
    """One training child at a time, and the thread that follows it."""

    def __init__(self, app: NewsreadApp) -> None:
        self.app = app
        self.process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """True while a child runs."""
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the child unless one runs (palette command)."""
        if self.running:
            self.app.say("A training is already running: its progress is in the status line.")
            return
        show_training(self.app, "training: starting…")
        self.app.run_worker(self._follow, thread=True, group="training", name="training")

    def stop(self) -> None:
        """Kill a running child (the app quits; the model is written whole or not at all)."""
        with self._lock:
            if self.process is not None and self.process.poll() is None:
                self.process.kill()

    def _follow(self) -> None:
        """Run the child and post its JSON lines as messages (a thread worker)."""
        post = self.app.post_message
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors:
            with self._lock:
                self.process = subprocess.Popen(
                    command(self.app),
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    stdin=subprocess.DEVNULL,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                )
            saved: dict[str, object] = {}
            assert self.process.stdout is not None
            for line in self.process.stdout:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue  # not the protocol (a library's print): ignore
                if not isinstance(event, dict):
                    continue
                if event.get("event") == "step":
                    post(TrainingProgress(str(event.get("what", "")), _int(event, "done"),
                                          _int(event, "total"), _int(event, "epoch")))  # fmt: skip
                elif event.get("event") == "saved":
                    saved = event
            code = self.process.wait()
            errors.seek(0)
            lines = [one_line(x) for x in errors.read().splitlines() if x.strip()]
        if code == 0 and saved:
            post(TrainingFinished(str(saved.get("name")), str(saved.get("path")),
                                  str(saved.get("report", "")), None))  # fmt: skip
        else:
            why = next((x for x in reversed(lines) if x.startswith("newsread:")), None)
            error = why or (lines[-1] if lines else f"the training ended with code {code}")
            post(TrainingFinished(None, None, "", error))


def _int(event: dict[str, object], key: str) -> int:
    value = event.get(key)
    return value if isinstance(value, int) else 0


def progress_text(message: TrainingProgress) -> str:
    """The status line's words for a step."""
    share = f" {message.done * 100 // message.total}%" if message.total else ""
    return f"training {one_line(message.what)}{share} (epoch {message.epoch})"


class TrainedModelScreen(ReportScreen):
    """The score table of a new model; ``u`` uses it (restarts the analysis with it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "use_model", "Use this model", id="trained_use", tooltip="Use this model"),
    ]

    def __init__(self, report: str, name: str, path: str) -> None:
        super().__init__(
            [
                Text(f"New model {name}", style="bold"),
                Text(""),
                Text(report),
                Text(""),
                Text(
                    "u: use this model (pending suggestions are made again; every "
                    "decision stays) · escape: keep the current one"
                ),  # fmt: skip
            ]
        )
        self.model_path = path

    def action_use_model(self) -> None:
        app: NewsreadApp = self.app  # type: ignore[assignment]
        self.dismiss(None)
        use_model(app, self.model_path)


def show_training(app: NewsreadApp, text: str) -> None:
    """Put ``text`` in the status line's training part (empty: none runs)."""
    app.main.progress = replace(app.main.progress, training=text)


def finished(app: NewsreadApp, message: TrainingFinished) -> None:
    """Show the score table, or say why the training failed (the current model stays)."""
    show_training(app, "")
    if message.error is not None or message.path is None or message.name is None:
        app.say(f"Training failed: {message.error}; the current model stays in use.", "error")
        return
    app.push_screen(TrainedModelScreen(message.report, message.name, message.path))


def use_model(app: NewsreadApp, path: str) -> None:
    """Analyse again with the model at ``path`` (pending suggestions only are replaced)."""
    app.settings = replace(app.settings, model=path)
    if app.analyze_in_background and not app.store.readonly:
        app.say(f"Using the model {Path(path).name}: pending suggestions are being made again.")
        app.restart_analysis()
    else:
        app.say(f"The model {Path(path).name} is chosen; analysis is off in this session.")
