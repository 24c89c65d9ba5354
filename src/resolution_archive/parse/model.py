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
    # The last demand of a text that stops before its 「。」 (an excerpt cut mid-sentence): kept,
    # but a diff against it may pair a fragment, so the user is told.
    cut_off: bool = False


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
    # The body named on the date line or title line (全国町村長大会), without a year or number;
    # the importer takes the series from it unless --series is given.
    conference: str | None = None
    # Lines that belong to none of the blocks: mastheads, page footers and numbers, 以上,
    # the date line's trailing text. Shown by `import --dry-run` so nothing vanishes unseen.
    set_aside: tuple[str, ...] = field(default=())
