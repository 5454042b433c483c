"""Garbage collection between key presses instead of inside them.

Python's cyclic collector runs whenever enough objects were allocated, which in a
Textual app means in the middle of handling a key: every repaint allocates thousands
of segments and strips.  Measured with ``bench/keys.py`` (10,000 articles), two thirds
of the keys ran a collection; a young one costs ~0.1 ms, a middle one ~1.6 ms and a
full one ~10 ms, and those keys made the whole p99 (18 ms with them, 11 ms without).

So the app switches automatic collection off and collects itself at the moments
nobody waits for:

- after each input's frame is painted, the young generations (0 and 1): what that
  one key allocated, a fraction of a millisecond, while the user reads the frame;
- once input has been quiet for :data:`FULL_QUIET_S`, everything (the oldest
  generation grows by what survives, and is never collected during typing).  This
  one is not small -- about 5 ms after ten decisions, 90-140 ms after 250 typed
  without a pause (measured) -- so it waits for a real pause, once per pause;
- past :data:`BACKLOG` uncollected allocations, the young generations whatever
  happens (a background thread, such as the analysis, allocating while nobody types).

Only cyclic garbage waits for these (reference counting frees everything else at
once).  The periodic check is a clock read and a counter; it never repaints.  It also
switches automatic collection off again when a library switched it back on: srsly's
msgpack reader, which spaCy's model loading runs, disables and then enables the
collector around every read, whatever its state was before.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

FULL_QUIET_S = 1.0
"""Input quiet this long: collect the oldest generation too, once per pause."""
BACKLOG = 20_000
"""Uncollected allocations (generation 0's count) that force a young collection."""
CHECK_EVERY_S = 0.25
"""How often :meth:`IdleCollector.tick` should run."""


class IdleCollector:
    """Owns the collector's schedule from :meth:`start` on (see the module).

    ``after_frame`` schedules a callable to run once the next frame is painted
    (``App.call_after_refresh``)."""

    def __init__(
        self,
        after_frame: Callable[[Callable[[], None]], object],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._after_frame = after_frame
        self._clock = clock
        self._last_input = clock()
        self._young_scheduled = False
        self._full_due = False
        self.collections = [0, 0, 0]
        """How many collections of each generation this ran (for tests and tracing)."""

    def start(self) -> None:
        """Take over from automatic collection: what exists now lives as long as the
        app, so it is frozen out of the collector's sight first."""
        gc.freeze()
        gc.disable()

    def touched(self) -> None:
        """Input arrived: collect what it allocates once its frame is painted."""
        self._last_input = self._clock()
        self._full_due = True
        if not self._young_scheduled:
            self._young_scheduled = True
            self._after_frame(self._collect_young)

    def _collect_young(self) -> None:
        self._young_scheduled = False
        self._collect(1)

    def tick(self) -> int | None:
        """Collect if it is time to; returns the generation collected, if any."""
        if gc.isenabled():
            gc.disable()  # somebody switched it on (see the module)
        if self._full_due and self._clock() - self._last_input >= FULL_QUIET_S:
            self._full_due = False
            return self._collect(2)
        if gc.get_count()[0] >= BACKLOG:
            return self._collect(1)
        return None

    def _collect(self, generation: int) -> int:
        gc.collect(generation)
        self.collections[generation] += 1
        return generation
