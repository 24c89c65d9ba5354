"""`archive history`, `timeline`, `search`, `link`, `unlink`, `decisions`: the archive across years.

Thin like every command module: parse arguments, call `resolution_archive.history` (imported
inside each command, with the renderers), print or write the result.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from resolution_archive.cli_common import (
    Context,
    concepts_option,
    echo_json,
    pass_ctx,
    read_lexicon,
    series_option,
    user_errors,
)

if TYPE_CHECKING:
    from resolution_archive.report.context import ConceptsInfo

_DEMAND = re.compile(r"^\s*(\d{4})\s*[:：]\s*(\d{1,4})\s*$")
LINK_KINDS = ("reworded", "merged", "split", "unchanged")


def parse_demand(value: str, param: str) -> tuple[int, int]:
    match = _DEMAND.match(value)
    if not match:
        raise click.BadParameter(
            f"{value!r} is not a demand; write YEAR:NUMBER, e.g. 2024:7 (see `archive show 2024`)",
            param_hint=param)
    number = int(match.group(2))
    if number < 1:
        raise click.BadParameter(f"{value!r}: demands are numbered from 1", param_hint=param)
    return int(match.group(1)), number


def year_range(first: int | None, last: int | None) -> None:
    if first is not None and last is not None and first > last:
        raise click.BadParameter(f"--from {first} is after --to {last}", param_hint="--from")


def write_output(data: bytes, output: str | None, default: str | None) -> None:
    """To a file (-o, or `default` for binary formats) or standard output."""
    target = output if output is not None else default
    if target is None or target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        Path(target).write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror}") from None
    click.echo(f"wrote {target} ({len(data):,} bytes)")


def use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


year_from = click.option("--from", "first", type=click.IntRange(1900, 2200),
                         help="First year to include.")
year_to = click.option("--to", "last", type=click.IntRange(1900, 2200),
                       help="Last year to include.")
output_option = click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
                             help="File to write ('-' for standard output).")
color_option = click.option("--color/--no-color", "color", default=None,
                            help="Colour (default: only on a terminal and without NO_COLOR).")


@click.command()
@click.argument("demand")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]),
              default="text", show_default=True)
@output_option
@color_option
@concepts_option
@series_option
@pass_ctx
def history(ctx: Context, demand: str, fmt: str, output: str | None, color: bool | None,
            concepts: str | None, series: str) -> None:
    """A demand's history year by year: `archive history 2024:7` or `archive history 子育て`.

    YEAR:N is demand N of that year; any other text shows every thread whose wording contains
    it. Each version shows how it came from the previous year's wording.
    """
    from resolution_archive.history import find_history
    from resolution_archive.report import threads as render

    info, lexicon = read_lexicon(concepts)
    with user_errors():
        match = _DEMAND.match(demand)
        if match:
            found = find_history(ctx, series, demand=parse_demand(demand, "DEMAND"),
                                 lexicon=lexicon)
        else:
            found = find_history(ctx, series, text=demand, lexicon=lexicon)
    if fmt == "json":
        data = echo_text_json(_cited(render.history_json(found), info))
    elif fmt == "md":
        data = render.history_markdown(found).encode("utf-8")
    elif fmt == "html":
        data = render.history_html(found, title=f"要望の変遷: {demand}").encode("utf-8")
    else:
        colored = use_color(color) if output is None else bool(color)
        if info is not None:
            click.echo(info.note)
        click.echo(render.history_text(found, color=colored), nl=False, color=colored)
        return
    write_output(data, output, None)


def echo_text_json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cited(data: dict[str, Any], info: ConceptsInfo | None) -> dict[str, Any]:
    """A JSON answer with "concepts": the office's names it was made with, or null."""
    data["concepts"] = None if info is None else info.to_json()
    return data


@click.command()
@year_from
@year_to
@click.option("--format", "fmt", type=click.Choice(["text", "html", "csv", "json", "xlsx"]),
              default="text", show_default=True)
@output_option
@concepts_option
@series_option
@pass_ctx
def timeline(ctx: Context, first: int | None, last: int | None, fmt: str, output: str | None,
             concepts: str | None, series: str) -> None:
    """Threads × years: every demand's life on one page (html heat-map, csv, json, xlsx).

    The first run compares every pair of consecutive years and keeps the answers in the
    archive; later runs reuse them (a new import or revision recomputes only what it touches).
    """
    from resolution_archive.history import load_threads
    from resolution_archive.report import threads as render

    year_range(first, last)
    info, lexicon = read_lexicon(concepts)
    with user_errors():
        built = load_threads(ctx, series, lexicon=lexicon)
    table = built.threads.timeline(first, last)
    if fmt == "json":
        write_output(echo_text_json(_cited(table.to_json(), info)), output, None)
    elif fmt == "csv":
        write_output(render.timeline_csv(table), output, None)
    elif fmt == "html":
        title = "要望の年表" + (f" {table.years[0]}–{table.years[-1]}" if table.years else "")
        write_output(render.timeline_html(table, title=title).encode("utf-8"), output, None)
    elif fmt == "xlsx":
        from resolution_archive.report.timeline_xlsx import timeline_xlsx

        write_output(timeline_xlsx(table), output, "timeline.xlsx")
    else:
        if not table.threads:
            click.echo("No demands in those years. Import texts with: archive import FILE")
            return
        note = "" if info is None else info.note + "\n"
        write_output((note + render.timeline_text(table)).encode("utf-8"), output, None)


@click.command()
@click.argument("text")
@year_from
@year_to
@click.option("--document", type=click.Choice(["resolution", "declaration"]),
              help="Only demands (resolution) or only declaration paragraphs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@color_option
@concepts_option
@series_option
@pass_ctx
def search(ctx: Context, text: str, first: int | None, last: int | None, document: str | None,
           fmt: str, color: bool | None, concepts: str | None, series: str) -> None:
    """Every demand and declaration paragraph containing TEXT, across all years, by thread.

    Width and notation do not matter (ＫＤＢ finds KDB, （税） finds (税)); one- and
    two-character words work too (国保).
    """
    from resolution_archive.history import search as run_search
    from resolution_archive.report import threads as render

    year_range(first, last)
    info, lexicon = read_lexicon(concepts)
    with user_errors():
        result = run_search(ctx, series, text, first=first, last=last, document=document,
                            lexicon=lexicon)
    if fmt == "json":
        echo_json(_cited(result.to_json(), info))
        return
    colored = use_color(color)
    if info is not None:
        click.echo(info.note)
    click.echo(render.search_text(result.grouped(), color=colored, count=len(result.hits),
                                  query=text), nl=False, color=colored)


def _who(by: str | None) -> str:
    if by:
        return by
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


by_option = click.option("--by", help="Who decides (default: the user name of this account).")
note_option = click.option("--note", help="Why: shown with the decision.")


def _record(ctx: Context, series: str, old: str, new: str, action: str, kind: str | None,
            note: str | None, by: str | None) -> None:
    from resolution_archive.store.threads import record_decision

    old_ref, new_ref = parse_demand(old, "OLD"), parse_demand(new, "NEW")
    if old_ref[0] >= new_ref[0]:
        raise click.BadParameter(f"OLD ({old}) must be from an earlier year than NEW ({new})",
                                 param_hint="OLD")
    with user_errors():
        record = record_decision(ctx.engine, series, old_ref, new_ref, action=action, kind=kind,
                                 note=note, decided_by=_who(by))
    what = f"linked as {kind}" if action == "link" else "unlinked"
    click.echo(f"decision {record.id}: {old_ref[0]}:{old_ref[1]} → {new_ref[0]}:{new_ref[1]} "
               f"{what} by {record.decided_by}")


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--as", "kind", type=click.Choice(LINK_KINDS), required=True,
              help="What NEW is of OLD.")
@note_option
@by_option
@series_option
@pass_ctx
def link(ctx: Context, old: str, new: str, kind: str, note: str | None, by: str | None,
         series: str) -> None:
    """Record that demand NEW continues demand OLD: `archive link 2023:6 2024:7 --as reworded`.

    Every later diff, export, history and timeline pairs them, marked 確認済み.
    """
    _record(ctx, series, old, new, "link", kind, note, by)


@click.command()
@click.argument("old")
@click.argument("new")
@note_option
@by_option
@series_option
@pass_ctx
def unlink(ctx: Context, old: str, new: str, note: str | None, by: str | None,
           series: str) -> None:
    """Record that NEW does not continue OLD (one dropped, the other added), or undo a link."""
    _record(ctx, series, old, new, "unlink", None, note, by)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@series_option
@pass_ctx
def decisions(ctx: Context, fmt: str, series: str) -> None:
    """Every reviewer decision, oldest first: who, when, why, and whether it is still in force."""
    from resolution_archive.history import list_decisions

    with user_errors():
        rows = list_decisions(ctx, series)
    if fmt == "json":
        echo_json({"decisions": [row.to_json() for row in rows]})
        return
    if not rows:
        click.echo("No decisions yet. Record one with: archive link OLD NEW --as reworded")
        return
    for row in rows:
        click.echo(row.line())
