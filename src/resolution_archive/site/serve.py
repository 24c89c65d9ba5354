"""Previewing a built site on this machine only: a static file server bound to 127.0.0.1.

The standard library's http.server is enough for a preview: the site is plain files. It is
bound to the loopback address, never to all interfaces, so a preview is not published to the
network by accident; SimpleHTTPRequestHandler already refuses paths outside the folder.
"""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from resolution_archive.errors import OutputError

HOST = "127.0.0.1"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the folder; keeps the terminal free of one log line per request."""

    extensions_map = {  # noqa: RUF012 - the base class declares it as a plain class attribute
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


def make_server(directory: Path, port: int) -> ThreadingHTTPServer:
    """A server for `directory` on 127.0.0.1:`port` (0 picks a free port); not yet serving."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise OutputError(f"cannot serve on {HOST}:{port}: {exc.strerror}; choose another "
                          "port with --port") from exc


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"
