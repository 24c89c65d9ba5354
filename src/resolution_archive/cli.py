"""The `archive` command: parse arguments, call the core, render. No SQL, no diff logic here.

Heavy modules (SQLAlchemy, Alembic, Sudachi, Jinja2, python-docx) are imported inside the
commands that use them so `archive --help` starts fast. Every ArchiveError becomes a one-line
`Error: …` and exit code 1; wrong arguments are usage errors (exit 2).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from resolution_archive import DEFAULT_SERIES, __version__
from resolution_archive.cli_common import (
    Context,
    concepts_option,
    echo_json,
    parse_ref,
    pass_ctx,
    read_concepts,
    read_lexicon,
    series_option,
    user_errors,
)
from resolution_archive.errors import ArchiveError

if TYPE_CHECKING:
    from resolution_archive.diff.thresholds import Thresholds
    from resolution_archive.importer import Prepared
    from resolution_archive.report.context import Report
    from resolution_archive.store.records import EditionRecord

# `export --format` choices; the same as report.FORMATS (a test checks), spelled out so that
# building the CLI does not import the report package.
REPORT_FORMATS = ("html", "docx", "md", "csv", "json")

# Commands that live in their own modules: name → "module:attribute". Each is imported only
# when that command runs (or when --help lists the commands; the modules import only click).
LAZY_COMMANDS = {
    "dump": "resolution_archive.cli_maintenance:dump",
    "restore": "resolution_archive.cli_maintenance:restore",
    "verify": "resolution_archive.cli_maintenance:verify",
    "history": "resolution_archive.cli_history:history",
    "timeline": "resolution_archive.cli_history:timeline",
    "search": "resolution_archive.cli_history:search",
    "link": "resolution_archive.cli_history:link",
    "unlink": "resolution_archive.cli_history:unlink",
    "decisions": "resolution_archive.cli_history:decisions",
    "site": "resolution_archive.cli_site:site",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = LAZY_COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command



@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="resolution-archive")
@click.option(
    "--db",
    metavar="URL",
    help="Database URL (default: $ARCHIVE_DATABASE_URL, else an SQLite file under "
    "~/.local/share/resolution-archive/; see `archive db where`).",
)
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Archive of the 国保制度改善強化全国大会 resolutions (決議) and declarations (宣言).

    Import each year's text, then see year over year which demands (一、…) were added,
    reworded, merged, split, moved or dropped.
    """
    ctx.obj = Context(db)


# --- import / list / show ------------------------------------------------------------------


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", type=click.IntRange(1900, 2200), help="Year of the text, if it does not "
              "say (only with one file).")
@click.option("--revise", is_flag=True, help="Store changed content for an archived year as a "
              "new revision (the old one is kept).")
@click.option("--series", default=None, help="Which series (body) the text belongs to "
              f"(default: the conference the text names, else {DEFAULT_SERIES}).")
@click.option("--status", type=click.Choice(["official", "example", "unknown"]),
              help="Mark the text as official or example (default: from a <name>.provenance.json "
              "beside the file, else unknown).")
@click.option("--dry-run", is_flag=True, help="Show what would be stored (year, date, series, "
              "demands, declaration, text set aside, warnings) and write nothing.")
@pass_ctx
def import_(ctx: Context, paths: tuple[Path, ...], year: int | None, revise: bool,
            series: str | None, status: str | None, dry_run: bool) -> None:
    """Import resolutions: PDF handouts, Word (.docx), saved web pages (.html) or text files
    (UTF-8, UTF-16, Shift_JIS/CP932 or EUC-JP); a folder imports every such file in it.

    The format is read from the content. Each file is imported in its own transaction with one
    outcome line; a file that fails leaves the archive as it was. Exit code 1 if any failed.
    """
    from resolution_archive.importer import expand_paths, prepare_path, store_prepared

    if year is not None and (len(paths) > 1 or any(p.is_dir() for p in paths)):
        raise click.UsageError("--year applies to one file; import files of different years "
                               "one at a time or let the year come from each text")
    with user_errors():
        files = expand_paths(list(paths))
        engine = None if dry_run else ctx.writable_engine
    failures = 0
    with import_progress(len(files)) as advance:
        for path in files:
            try:
                prepared = prepare_path(path, year=year, status=status)
                chosen = series or prepared.series
                if engine is None:
                    advance(dry_run_text(prepared, chosen))
                    continue
                from resolution_archive.store.db import session_scope

                with session_scope(engine) as session:
                    outcome = store_prepared(session, prepared, series=chosen, revise=revise)
                advance(outcome.line())
            except ArchiveError as error:
                failures += 1
                message = str(error)
                if not message.startswith(str(path)) and not message.startswith(path.name):
                    message = f"{path}: {message}"
                advance(f"Error: {message}", err=True)
    if failures:
        sys.exit(1)


@contextmanager
def import_progress(total: int) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr for several files on a terminal (silent when piped); yields
    the function that prints a file's outcome line and advances the bar."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda line, err=False: click.echo(line, err=err)
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="file", file=sys.stderr, leave=False) as bar:
        def advance(line: str, err: bool = False) -> None:
            bar.write(line, file=sys.stderr if err else sys.stdout)
            bar.update()

        yield advance


def dry_run_text(prepared: Prepared, series: str) -> str:
    """What `import` would store for one file, for `--dry-run`."""
    doc = prepared.document
    date = doc.date.isoformat() if doc.date else "none"
    lines = [f"{prepared.filename}: would import {prepared.year} (date {date}, series {series}, "
             f"{prepared.format}, sha256 {prepared.sha256[:12]}…) — nothing written",
             f"  title: {doc.title or '-'}",
             f"  preamble: {doc.preamble or '-'}"]
    for demand in doc.demands:
        flag = "  [possibly cut off]" if demand.cut_off else ""
        lines.append(f"  {demand.number:>3}. 一、{demand.text}{flag}")
    for number, paragraph in enumerate(doc.declaration, start=1):
        lines.append(f"  宣言 {number}: {paragraph}")
    for text in prepared.set_aside:
        lines.append(f"  set aside: {text}")
    for warning in doc.warnings:
        lines.append(f"  warning: {warning}")
    return "\n".join(lines)


@main.command("list")
@click.option("--series", default=DEFAULT_SERIES, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_ctx
def list_(ctx: Context, series: str, fmt: str) -> None:
    """Years in the archive with date, demand count, revision and source hash."""
    from resolution_archive.store.read import list_editions

    with user_errors(), ctx.reading() as reader:
        rows = list_editions(reader, series)
    if fmt == "json":
        echo_json([{"year": r.year, "date": r.date.isoformat() if r.date else None,
                    "demands": r.demands, "revision": r.revision, "sha256": r.sha256,
                    "status": r.status, "filename": r.filename} for r in rows])
        return
    if not rows:
        click.echo("The archive is empty. Import a text with: archive import FILE")
        return
    click.echo(f"{'year':<6}{'date':<12}{'demands':>8}{'rev':>5}  {'sha256':<14}{'status':<10}file")
    for r in rows:
        date = r.date.isoformat() if r.date else "-"
        click.echo(f"{r.year:<6}{date:<12}{r.demands:>8}{r.revision:>5}  {r.sha256[:12]:<14}"
                   f"{r.status:<10}{r.filename}")


def show_json(record: EditionRecord) -> dict[str, Any]:
    """The public `show --format json` shape (issue #2); keys may be added, never removed."""
    return {
        "year": record.year,
        "date": record.date.isoformat() if record.date else None,
        "series": record.series_name,
        "series_id": record.series,
        "title": record.title,
        "revision": record.revision,
        "revisions": record.revisions,
        "status": record.source.status,
        "resolution": {
            "preamble": record.preamble,
            "items": [{"number": i, "text": t} for i, t in enumerate(record.demands, start=1)],
        },
        "declaration": {"paragraphs": list(record.paragraphs)},
        "source": {
            "sha256": record.source.sha256,
            "filename": record.source.filename,
            "encoding": record.source.encoding,
            "size": record.source.size,
            "status": record.source.status,
            "imported_at": record.source.imported_at.isoformat(),
        },
    }


def show_text(record: EditionRecord) -> str:
    date = record.date.isoformat() if record.date else "date unknown"
    lines = [f"{record.series_name} {record.year} ({date}) — revision {record.revision} of "
             f"{record.revisions}"]
    if record.source.status == "example":
        lines.append("※ EXAMPLE text written for demonstration — not an official text")
    lines.append(f"source: {record.source.filename}  sha256 {record.source.sha256}  "
                 f"({record.source.encoding})")
    lines += ["", "決議", record.preamble, ""]
    lines += [f"{i:>3}. 一、{text}" for i, text in enumerate(record.demands, start=1)]
    if record.paragraphs:
        lines += ["", "宣言"]
        lines += [f"　{p}" for p in record.paragraphs]
    return "\n".join(lines)


@main.command()
@click.argument("year")
@click.option("--series", default=DEFAULT_SERIES, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_ctx
def show(ctx: Context, year: str, series: str, fmt: str) -> None:
    """Show one year's resolution and declaration (YEAR, or YEAR@REVISION)."""
    from resolution_archive.store.read import load_edition

    ref = parse_ref(year, "YEAR")
    with user_errors(), ctx.reading() as reader:
        record = load_edition(reader, ref, series)
    if fmt == "json":
        echo_json(show_json(record))
    else:
        click.echo(show_text(record))


# --- database maintenance ------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database maintenance: where it is, schema upgrades."""


@db.command("where")
@pass_ctx
def db_where(ctx: Context) -> None:
    """Print the database URL in use (password hidden)."""
    from resolution_archive.store.db import redact, resolve_url

    click.echo(redact(resolve_url(ctx.db)))


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@pass_ctx
def db_upgrade(ctx: Context, revision: str) -> None:
    """Apply schema migrations (also done automatically on first use)."""
    from resolution_archive.store.db import open_archive
    from resolution_archive.store.migrate import upgrade

    with user_errors():
        before, after = upgrade(open_archive(ctx.db, migrate=False), revision)
    if before == after:
        click.echo(f"schema already at {after}")
    else:
        click.echo(f"schema upgraded from {before or 'empty'} to {after}")


@db.command("current")
@pass_ctx
def db_current(ctx: Context) -> None:
    """Print the schema revision of the database and the newest this tool knows."""
    from resolution_archive.store.db import current_revision, head_revision, open_archive

    with user_errors():
        current = current_revision(open_archive(ctx.db, migrate=False, create=False))
        head = head_revision()
    click.echo(f"database: {current or 'empty'}  code: {head}")


def use_color(flag: bool | None) -> bool:
    """--color/--no-color if given; else colour only on a terminal and without NO_COLOR."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


# --- diff / export -------------------------------------------------------------------------


def parse_thresholds(values: tuple[str, ...]) -> Thresholds | None:
    """`--threshold name=value` options → Thresholds, or a usage error naming what is wrong."""
    if not values:
        return None
    from resolution_archive.diff.thresholds import Thresholds

    overrides: dict[str, float] = {}
    for value in values:
        name, sep, number = value.partition("=")
        try:
            if not sep:
                raise ValueError
            overrides[name.strip()] = float(number)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not NAME=NUMBER (e.g. pair=0.3)",
                                     param_hint="--threshold") from None
    try:
        return Thresholds.from_overrides(overrides)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--threshold") from None


def comparison(ctx: Context, old: str, new: str, series: str,
               thresholds: tuple[str, ...], include_unchanged: bool = True,
               concepts: str | None = None) -> Report:
    """Both records (and the reviewers' decisions between them, if any) → the Report."""
    from resolution_archive.comparison import build_comparison
    from resolution_archive.lineage import Decision
    from resolution_archive.store.read import has_decisions, load_edition

    old_ref, new_ref = parse_ref(old, "OLD"), parse_ref(new, "NEW")
    chosen = parse_thresholds(thresholds)
    lexicon = read_concepts(concepts)
    with user_errors():
        with ctx.reading() as reader:
            old_record = load_edition(reader, old_ref, series)
            new_record = load_edition(reader, new_ref, series)
            decided = has_decisions(reader, series, old_record.year, new_record.year)
        decisions: list[Decision] = []
        if decided:  # matching decisions to demands is the history module's (SQLAlchemy) work
            from resolution_archive.compare import load_decisions
            from resolution_archive.store.db import session_scope

            with session_scope(ctx.engine, read_only=True) as session:
                decisions = load_decisions(session, old_record, new_record)
        return build_comparison(old_record, new_record, thresholds=chosen,
                                include_unchanged=include_unchanged, decisions=decisions,
                                concepts=lexicon)


threshold_option = click.option(
    "--threshold", "thresholds", multiple=True, metavar="NAME=VALUE",
    help="Override a similarity threshold of the diff engine (repeatable); "
    "see `archive thresholds`.")



@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--color/--no-color", "color", default=None,
              help="Colour the inline changes (default: only on a terminal and without NO_COLOR).")
@threshold_option
@concepts_option
@series_option
@pass_ctx
def diff(ctx: Context, old: str, new: str, fmt: str, color: bool | None,
         thresholds: tuple[str, ...], concepts: str | None, series: str) -> None:
    """Compare two years' demands and declaration (e.g. `archive diff 2023 2024`).

    OLD and NEW are years, or YEAR@REVISION for an earlier revision.
    """
    report = comparison(ctx, old, new, series, thresholds, concepts=concepts)
    if fmt == "json":
        from resolution_archive.report.jsonfmt import diff_json

        echo_json(diff_json(report))
        return
    from resolution_archive.report.terminal import render_terminal

    colored = use_color(color)
    click.echo(render_terminal(report, color=colored), color=colored)


@main.command("concepts")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--file", "path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also read a file of your own policy names and show what it adds.")
def concepts_command(fmt: str, path: str | None) -> None:
    """List the policy names the diff engine knows, one policy per line.

    Demands renamed from one of a policy's names to another (オンライン資格確認 → マイナ保険証)
    are paired as one demand. Teach it your own names with a text file given to
    `--concepts FILE` of diff, export, history, timeline, search and site (or named once in
    ARCHIVE_CONCEPTS): one policy per line, 「名前: 呼び名、呼び名、…」; a line naming a
    built-in policy adds to it.
    """
    from resolution_archive.diff.concepts import BUILT_IN

    info, lexicon = read_lexicon(path)
    added = {name: terms for name, terms in lexicon.families.items()
             if terms != BUILT_IN.families.get(name)}
    if fmt == "json":
        echo_json({"families": [
            {"name": name, "names": list(terms), "local": name in added}
            for name, terms in lexicon.families.items()],
            "file": None if info is None else {"filename": info.filename, "sha256": info.sha256,
                                               "lines": len(info.families)}})
        return
    for name, terms in lexicon.families.items():
        mark = "  ＋" if name in added else ""
        click.echo(f"{name}: {'、'.join(terms)}{mark}")
    if info is not None:
        click.echo(f"\n＋ {info.note}")


@main.command()
def thresholds() -> None:
    """List the diff engine's thresholds, their values and what each decides."""
    from resolution_archive.diff.thresholds import Thresholds

    for name, value, doc in Thresholds().describe():
        click.echo(f"{name} = {value}\n    {doc}")


def export_target(output: str | None, default_name: str) -> Path:
    """-o as given; a folder (existing, or written with a trailing separator) gets the default
    file name inside it, so `-o out/` does not write a file called `out`."""
    if not output:
        return Path(default_name)
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        return path / default_name
    return path


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="html",
              show_default=True)
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="File or folder to write to ('-' for standard output; default: a name from "
              "the years, in the current folder or the folder given).")
@click.option("--omit-unchanged", is_flag=True, help="Leave unchanged demands out of the table.")
@threshold_option
@concepts_option
@series_option
@pass_ctx
def export(ctx: Context, old: str, new: str, fmt: str, output: str | None,
           omit_unchanged: bool, thresholds: tuple[str, ...], concepts: str | None,
           series: str) -> None:
    """Write a 新旧対照表 change report: html, docx (Word), md, csv (Excel) or json."""
    from resolution_archive.report import RENDERERS, default_filename

    report = comparison(ctx, old, new, series, thresholds, include_unchanged=not omit_unchanged,
                        concepts=concepts)
    renderer = RENDERERS[fmt]
    data = renderer.render(report)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = export_target(output, default_filename(report, fmt))
    try:
        if output and output.endswith(("/", os.sep)):
            target.parent.mkdir(parents=True, exist_ok=True)  # `-o reports/` names a folder
        target.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror}") from None
    click.echo(f"wrote {target} ({len(data):,} bytes, {fmt})")


def run() -> None:
    """The `archive` executable: `main`, then a quick exit once a command has succeeded.

    Tearing the interpreter down (freeing every module of SQLAlchemy, NumPy, Sudachi…) takes
    longer than most commands' own work (~0.1 s); after success there is nothing left to do
    but flush the output — the database was closed by the command's context — so the process
    ends with os._exit. Failures exit the normal way.
    """
    try:
        main(prog_name="archive")
    except SystemExit as done:
        if done.code not in (0, None):
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # e.g. a closed pipe: let the normal exit report it
            raise done from None
        os._exit(0)
