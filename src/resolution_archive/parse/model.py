"""The plain-data result of parsing one conference text. No database, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Demand:
    """One 「一、…」 item of a resolution.

    `text` is the display form without the leading 「一、」; `comparison` is its NFKC,
    whitespace-free form (see text.normalize).
    """

    number: int
    text: str
    comparison: str


@dataclass(frozen=True)
class ParsedDocument:
    """What the parser found in one text: the 決議 (preamble + demands) and the 宣言 (paragraphs).

    `year` and `date` come from the text (the 和暦 date under the resolution or declaration);
    either may be None when the text does not say, and the importer then needs --year.
    """

    preamble: str
    demands: tuple[Demand, ...]
    declaration: tuple[str, ...] = ()
    date: dt.date | None = None
    year: int | None = None
    title: str | None = None
    warnings: tuple[str, ...] = field(default=())
