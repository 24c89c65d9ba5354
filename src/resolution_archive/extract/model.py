"""What a reader returns: plain data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extracted:
    """The text a file holds, how it was read, and what the reader itself set aside.

    `encoding` is the text codec for text and HTML, else the format name (kept in the source's
    encoding column as before). `set_aside` holds lines the reader removed (page headers and
    footers repeated on every page), shown by `import --dry-run`.
    """

    format: str
    text: str
    encoding: str
    set_aside: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
