"""The layering rules, checked by import-linter's contracts in ``pyproject.toml``.

A test that reads ``sys.modules`` after an import cannot see an import deferred into
a function body; import-linter reads every import statement, so the contracts are
the rule and these tests show that they hold and that they bite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_store_does_not_import_spacy() -> None:
    loaded = _modules_after("import store")
    assert "spacy" not in loaded
