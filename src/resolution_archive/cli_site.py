"""`archive site OUTDIR`: the archive as a static web site; `--serve` previews it on 127.0.0.1.

Imports only click and cli_common at module level (cli.py lists this command without loading
the builder); the builder, SQLAlchemy and Jinja2 are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from resolution_archive.cli_common import (
    Context,
    concepts_option,
    pass_ctx,
    read_concepts,
    series_option,
    user_errors,
)


@click.command()
@click.argument("outdir", type=click.Path(path_type=Path))
@series_option
@click.option("--serve", is_flag=True, help="After building, serve the site on 127.0.0.1 "
              "(this machine only) until Ctrl+C.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port for --serve (0 picks a free one).")
@concepts_option
@pass_ctx
def site(ctx: Context, outdir: Path, series: str, serve: bool, port: int,
         concepts: str | None) -> None:
    """Write a static web site of the archive into OUTDIR (a new, empty or earlier site folder).

    Home page with search, a page per year (text, provenance, original file), a page per pair
    of consecutive years (新旧対照表). Works from any web space or opened from disk; loads
    nothing from the network. A rebuild rewrites only the files that changed.
    """
    from resolution_archive.site.build import build_site
    from resolution_archive.site.progress import TerminalProgress

    info = read_concepts(concepts)
    with user_errors():
        result = build_site(ctx.engine, outdir, series, TerminalProgress(), concepts=info)
    click.echo(result.line())
    if not serve:
        click.echo(f"open {(outdir / 'index.html').resolve()} in a browser, or publish the "
                   "folder as it is")
        return
    from resolution_archive.site.serve import make_server, url_of

    with user_errors():
        server = make_server(outdir, port)
    click.echo(f"serving {url_of(server)} (this machine only) — press Ctrl+C to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
