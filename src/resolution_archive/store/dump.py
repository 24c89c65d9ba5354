"""The archive as one JSON Lines file, and back: a backup and a way to move between engines.

The format (docs/dump-format.md) names everything by natural key — series slug, year, revision
number, source sha256 — and never by database id, so a dump taken from SQLite restores into
PostgreSQL and vice versa. Output is deterministic (fixed record order, fixed key order, UTC
timestamps with microseconds), so dump → restore → dump gives the same bytes: that is what
makes "nothing was lost" checkable with `cmp`.

Restore reads and checks the whole file before it touches the database (header, every record,
every source's sha256, the trailer's hash over all preceding lines), then writes everything in
one transaction, into an empty archive only: merging two archives is a different problem
(conflicting revisions of the same year) that a backup format should not quietly solve.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from resolution_archive import __version__
from resolution_archive.errors import Conflict, InputError, StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

FORMAT = "resolution-archive-dump"
VERSION = 2
READABLE_VERSIONS = (1, 2)
# version 2 adds reviewers' decisions after the revisions; a dump without decisions is written
# as version 1, byte for byte what earlier tools wrote, so they can still restore it
RECORD_TYPES = ("series", "source", "edition", "revision", "decision")
V1_RECORD_TYPES = RECORD_TYPES[:4]
DECISION_ACTIONS = ("link", "unlink")
DECISION_KINDS = (None, "reworded", "merged", "split", "unchanged")
TRAILER = "trailer"
_TIMESTAMP = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True)
class DumpSummary:
    """What was written or read: record counts per type and the database schema revision."""

    counts: dict[str, int]
    schema: str
    documents: int = 0
    items: int = 0

    def describe(self) -> str:
        c = self.counts
        decisions = f", {c['decision']} decisions" if c.get("decision") else ""
        return (
            f"{c.get('series', 0)} series, {c.get('source', 0)} sources, "
            f"{c.get('edition', 0)} years, {c.get('revision', 0)} revisions{decisions}"
        )


# --- encoding ------------------------------------------------------------------------------


def _line(record: dict[str, Any]) -> bytes:
    """One record as a line: compact, UTF-8, key order as built (so the bytes are stable)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def format_timestamp(value: dt.datetime) -> str:
    """UTC ISO 8601 with microseconds. SQLite hands back naive values; they were stored as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime(_TIMESTAMP)


def _records(session: Session) -> Iterator[dict[str, Any]]:
    """Every record of the archive, in the documented order, without ids."""
    from sqlalchemy import select

    from resolution_archive.store.models import Edition, Series, Source
    from resolution_archive.store.repository import all_revisions
    from resolution_archive.store.threads import decisions as store_decisions

    for series in session.scalars(select(Series).order_by(Series.slug)):
        yield {"type": "series", "slug": series.slug, "name": series.name}
    for source in session.scalars(select(Source).order_by(Source.sha256)):
        content = bytes(source.content)
        if hashlib.sha256(content).hexdigest() != source.sha256:
            raise StoreError(
                f"source {source.sha256[:12]}… ({source.filename}): the stored bytes no longer "
                "match their sha256; run `archive verify` — a dump of it could not be restored"
            )
        yield {
            "type": "source",
            "sha256": source.sha256,
            "filename": source.filename,
            "encoding": source.encoding,
            "size": source.size,
            "status": source.status,
            "provenance": source.provenance,
            "imported_at": format_timestamp(source.imported_at),
            "content": base64.b64encode(content).decode("ascii"),
        }
    editions = session.execute(
        select(Series.slug, Edition.year).join(Edition.series).order_by(Series.slug, Edition.year)
    )
    for slug, year in editions:
        yield {"type": "edition", "series": slug, "year": year}
    for revision in all_revisions(session):
        documents = sorted(revision.documents, key=lambda d: d.kind)
        yield {
            "type": "revision",
            "series": revision.edition.series.slug,
            "year": revision.edition.year,
            "number": revision.number,
            "source": revision.source.sha256,
            "date": revision.date.isoformat() if revision.date else None,
            "title": revision.title,
            "content_hash": revision.content_hash,
            "created_at": format_timestamp(revision.created_at),
            "documents": [
                {
                    "kind": document.kind,
                    "preamble": document.preamble,
                    "items": [
                        {"position": i.position, "text": i.text, "comparison": i.comparison}
                        for i in sorted(document.items, key=lambda i: i.position)
                    ],
                }
                for document in documents
            ],
        }
    for decision in store_decisions(session):
        yield {
            "type": "decision",
            "series": decision.series,
            "old_year": decision.old_year,
            "old_number": decision.old_number,
            "old_text": decision.old_text,
            "new_year": decision.new_year,
            "new_number": decision.new_number,
            "new_text": decision.new_text,
            "action": decision.action,
            "kind": decision.kind,
            "note": decision.note,
            "decided_by": decision.decided_by,
            "decided_at": format_timestamp(decision.decided_at),
        }


def _counts(session: Session) -> dict[str, int]:
    from sqlalchemy import func, select

    from resolution_archive.store.models import Decision, Edition, Revision, Series, Source

    tables = {"series": Series, "source": Source, "edition": Edition, "revision": Revision,
              "decision": Decision}
    return {name: session.scalar(select(func.count()).select_from(t)) or 0
            for name, t in tables.items()}


def write_dump(engine: Engine, out: IO[bytes]) -> DumpSummary:
    """Write the whole archive to `out` from one consistent read of the database."""
    from resolution_archive.store.db import current_revision, session_scope

    schema = current_revision(engine) or ""
    with session_scope(engine, read_only=True) as session:
        if engine.dialect.name == "postgresql":
            # several queries must see one state of the archive, not interleaved imports
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        counts = _counts(session)
        version = VERSION
        if not counts["decision"]:
            version = 1
            del counts["decision"]
        header = {"format": FORMAT, "version": version, "schema": schema, "tool": __version__,
                  "counts": counts}
        digest = hashlib.sha256()
        written = 0
        for record in (header, *_records(session)):
            line = _line(record)
            digest.update(line)
            out.write(line)
            written += 1
        out.write(_line({"type": TRAILER, "lines": written, "sha256": digest.hexdigest()}))
    out.flush()
    return DumpSummary(counts=counts, schema=schema)


def dump_to_path(engine: Engine, path: Path) -> DumpSummary:
    """Write the dump beside `path` and rename it into place, so a failure leaves no half file."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=directory)
    except OSError as exc:
        raise InputError(f"{path}: cannot write there ({exc.strerror})") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            summary = write_dump(engine, out)
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the dump ({exc.strerror})") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return summary


# --- decoding and checking -----------------------------------------------------------------


@dataclass
class _Parsed:
    """A dump read and checked in full, ready to insert; nothing here touches the database."""

    schema: str
    series: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    editions: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _opt_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _list(value: Any) -> bool:
    return isinstance(value, list)


_FIELDS: dict[str, dict[str, Callable[[Any], bool]]] = {
    "series": {"type": _str, "slug": _str, "name": _str},
    "source": {"type": _str, "sha256": _str, "filename": _str, "encoding": _str, "size": _is_int,
               "status": _str, "provenance": _opt_str, "imported_at": _str, "content": _str},
    "edition": {"type": _str, "series": _str, "year": _is_int},
    "revision": {"type": _str, "series": _str, "year": _is_int, "number": _is_int,
                 "source": _str, "date": _opt_str, "title": _opt_str, "content_hash": _str,
                 "created_at": _str, "documents": _list},
    "document": {"kind": _str, "preamble": _str, "items": _list},
    "item": {"position": _is_int, "text": _str, "comparison": _str},
    "decision": {"type": _str, "series": _str, "old_year": _is_int, "old_number": _is_int,
                 "old_text": _str, "new_year": _is_int, "new_number": _is_int,
                 "new_text": _str, "action": _str, "kind": _opt_str, "note": _opt_str,
                 "decided_by": _str, "decided_at": _str},
}


def _check_fields(record: Any, kind: str, where: str) -> dict[str, Any]:
    """Exactly the fields version 1 defines, each of the right JSON type."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object for a {kind}")
    expected = _FIELDS[kind]
    missing = [k for k in expected if k not in record]
    extra = [k for k in record if k not in expected]
    if missing or extra:
        detail = (f"missing {', '.join(missing)}" if missing else
                  f"unknown field {', '.join(extra)}")
        raise InputError(f"{where}: {kind} record has {detail}")
    for key, ok in expected.items():
        if not ok(record[key]):
            raise InputError(f"{where}: {kind} field {key!r} has the wrong type")
    return record


def parse_timestamp(text: str, where: str) -> dt.datetime:
    """An aware UTC datetime from ISO 8601; naive or malformed values are refused."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: {text!r} is not an ISO 8601 timestamp") from None
    if value.tzinfo is None:
        raise InputError(f"{where}: timestamp {text!r} has no time zone (write it in UTC, …Z)")
    return value.astimezone(dt.UTC)


def _parse_date(text: str | None, where: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: {text!r} is not an ISO date (YYYY-MM-DD)") from None


def _json(line: bytes, where: str) -> Any:
    try:
        return json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InputError(f"{where}: not a valid JSON line (the dump is corrupted)") from None


def _check_header(first: bytes, name: str) -> dict[str, Any]:
    """The header, or why this is not a dump this tool can read (decided before anything else,
    so a wrong file is called a wrong file rather than a damaged dump)."""
    try:
        header = json.loads(first.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        if first.startswith(b'{"format":"' + FORMAT.encode()):
            raise InputError(f"{name} line 1: the dump header is damaged or cut off; "
                             "use a complete copy") from None
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InputError(f"{name}: not a resolution-archive dump (its first line has no "
                         f'"format": "{FORMAT}")')
    version = header.get("version")
    if version not in READABLE_VERSIONS or not _is_int(version):
        raise InputError(
            f"{name}: dump format version {version!r} is not one this tool reads "
            f"({', '.join(map(str, READABLE_VERSIONS))}); "
            "restore it with the resolution-archive version that wrote it, or a newer one"
        )
    counts = header.get("counts")
    types = V1_RECORD_TYPES if version == 1 else RECORD_TYPES
    if (set(header) != {"format", "version", "schema", "tool", "counts"}
            or not isinstance(header["schema"], str) or not isinstance(header["tool"], str)
            or not isinstance(counts, dict) or set(counts) != set(types)
            or not all(_is_int(v) for v in counts.values())):
        raise InputError(f"{name} line 1: malformed dump header")
    return header


def parse_dump(data: bytes, name: str = "dump") -> _Parsed:
    """Check a dump completely (structure, hashes, references) and return its records."""
    if not data:
        raise InputError(f"{name}: the file is empty, not a dump")
    header = _check_header(data.split(b"\n", 1)[0], name)
    if not data.endswith(b"\n"):
        raise InputError(f"{name}: the dump is truncated (it does not end with its trailer "
                         "line); use a complete copy")
    lines = data[:-1].split(b"\n")
    if len(lines) < 2:
        raise InputError(f"{name}: the dump is truncated (no trailer line); use a complete copy")
    trailer = _json(lines[-1], f"{name} line {len(lines)}")
    if not isinstance(trailer, dict) or trailer.get("type") != TRAILER:
        raise InputError(f"{name}: the dump is truncated (its last line is not the trailer); "
                         "use a complete copy")
    if (set(trailer) != {"type", "lines", "sha256"} or not _is_int(trailer["lines"])
            or not isinstance(trailer["sha256"], str)):
        raise InputError(f"{name} line {len(lines)}: malformed trailer")
    body = lines[:-1]
    if trailer["lines"] != len(body):
        raise InputError(f"{name}: the trailer counts {trailer['lines']} lines but "
                         f"{len(body)} precede it; the dump is damaged")
    digest = hashlib.sha256(b"".join(line + b"\n" for line in body)).hexdigest()
    if digest != trailer["sha256"]:
        raise InputError(f"{name}: the sha256 in the trailer does not match the lines before "
                         "it; the dump was altered or damaged")

    parsed = _Parsed(schema=header["schema"])
    seen_series: set[str] = set()
    seen_sources: set[str] = set()
    seen_editions: set[tuple[str, int]] = set()
    seen_revisions: set[tuple[str, int, int]] = set()
    types = V1_RECORD_TYPES if header["version"] == 1 else RECORD_TYPES
    order = {kind: i for i, kind in enumerate(types)}
    last = 0
    for number, line in enumerate(body[1:], start=2):
        where = f"{name} line {number}"
        record = _json(line, where)
        kind = record.get("type") if isinstance(record, dict) else None
        if not isinstance(kind, str) or kind not in order:
            raise InputError(f"{where}: unknown record type {kind!r}")
        if order[kind] < last:
            raise InputError(f"{where}: {kind} record after {RECORD_TYPES[last]} records; "
                             f"records must come in the order {', '.join(types)}")
        last = order[kind]
        _check_fields(record, kind, where)
        if kind == "series":
            if record["slug"] in seen_series:
                raise InputError(f"{where}: series {record['slug']!r} appears twice")
            seen_series.add(record["slug"])
            parsed.series.append(record)
        elif kind == "source":
            parsed.sources.append(_check_source(record, where, seen_sources))
        elif kind == "edition":
            key = (record["series"], record["year"])
            if record["series"] not in seen_series:
                raise InputError(f"{where}: edition of unknown series {record['series']!r}")
            if key in seen_editions:
                raise InputError(f"{where}: year {record['year']} appears twice")
            seen_editions.add(key)
            parsed.editions.append(record)
        elif kind == "decision":
            parsed.decisions.append(_check_decision(record, where, seen_series))
        else:
            rkey = (record["series"], record["year"], record["number"])
            if rkey[:2] not in seen_editions:
                raise InputError(f"{where}: revision of a year with no edition record "
                                 f"({record['series']} {record['year']})")
            if record["source"] not in seen_sources:
                raise InputError(f"{where}: revision refers to source {record['source'][:12]}… "
                                 "which is not in the dump")
            if rkey in seen_revisions:
                raise InputError(f"{where}: revision {record['year']}@{record['number']} "
                                 "appears twice")
            seen_revisions.add(rkey)
            parsed.revisions.append(_check_revision(record, where))
    actual = {"series": len(parsed.series), "source": len(parsed.sources),
              "edition": len(parsed.editions), "revision": len(parsed.revisions)}
    if header["version"] != 1:
        actual["decision"] = len(parsed.decisions)
    if actual != header["counts"]:
        raise InputError(f"{name}: the header announces {header['counts']} but the dump holds "
                         f"{actual}; the dump is damaged")
    return parsed


def _check_source(record: dict[str, Any], where: str, seen: set[str]) -> dict[str, Any]:
    try:
        content = base64.b64decode(record["content"], validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{where}: source content is not valid base64") from None
    sha = record["sha256"]
    if hashlib.sha256(content).hexdigest() != sha:
        raise InputError(f"{where}: source {record['filename']}: its bytes do not match its "
                         f"sha256 {sha[:12]}…; the dump was altered or damaged")
    if len(content) != record["size"]:
        raise InputError(f"{where}: source {record['filename']}: size {record['size']} but "
                         f"{len(content)} bytes")
    if sha in seen:
        raise InputError(f"{where}: source {sha[:12]}… appears twice")
    seen.add(sha)
    return {**record, "content": content,
            "imported_at": parse_timestamp(record["imported_at"], where)}


def _check_decision(record: dict[str, Any], where: str, series: set[str]) -> dict[str, Any]:
    if record["series"] not in series:
        raise InputError(f"{where}: decision of unknown series {record['series']!r}")
    if record["action"] not in DECISION_ACTIONS:
        raise InputError(f"{where}: decision action {record['action']!r} is not link or unlink")
    if record["kind"] not in DECISION_KINDS:
        raise InputError(f"{where}: decision kind {record['kind']!r} is not one of "
                         "reworded, merged, split, unchanged")
    return {**record, "decided_at": parse_timestamp(record["decided_at"], where)}


def _check_revision(record: dict[str, Any], where: str) -> dict[str, Any]:
    documents = [_check_fields(d, "document", where) for d in record["documents"]]
    kinds = [d["kind"] for d in documents]
    if len(set(kinds)) != len(kinds):
        raise InputError(f"{where}: a document kind appears twice in one revision")
    for document in documents:
        for item in document["items"]:
            _check_fields(item, "item", where)
        positions = [i["position"] for i in document["items"]]
        if len(set(positions)) != len(positions):
            raise InputError(f"{where}: two items share a position in the {document['kind']}")
    return {**record, "date": _parse_date(record["date"], where),
            "created_at": parse_timestamp(record["created_at"], where)}


# --- restoring -----------------------------------------------------------------------------


def _require_empty(session: Session, engine: Engine) -> None:
    from sqlalchemy import func, select, text

    from resolution_archive.store.db import redact
    from resolution_archive.store.models import Base

    if engine.dialect.name == "postgresql":
        # a concurrent import or restore must wait until this one has committed or failed
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)
        session.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
    for table in Base.metadata.sorted_tables:
        if session.scalar(select(func.count()).select_from(table)):
            raise Conflict(
                f"{redact(str(engine.url))} is not empty (it has rows in {table.name}); restore "
                "goes into an empty archive only — give a new --db"
            )


def restore_dump(engine: Engine, data: bytes, name: str = "dump") -> DumpSummary:
    """Check `data` fully, then load it into the (empty) archive in one transaction."""
    from resolution_archive.store.db import current_revision, session_scope
    from resolution_archive.store.models import Document, Edition, Item, Revision, Series, Source
    from resolution_archive.store.threads import DecisionRecord, insert_decision

    parsed = parse_dump(data, name)
    documents = items = 0
    with session_scope(engine) as session:
        _require_empty(session, engine)
        series = {r["slug"]: Series(slug=r["slug"], name=r["name"]) for r in parsed.series}
        sources = {
            r["sha256"]: Source(sha256=r["sha256"], filename=r["filename"],
                                encoding=r["encoding"], size=r["size"], content=r["content"],
                                status=r["status"], provenance=r["provenance"],
                                imported_at=r["imported_at"])
            for r in parsed.sources
        }
        editions = {(r["series"], r["year"]): Edition(series=series[r["series"]], year=r["year"])
                    for r in parsed.editions}
        session.add_all([*series.values(), *sources.values(), *editions.values()])
        for r in parsed.revisions:
            revision = Revision(
                edition=editions[(r["series"], r["year"])], number=r["number"],
                source=sources[r["source"]], date=r["date"], title=r["title"],
                content_hash=r["content_hash"], created_at=r["created_at"],
            )
            revision.documents = [
                Document(kind=d["kind"], preamble=d["preamble"], items=[
                    Item(position=i["position"], text=i["text"], comparison=i["comparison"])
                    for i in d["items"]
                ])
                for d in r["documents"]
            ]
            documents += len(revision.documents)
            items += sum(len(d["items"]) for d in r["documents"])
            session.add(revision)
        session.flush()
        for r in parsed.decisions:
            insert_decision(session, DecisionRecord(
                0, r["series"], r["old_year"], r["old_number"], r["old_text"], r["new_year"],
                r["new_number"], r["new_text"], r["action"], r["kind"], r["note"],
                r["decided_by"], r["decided_at"]))
        session.flush()
    counts = {"series": len(parsed.series), "source": len(parsed.sources),
              "edition": len(parsed.editions), "revision": len(parsed.revisions)}
    if parsed.decisions:
        counts["decision"] = len(parsed.decisions)
    return DumpSummary(counts=counts, schema=current_revision(engine) or parsed.schema,
                       documents=documents, items=items)


def read_dump_file(path: Path) -> bytes:
    """The dump's bytes, or InputError for a missing or unreadable path."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a dump") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
