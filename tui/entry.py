"""The ``newsread`` console script: switches the garbage collector off for start-up.

Start-up allocates hundreds of thousands of long-lived objects (Textual, Rich, the
store) and nothing short-lived worth collecting; every automatic collection on the way
re-scans them all.  The collector stays off until the first frame is painted (the app
then freezes what exists and collects between key presses itself, see
``tui.collector``), or until the arguments are parsed for the plain commands.
"""

from __future__ import annotations

import gc


def run() -> None:
    """Entry point of the ``newsread`` script and of ``python -m tui``."""
    gc.disable()
    from tui.cli import run as run_cli

    run_cli()
