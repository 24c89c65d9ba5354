"""What the site shows, gathered before anything is rendered, and where each page lives.

URLs are part of the product: people cite them. A year is `/2024/`, a pair of consecutive
archived years `/2023-2024/`, a demand's thread `/thread/2022-7/` (named after its first
version, demand 7 of 2022, as `archive history` names it), so adding a new year only adds pages
and never moves one.
Every link inside the site is relative and names `index.html` explicitly, so the same files
work on any web host, in a sub-folder, and opened from disk (file://), where a bare folder
link would show a directory listing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from resolution_archive.lineage import Decision, ThreadSet
from resolution_archive.report.context import Report
from resolution_archive.store.publication import PublishedYear
from resolution_archive.store.threads import DecisionRecord

INDEX = "index.html"


@dataclass(frozen=True)
class SiteDecision:
    """A reviewer's decision in force: as recorded (who, when, note) and where its two demands
    are now (`resolved`), which is what places it on thread pages."""

    record: DecisionRecord
    resolved: Decision


@dataclass(frozen=True)
class SiteData:
    """Everything one build renders: the series, its years (oldest first), the pairs of
    consecutive years, the demands' threads and the reviewers' decisions."""

    series: str
    series_name: str
    years: tuple[PublishedYear, ...]
    pairs: tuple[Report, ...]
    threads: ThreadSet
    decisions: tuple[SiteDecision, ...]
    tool_version: str
    concepts_note: str | None = None
    """「独自の政策名：…」 when the build used an office's own policy names (`--concepts`)."""


def year_dir(year: int) -> str:
    return f"{year}"


def pair_dir(old: int, new: int) -> str:
    return f"{old}-{new}"


def page(directory: str) -> str:
    """The file behind a page's folder URL: `2024` → `2024/index.html`."""
    return f"{directory}/{INDEX}" if directory else INDEX


def year_page(year: int) -> str:
    return page(year_dir(year))


def pair_page(old: int, new: int) -> str:
    return page(pair_dir(old, new))


_THREAD_ID = re.compile(r"^(\d{4}):(\d+)$")


def thread_dir(thread_id: str) -> str:
    """`2022:7` → `thread/2022-7` (a colon is not safe in file names on every system)."""
    match = _THREAD_ID.match(thread_id)
    if match is None:
        raise ValueError(f"not a demand thread id: {thread_id!r}")
    return f"thread/{match.group(1)}-{match.group(2)}"


def thread_page(thread_id: str) -> str:
    return page(thread_dir(thread_id))


def root_of(path: str) -> str:
    """The relative prefix that leads from a page back to the site's root (`../` per level)."""
    return "../" * (len(PurePosixPath(path).parts) - 1)


_UNSAFE = re.compile(r"[^\w.\-]")


def source_name(filename: str) -> str:
    """A download name from the imported file's name: its last part, characters a file system
    or URL would trip on replaced, so a stored name can never point outside the site."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", name).lstrip(".")
    return cleaned or "source.txt"


def source_file(year: int, revision: int, filename: str) -> str:
    """Where a revision's original bytes are published: `2024/source/r1/2024.txt`."""
    return f"{year_dir(year)}/source/r{revision}/{source_name(filename)}"


def href(from_path: str, to_path: str) -> str:
    """A relative, percent-encoded link from one site file to another."""
    return quote(root_of(from_path) + to_path, safe="/#.-_~")
