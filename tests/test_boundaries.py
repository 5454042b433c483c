"""The layering rule: annotate and store never import Textual (nor does the CLI core)."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(imports: str) -> set[str]:
    code = f"import sys\n{imports}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_annotate_and_store_do_not_import_textual() -> None:
    loaded = _modules_after(
        "import annotate, annotate.model, annotate.edits, annotate.clean, "
        "annotate.detect.pipeline, annotate.detect.nlp\n"
        "import store, store.repository, store.articles, store.durable"
    )
    assert "store.repository" in loaded  # the import really happened
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_cli_core_does_not_import_textual_or_spacy() -> None:
    loaded = _modules_after("import tui, tui.cli, tui.config, tui.startup")
    assert "tui.cli" in loaded
    assert "textual" not in loaded
    assert "spacy" not in loaded


def test_store_does_not_import_spacy() -> None:
    loaded = _modules_after("import store")
    assert "spacy" not in loaded


def test_the_store_loads_no_export_format() -> None:
    """The store reaches the export only through the rewrite hook it is given."""
    loaded = _modules_after(
        "import store, store.repository, store.reading, store.files, store.decisions, "
        "store.fold, store.cache, store.lock, store.extras, store.trailer, store.loading"
    )
    assert "store.reading" in loaded and "store.decisions" in loaded
    assert not any(m.startswith(("annotate.formats", "annotate.export")) for m in loaded)


def test_the_export_package_loads_no_store_and_no_app() -> None:
    loaded = _modules_after(
        "import annotate.export, annotate.export.lines, annotate.export.source, "
        "annotate.export.writers"
    )
    assert "annotate.export.writers" in loaded
    assert not any(m == "store" or m.startswith(("store.", "tui", "textual")) for m in loaded)
