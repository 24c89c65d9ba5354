"""diff/pages.py: handing back a mapped file's resident pages without changing what is read."""

from __future__ import annotations

import mmap
import subprocess
import sys
from pathlib import Path

import pytest

from resolution_archive.diff.pages import read_only_mappings, release_file_pages

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="madvise and /proc/self/maps are Linux matters")
PAGE = mmap.PAGESIZE


def test_read_only_mappings_parses_proc_maps() -> None:
    maps = "\n".join([
        "7f0000000000-7f0000400000 r--s 00000000 fe:00 42   /dic/system.dic",
        "7f0000400000-7f0000401000 r--p 00400000 fe:00 42   /dic/system.dic",
        "7f0000500000-7f0000501000 rw-p 00000000 fe:00 42   /dic/system.dic",
        "7f0000600000-7f0000601000 r--s 00000000 fe:00 43   /dic/system.dic.bak",
        "7f0000700000-7f0000701000 r--s 00000000 fe:00 44   /dic/with space/system.dic",
        "7f0000800000-7f0000801000 rw-p 00000000 00:00 0 ",
    ])
    assert read_only_mappings(Path("/dic/system.dic"), maps) == [
        (0x7F0000000000, 0x7F0000400000), (0x7F0000400000, 0x7F0000401000)]
    assert read_only_mappings(Path("/dic/with space/system.dic"), maps) == [
        (0x7F0000700000, 0x7F0000701000)]
    assert read_only_mappings(Path("/elsewhere"), maps) == []


def resident_kib(path: Path) -> int:
    """Resident KiB of this process's mappings of `path` (from /proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:
            inside = len(fields) >= 6 and line.split(maxsplit=5)[5] == str(path)
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total


@linux_only
def test_released_pages_read_the_same_and_leave_writable_mappings_alone(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    content = bytes(range(256)) * (64 * PAGE // 256)
    path.write_bytes(content)
    with path.open("rb") as reading, path.open("r+b") as writing:
        shared = mmap.mmap(reading.fileno(), 0, access=mmap.ACCESS_READ)
        private = mmap.mmap(writing.fileno(), 0, access=mmap.ACCESS_COPY)  # rw-p: copy on write
        try:
            assert shared[:] == content  # every page touched, so resident
            private[0] = 255  # a private, changed page: dropping it would lose the change
            before = resident_kib(path.resolve())
            released = release_file_pages(path)
            assert released == len(content)  # the read-only mapping only
            assert resident_kib(path.resolve()) <= before - len(content) // 1024 + 4 * PAGE // 1024
            assert shared[:] == content  # read again from the file: the same bytes
            assert private[0] == 255 and private[1:] == content[1:]
        finally:
            shared.close()
            private.close()
    assert release_file_pages(tmp_path / "not-mapped.bin") == 0


@linux_only
def test_tokenizer_loads_with_its_dictionary_pages_released() -> None:
    """In a fresh process: the dictionary's pages are given back after loading, and the
    tokenizer splits the bundled texts exactly as a second, untouched dictionary does."""
    code = (
        "from pathlib import Path\n"
        "from sudachipy import Dictionary, SplitMode\n"
        "from resolution_archive.diff.inline import SYSTEM_DICTIONARY, tokenizer\n"
        "from tests.test_diff_pages import resident_kib\n"
        "released = tokenizer()\n"
        "print(resident_kib(SYSTEM_DICTIONARY.resolve()))\n"
        "untouched = Dictionary(dict='core').tokenizer(SplitMode.B)\n"
        "texts = [line for name in ('data/official/2024.txt', 'data/examples/2023.txt')\n"
        "         for line in Path(name).read_text('utf-8').splitlines() if line.strip()]\n"
        "spans = lambda t, text: [(m.begin(), m.end()) for m in t.tokenize(text)]\n"
        "print(len(texts), all(spans(released, x) == spans(untouched, x) for x in texts))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1])
    resident, compared = done.stdout.splitlines()
    assert int(resident) < 8 * 1024  # KiB: the ~72 MiB read while loading was handed back
    count, same = compared.split()
    assert int(count) > 20 and same == "True"
