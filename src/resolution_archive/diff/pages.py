"""Giving back the resident pages of a read-only memory-mapped file (Linux), for Sudachi.

SudachiPy memory-maps its ~200 MB dictionary and, while loading it, reads the whole ~72 MiB
connection matrix once. Those pages then count as this process's memory although only a few
of them are used again: an `archive diff` of two years peaked at ~160 MiB, ~70 MiB of it that
one read. `release_file_pages` asks the kernel to drop the process's mapping of those pages
(madvise MADV_DONTNEED). The mapping stays valid — the bytes are the file's, unchanged, still in
the page cache — and a page that is touched again is mapped again, so every result is the same;
only the resident size is smaller. Write-able mappings are never touched (dropping those could
lose data), and on other systems this does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

MADV_DONTNEED = 4  # <sys/mman.h> on Linux
PROC_MAPS = Path("/proc/self/maps")


def read_only_mappings(path: Path, maps: str) -> list[tuple[int, int]]:
    """(start, end) of every mapping of `path` without write permission in a /proc maps text."""
    found: list[tuple[int, int]] = []
    target = str(path)
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5] == target and "w" not in fields[1]:
            start, _, end = fields[0].partition("-")
            found.append((int(start, 16), int(end, 16)))
    return found


def release_file_pages(path: Path) -> int:
    """Drop this process's resident pages of the read-only mappings of `path`; returns how many
    bytes of mappings were released (0 where the system has no /proc maps or madvise)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        mappings = read_only_mappings(path.resolve(), PROC_MAPS.read_text())
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return 0
    madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    madvise.restype = ctypes.c_int
    released = 0
    for start, end in mappings:
        if madvise(start, end - start, MADV_DONTNEED) == 0:
            released += end - start
    return released
