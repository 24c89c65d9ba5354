"""The one Jinja2 set-up every HTML output uses (export, history, timeline, the static site).

Autoescaping is what keeps a demand containing `<script>` text on every page, and StrictUndefined
turns a misspelt template variable into an error instead of an empty cell; both must hold
wherever a template is rendered, so they are decided here once.
"""

from __future__ import annotations

import jinja2


def environment(*packages: str) -> jinja2.Environment:
    """Templates of `packages` first (e.g. the site's), then the report's shared macros."""
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            *(jinja2.PackageLoader(package, "templates") for package in packages),
            jinja2.PackageLoader("resolution_archive.report", "templates"),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
