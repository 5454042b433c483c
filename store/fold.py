"""The background fold: the thread that copies the journal into the article files in
the pauses between decisions.

A person pauses between decisions, so the article rewrites happen in the pauses instead
of inside a keystroke (the store's ``JOURNAL_LIMIT`` covers one who never pauses).  The
thread holds the store's lock while it works and waits on a condition of that lock, so
a decision is only ever delayed by one step -- one article file rewritten.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class FoldThread:
    """Runs fold steps in a daemon thread, in the pauses.  Every callable is called
    with the store's lock held: ``closed`` (the thread ends), ``pending`` (anything to
    fold or make?), ``wait`` (seconds until the user has paused long enough; ``<= 0``:
    now) and ``step`` (one step of the work; never raises)."""

    def __init__(
        self,
        wake: threading.Condition,
        name: str,
        *,
        closed: Callable[[], bool],
        pending: Callable[[], bool],
        wait: Callable[[], float],
        step: Callable[[], None],
    ) -> None:
        self._wake = wake
        self._closed, self._pending, self._wait, self._step = closed, pending, wait, step
        self.asleep = False
        """True while the thread waits for work (a decision then wakes it)."""
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self.thread.start()

    def wake(self) -> None:
        """Tell a sleeping thread there is work (call with the store's lock held); a
        thread that is not asleep will see it anyway, so no notify per keystroke."""
        if self.asleep:
            self._wake.notify()

    def join(self) -> None:
        """Wait for the thread to end once the store is closed (never with the store's
        lock held: the thread needs it to notice)."""
        if self.thread is not threading.current_thread():
            self.thread.join()

    def _run(self) -> None:
        with self._wake:
            while not self._closed():
                if not self._pending():
                    self.asleep = True
                    self._wake.wait()
                    self.asleep = False
                    continue
                wait = self._wait()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                self._step()
                self._wake.wait(0.001)  # let a waiting decision in between two articles
