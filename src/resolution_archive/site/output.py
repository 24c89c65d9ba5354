"""Writing the site into OUTDIR: only files whose bytes changed, and never anything else's.

A rebuild after one new import should touch a handful of files, so each file is compared with
what is on disk before it is written (a web server's or rsync's timestamps then stay put for
everything else). A manifest of what the last build wrote lets a rebuild delete pages that no
longer exist and lets the builder refuse a folder it did not make, so `archive site ~` cannot
mix pages into (or delete from) someone's home folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from resolution_archive.errors import OutputError

MANIFEST = ".archive-site.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class WriteStats:
    """What a build did to OUTDIR: files written (new or changed), left alone, and removed."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.written) + self.unchanged


def _check_relative(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or name != path.as_posix():
        raise ValueError(f"site file names must be plain relative paths, not {name!r}")


def read_manifest(outdir: Path) -> dict[str, str] | None:
    """The files (name → sha256) the previous build wrote, or None if OUTDIR has no manifest."""
    path = outdir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise TypeError
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutputError(f"{path} is damaged ({exc.__class__.__name__}); delete the folder "
                          f"{outdir} and build again") from exc
    return {str(k): str(v) for k, v in files.items()}


def prepare(outdir: Path) -> dict[str, str]:
    """Check OUTDIR can take the site; the previous build's manifest (empty for a new folder)."""
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir} is a file, not a folder; give a new or empty folder for "
                          "the site")
    if not outdir.exists():
        return {}
    previous = read_manifest(outdir)
    if previous is not None:
        return previous
    try:
        empty = next(outdir.iterdir(), None) is None
    except OSError as exc:
        raise OutputError(f"cannot read the folder {outdir}: {exc.strerror}; check its "
                          "permissions") from exc
    if not empty:
        raise OutputError(f"{outdir} is not empty and holds no site built by `archive site`; "
                          "give a new or empty folder (nothing was written)")
    return {}


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def write_site(
    outdir: Path,
    files: Mapping[str, bytes],
    *,
    advance: Callable[[int], None] | None = None,
) -> WriteStats:
    """Make OUTDIR hold exactly `files` (plus the manifest), rewriting only what differs."""
    for name in files:
        _check_relative(name)
        if name == MANIFEST:
            raise ValueError(f"{MANIFEST} is the builder's own file")
    previous = prepare(outdir)
    written: list[str] = []
    unchanged = 0
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            data = files[name]
            path = outdir / name
            if _same(path, data):
                unchanged += 1
            else:
                _write(path, data)
                written.append(name)
            if advance is not None:
                advance(1)
        removed = sorted(set(previous) - set(files))
        for name in removed:
            _check_relative(name)
            (outdir / name).unlink(missing_ok=True)
            _prune(outdir, (outdir / name).parent)
        manifest = {
            "format": MANIFEST_FORMAT,
            "note": "files written by `archive site`; a rebuild deletes those no longer made",
            "files": {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)},
        }
        _write(outdir / MANIFEST,
               (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    except OSError as exc:
        where = exc.filename or outdir
        raise OutputError(f"cannot write {where}: {exc.strerror}; check the folder's "
                          "permissions and free space, then build again") from exc
    return WriteStats(tuple(written), unchanged, tuple(removed))


def _prune(outdir: Path, folder: Path) -> None:
    """Remove folders a deleted page leaves empty, up to (not including) OUTDIR."""
    while folder != outdir and outdir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
