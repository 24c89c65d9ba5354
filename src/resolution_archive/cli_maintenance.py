"""`archive dump`, `archive restore`, `archive verify`: thin wrappers over store.dump/verify.

Kept apart from cli.py so the archive-maintenance commands can grow without crowding the
everyday ones. Nothing heavy is imported at module level: cli.py loads this module
when one of its commands runs or `archive --help` lists them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from resolution_archive.cli_common import Context, user_errors

STDIO = "-"


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.pass_obj
def dump(ctx: Context, file: str) -> None:
    """Write the whole archive to FILE as JSON Lines (`-` for stdout).

    The dump holds every source's original bytes, every year, revision, demand and
    paragraph; `archive restore` loads it into an empty archive on any engine. See
    docs/dump-format.md.
    """
    from resolution_archive.store.dump import dump_to_path, write_dump

    with user_errors():
        engine = ctx.engine
        if file == STDIO:
            summary = write_dump(engine, sys.stdout.buffer)
        else:
            summary = dump_to_path(engine, Path(file))
    # with `-` the dump owns stdout, so the report goes to stderr
    click.echo(f"dumped {summary.describe()} to {'stdout' if file == STDIO else file} "
               f"(schema {summary.schema})", err=file == STDIO)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.pass_obj
def restore(ctx: Context, file: str) -> None:
    """Load a dump made by `archive dump` from FILE (`-` for stdin) into an EMPTY archive.

    The whole file is checked (format version, sha256 of every source, the trailer) before
    anything is written, and it is written in one transaction: on any error the archive is
    left as it was.
    """
    from resolution_archive.store.dump import read_dump_file, restore_dump

    with user_errors():
        if file == STDIO:
            data, name = sys.stdin.buffer.read(), "stdin"
        else:
            data, name = read_dump_file(Path(file)), file
        summary = restore_dump(ctx.writable_engine, data, name)
    click.echo(f"restored {summary.describe()}, {summary.items} items from {name} "
               f"(schema {summary.schema})")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
def verify(ctx: Context, fmt: str) -> None:
    """Re-hash every stored source and re-parse it; report what no longer matches.

    Finds damaged or altered source bytes (sha256), rows edited in the database, and
    revisions that the current parser would read differently (demands, paragraphs, preamble,
    date). Exit code 1 if anything is reported.
    """
    from resolution_archive.verify import verify_archive

    with user_errors():
        report = verify_archive(ctx.engine)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            click.echo(problem.line())
        click.echo(report.summary())
    if not report.ok:
        sys.exit(1)
