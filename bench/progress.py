"""A small progress bar on stderr, with no dependencies."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
REDRAW_SECONDS = 0.1


class Progress:
    """Count ``total`` steps under ``label``. Redraws in place on a terminal; elsewhere prints one line at the end."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None):
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.perf_counter()
        self._drawn_at = 0.0
        self._live = bool(getattr(self.stream, "isatty", lambda: False)())

    def __enter__(self) -> Progress:
        self._draw()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.finish()

    def advance(self, steps: int = 1) -> None:
        self.done = min(self.total, self.done + steps)
        now = time.perf_counter()
        if now - self._drawn_at >= REDRAW_SECONDS:
            self._drawn_at = now
            self._draw()

    def finish(self) -> None:
        self.done = self.total
        self.stream.write(("\r" if self._live else "") + self._line() + "\n")
        self.stream.flush()

    def _line(self) -> str:
        fraction = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * fraction)
        elapsed = time.perf_counter() - self.started
        return (
            f"{self.label:<14} [{'#' * filled}{'.' * (WIDTH - filled)}] {fraction:4.0%} "
            f"{self.done:>9,}/{self.total:<9,} {elapsed:6.1f} s"
        )

    def _draw(self) -> None:
        if self._live:
            self.stream.write("\r" + self._line())
            self.stream.flush()
