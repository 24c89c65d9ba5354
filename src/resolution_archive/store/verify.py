"""Checking the archive against its own sources: bit rot, tampering, and parser drift.

Every revision keeps the exact bytes it was parsed from, so its rows can be recomputed. A source
whose bytes no longer hash to its recorded sha256 has been damaged or altered; a revision whose
stored demands, paragraphs, preamble or date differ from what today's parser makes of the same
bytes was either edited in the database or parsed by an older parser — either way, a diff built
on it would silently disagree with a fresh import, so it is reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from resolution_archive import DEFAULT_SERIES
from resolution_archive.errors import ArchiveError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from resolution_archive.store.models import Revision
    from resolution_archive.store.threads import DecisionRecord

PROBLEM_KINDS = ("sha256", "size", "parse", "date", "preamble", "demands", "paragraphs",
                 "content_hash", "decision")
_EXCERPT = 30


@dataclass(frozen=True)
class Problem:
    """One disagreement, located by natural key so the user can `archive show` it."""

    kind: str
    series: str
    year: int | None
    revision: int | None
    sha256: str
    message: str

    @property
    def where(self) -> str:
        if self.year is None:
            ref = "(no revision)"
        else:
            ref = f"{self.year}" if self.revision is None else f"{self.year}@{self.revision}"
        return ref if self.series == DEFAULT_SERIES else f"{self.series} {ref}"

    def line(self) -> str:
        return f"{self.where}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class VerifyReport:
    sources: int
    revisions: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        found = ("no problems" if self.ok else
                 f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}")
        return (f"verified {self.sources} source{'s' if self.sources != 1 else ''} and "
                f"{self.revisions} revision{'s' if self.revisions != 1 else ''}: {found}")

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "sources": self.sources, "revisions": self.revisions,
                "problems": [asdict(p) for p in self.problems]}


def _excerpt(text: str) -> str:
    return f"「{text[:_EXCERPT]}…」" if len(text) > _EXCERPT else f"「{text}」"


def _compare_lists(noun: str, stored: Sequence[tuple[str, str]],
                   parsed: Sequence[tuple[str, str]]) -> str | None:
    """A one-line description of the first difference between two (text, comparison) lists."""
    if len(stored) != len(parsed):
        return f"{len(stored)} {noun}s stored, the parser now finds {len(parsed)}"
    differing = [i for i, (a, b) in enumerate(zip(stored, parsed, strict=True)) if a != b]
    if not differing:
        return None
    first = differing[0]
    (s_text, s_cmp), (p_text, p_cmp) = stored[first], parsed[first]
    if s_text == p_text:
        detail = f"same text, comparison form stored {_excerpt(s_cmp)}, now {_excerpt(p_cmp)}"
    else:
        detail = f"stored {_excerpt(s_text)}, parser now {_excerpt(p_text)}"
    more = f" (and {len(differing) - 1} more)" if len(differing) > 1 else ""
    return f"{noun} {first + 1} differs: {detail}{more}"


def _check_revision(revision: Revision) -> list[tuple[str, str]]:
    """(kind, message) for each way the revision's rows disagree with a fresh parse."""
    from resolution_archive.importer import prepare
    from resolution_archive.text.normalize import comparison_form

    source = revision.source
    try:
        prepared = prepare(bytes(source.content), source.filename, year=revision.edition.year,
                           status=source.status, provenance=source.provenance)
    except ArchiveError as error:
        return [("parse", f"the parser now rejects the source: {error}")]
    doc = prepared.document
    found: list[tuple[str, str]] = []
    if revision.date != doc.date:
        found.append(("date", f"stored {revision.date or 'none'}, parser now "
                              f"{doc.date or 'none'}"))
    resolution = revision.document("resolution")
    declaration = revision.document("declaration")
    preamble = resolution.preamble if resolution else ""
    if preamble != doc.preamble:
        found.append(("preamble", f"stored {_excerpt(preamble)}, parser now "
                                  f"{_excerpt(doc.preamble)}"))
    stored_demands = [(i.text, i.comparison) for i in resolution.items] if resolution else []
    message = _compare_lists("demand", stored_demands,
                             [(d.text, d.comparison) for d in doc.demands])
    if message:
        found.append(("demands", message))
    stored_paragraphs = ([(i.text, i.comparison) for i in declaration.items]
                         if declaration else [])
    message = _compare_lists("paragraph", stored_paragraphs,
                             [(p, comparison_form(p)) for p in doc.declaration])
    if message:
        found.append(("paragraphs", message))
    if not found and revision.content_hash != prepared.content_hash:
        found.append(("content_hash", "the stored content hash differs from the one computed "
                                      "now (normalisation changed?); re-imports of this text "
                                      "will not be recognised as unchanged"))
    return found


def _stale_problem(decision: DecisionRecord) -> Problem:
    """A decision whose demands' wording is gone (a revision changed it): needs review."""
    what = f"link as {decision.kind}" if decision.action == "link" else "unlink"
    old, new = (f"{decision.old_year}:{decision.old_number}",
                f"{decision.new_year}:{decision.new_number}")
    return Problem(
        "decision", decision.series, decision.new_year, None, "",
        f"decision {decision.id} ({what} {old} → {new} by {decision.decided_by}) needs review: "
        f"the wording it was made on is no longer in the archive (a revision changed "
        f"{old} or {new}); it is not applied — check `archive history {new}` and record it "
        "again with `archive link` or `archive unlink`")


def verify_archive(engine: Engine) -> VerifyReport:
    """Re-hash every source and re-parse every revision; read-only."""
    from sqlalchemy import select

    from resolution_archive.store.db import session_scope
    from resolution_archive.store.models import Source
    from resolution_archive.store.repository import all_revisions
    from resolution_archive.store.threads import stale_decisions

    problems: list[Problem] = []
    with session_scope(engine, read_only=True) as session:
        sources = list(session.scalars(select(Source).order_by(Source.sha256)))
        damaged: dict[int, tuple[str, str]] = {}  # source id → (kind, message)
        for source in sources:
            actual = hashlib.sha256(bytes(source.content)).hexdigest()
            if actual != source.sha256:
                damaged[source.id] = ("sha256", f"source {source.filename}: its bytes hash to "
                                      f"{actual[:12]}…, not the recorded {source.sha256[:12]}…")
            elif len(source.content) != source.size:
                damaged[source.id] = ("size", f"source {source.filename}: "
                                      f"{len(source.content)} bytes, recorded size {source.size}")
        revisions = all_revisions(session)
        used = {r.source_id for r in revisions}
        for source in sources:
            if source.id in damaged and source.id not in used:
                kind, message = damaged[source.id]
                problems.append(Problem(kind, DEFAULT_SERIES, None, None, source.sha256,
                                        message))
        for revision in revisions:
            series, year, number = (revision.edition.series.slug, revision.edition.year,
                                    revision.number)
            sha = revision.source.sha256
            if revision.source_id in damaged:
                kind, message = damaged[revision.source_id]
                problems.append(Problem(kind, series, year, number, sha, message))
                continue  # re-parsing damaged bytes would only add noise
            problems += [Problem(kind, series, year, number, sha, message)
                         for kind, message in _check_revision(revision)]
        problems += [_stale_problem(d) for d in stale_decisions(session)]
    return VerifyReport(sources=len(sources), revisions=len(revisions),
                        problems=tuple(problems))
