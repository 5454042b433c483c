"""Start-up timing marks for benchmarks: ``NEWSREAD_TRACE=path`` appends ``event time`` lines.

The benchmark starts the real app in a terminal and reads these marks, so first
paint and highlight times are measured in the running program, not estimated.
"""

from __future__ import annotations

import os
import time


def mark(event: str) -> None:
    """Append ``event`` with the wall-clock time to the trace file, if tracing is on."""
    path = os.environ.get("NEWSREAD_TRACE")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{event} {time.time():.6f}\n")
