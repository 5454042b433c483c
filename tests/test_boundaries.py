"""The layering rules, checked by import-linter's contracts in ``pyproject.toml``.

A test that reads ``sys.modules`` after an import cannot see an import deferred into
a function body; import-linter reads every import statement, so the contracts are
the rule and these tests show that they hold and that they bite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
        ],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _modules_after(imports: str) -> set[str]:
    code = f"import sys\n{imports}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_cli_core_does_not_import_textual_or_spacy() -> None:
    """Start-up cost, not layering: ``newsread --help`` must not load Textual or spaCy."""
    loaded = _modules_after("import tui, tui.cli, tui.config, tui.startup")
    assert "tui.cli" in loaded
    assert "textual" not in loaded
    assert "spacy" not in loaded


def test_import_and_export_commands_load_no_spacy_until_run() -> None:
    loaded = _modules_after("import tui.cli.import_cmd, tui.cli.export_cmd")
    assert "tui.cli.export_cmd" in loaded
    assert "spacy" not in loaded and "trafilatura" not in loaded and "rich" not in loaded


def test_store_does_not_import_spacy() -> None:
    loaded = _modules_after("import store")
    assert "spacy" not in loaded


def test_the_contracts_hold() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _copy_tree(tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "tree"
    for package in ("annotate", "store", "tui"):
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("annotate/model.py", "store"),
        ("store/__init__.py", "tui"),
        ("store/__init__.py", "textual"),
        ("annotate/__init__.py", "rich"),
        ("store/__init__.py", "annotate.export.writers"),
        ("store/__init__.py", "spacy"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path: Path, module: str, forbidden: str) -> None:
    """A deferred import inside a function body is still caught."""
    copy = _copy_tree(tmp_path)
    target = copy / module
    target.write_text(
        target.read_text() + f"\n\ndef _sneaky() -> None:\n    import {forbidden}  # noqa\n"
    )
    result = _lint_imports(copy)
    assert result.returncode != 0
    assert re.search(r"Contracts: \d+ kept, [1-9]\d* broken", result.stdout), result.stdout


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
