"""``python -m tui`` runs the ``newsread`` command."""

from tui.entry import run

run()
