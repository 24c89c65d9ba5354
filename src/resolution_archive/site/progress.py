"""Build progress on a terminal: one tqdm bar per stage on stderr, nothing when piped.

tqdm (rather than hand-written carriage returns) because it already knows when stderr is not a
terminal (`disable=None`), sizes itself to the window and rate-limits its redraws.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from tqdm import tqdm


class TerminalProgress:
    """A `build.Progress` that draws bars only when `stream` is a terminal."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.bar: Any = None

    def stage(self, name: str, total: int) -> None:
        self.close()
        self.bar = tqdm(total=total, desc=f"{name:<10}", unit="", file=self.stream,
                        disable=None, leave=False, dynamic_ncols=True)

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
