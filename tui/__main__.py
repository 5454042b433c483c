"""``python -m tui`` runs the ``newsread`` command."""

from tui.cli import run

run()
