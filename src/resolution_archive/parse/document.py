"""Conference text → ParsedDocument: the 決議 (preamble + 「一、」 demands) and the 宣言 paragraphs.

The input is text extracted from PDFs or retyped from newsletters, so nothing can be trusted to
be in reading order or on its own line. The parser therefore works on line *kinds*, not on a
fixed layout:

* Layout comes first: a text that arrives as one long paragraph (a newsletter page) is cut
  into lines at the boundaries it hides — a decorated 決議/宣言 heading, 記, each demand-starting
  「一、」 (after 「。」, 記, a heading or a space, never inside a word like 統一、), a date line
  after a sentence end, and a closing 以上／以上決議する. Page numbers standing alone and
  lines repeated on several pages that are not sentences (running headers) are set aside
  before anything else; everything no block takes is reported in `set_aside`.
* Every line is classified once (heading, 記, date line, title line, label, demand start, text,
  blank). Headings, dates, titles and labels are *boundaries*: text never flows across them.
* Demands are found by their 「一、」 marker wherever they are; a demand runs on over wrapped
  (and blank-separated) lines until it ends in 「。」. Demands run together on one line are
  split first. A bracketed title on the line above a demand (「（国保総合システム）」, as
  prefectures' books print them) starts that demand's text. If 「一、」 items appear in
  several places, the largest run wins.
* The preamble is the prose immediately before the first demand (skipping 記 and a 決議
  heading); the declaration is the prose on the side of the 宣言 heading where prose follows
  directly, so a heading printed after its body (as PDFs do) works too.
* Prose is split into paragraphs at indented lines (or, in unindented text, at blank lines or
  sentence ends) and only paragraphs ending in 「。」 are kept: chart labels, captions and
  speaker lines (❖登壇者) do not end a sentence.
* The document date is a date standing alone on a line (optionally with the name of the body
  that adopted the text — any body, 全国町村長大会 too, which becomes `conference`), nearest
  to the 決議/宣言 blocks; dates inside prose (昭和１３年４月１日 in an essay) and 令和3年度
  labels are never used.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from resolution_archive.errors import ParseError
from resolution_archive.parse.model import Demand, ParsedDocument
from resolution_archive.text.normalize import PAGE_NUMBER, comparison_form, display_form
from resolution_archive.text.wareki import find_dates, find_era_years

_SP = "[ \t\u3000]"
# Decoration around headings: ―決 議―, －決議－, 【決議】, ＜宣言＞ …
_DECOR = r"[\s\u3000―—－\-ー‐−–~〜～【】［］\[\]〈〉《》<>＜＞()（）・■□◆◇●○◎❖*＊=＝]*"
_RESOLUTION_HEADING = re.compile(rf"{_DECOR}(?:大会)?決{_SP}*議(?:文)?{_DECOR}")
_DECLARATION_HEADING = re.compile(rf"{_DECOR}(?:大会)?宣{_SP}*言(?:文)?{_DECOR}")
_KI = re.compile(rf"{_DECOR}記{_DECOR}")
# 「一、」 and the variants column layout and retyping produce: 「一 、」「一，」「一,」「一､」,
# and the full stops some offices number with: 「一．」「一.」.
_MARK = rf"一{_SP}*[、，,､．.](?![0-9０-９])"
_MARKER = re.compile(rf"^{_SP}*{_MARK}{_SP}*")
# A marker inside a line starts a demand when what precedes it ends a sentence, a heading or a
# word: 「。」, 記, a space, closing decoration. 統一、 or 第一、 inside prose never match.
_MIDLINE_MARKER = re.compile(rf"(?<=[。記\s\u3000―—－】］〉》＞>）)]){_SP}*(?={_MARK})")
# 記 standing between a sentence end (or a space) and the first demand.
_MIDLINE_KI = re.compile(
    rf"(?<=[。\s\u3000]){_SP}*[【［〈《＜<(（]?記[】］〉》＞>)）]?{_SP}*(?={_MARK})"
)
# A decorated heading inside a long line (―決 議―, 【宣言】), or a bare one between spaces.
_HEAD = rf"(?:決{_SP}*議|宣{_SP}*言)"
_MIDLINE_HEADING = re.compile(
    rf"[―—－【［〈《＜<■◆]{_SP}*{_HEAD}{_SP}*[―—－】］〉》＞>■◆]"
    rf"|(?<=[\s\u3000]){_HEAD}(?=[ \t\u3000])"
)
# The words that close a resolution or declaration after its last sentence.
_CLOSING = re.compile(
    r"以上[、，]?(?:(?:決議|宣言)(?:する|します))?[。．.]?|右[、，]?(?:決議|宣言)(?:する|します)[。．.]?"
)
_MIDLINE_CLOSING = re.compile(rf"(?<=。){_SP}*(?={_CLOSING.pattern}(?:[ \t\u3000]|$))")
_BODY = (
    r"(?:国保制度改善強化全国大会"
    r"|[^\s。、「」『』\u3040-\u309f]{0,20}(?:大会|市長会|町村会|知事会|議長会))"
)
_NUMBERED = r"(?:[（(]?第?[0-9０-９一二三四五六七八九十]+回[）)]?)?"
# The conference name on a line of its own, perhaps with a year or number (令和５年度…, 第６６回);
# no kana before it and nothing but a bracketed number after it, so wrapped prose never matches.
_TITLE = re.compile(rf"[^。、「」『』\u3040-\u309f]{{0,30}}{_BODY}{_NUMBERED}")
# The body a date line names after the date (全国町村長大会, 全国市長会, …協議会): no kana.
_DATE_BODY = re.compile(rf"[^\s。、「」『』\u3040-\u309f]{{1,30}}(?:会|会議){_NUMBERED}")
_DATE_LINE_MAX_REST = 80
# A year or number in front of the name, dropped to name the series: 令和５年度, 第６６回.
_TITLE_PREFIX = re.compile(
    r"^(?:(?:令和|平成|昭和)[0-9０-９元一二三四五六七八九十]+年度?|[0-9０-９]{4}年度?"
    r"|第[0-9０-９一二三四五六七八九十]+回|[\s\u3000])+"
)
# Lines that are captions or notes, never part of the prose: 【参考】, ■アクセス, ※注, ❖登壇者.
_LABEL_START = tuple("【■□◆◇❖●※★☆▼▲◎")
# What may follow a date on a date line: spaces and a weekday in brackets, （金） / (金・祝).
_DATE_REST = re.compile(r"[\s\u3000]*(?:[（(][月火水木金土日曜祝・]+[）)])?[\s\u3000]*")
_SENTENCE_END = re.compile(r"。[」』）)]*$")
# A demand's title on the line above it, bracketed whole: 「（国保総合システム）」,
# 「【財政支援】」, 「（子どもに係る均等割保険料（税）の軽減）」. Prefectures' books title
# each demand.
_TITLE_TEXT = r"[^。（）()【】〔〕［］]"
_ITEM_TITLE = re.compile(
    rf"[（(【〔［＜〈《≪]{_TITLE_TEXT}+(?:[（(]{_TITLE_TEXT}+[）)]{_TITLE_TEXT}*)*[）)】〕］＞〉》≫]"
)
_ITEM_TITLE_MAX = 52


class Kind(enum.Enum):
    """What a line is, decided once from the line alone."""

    BLANK = "blank"
    CLOSING = "以上"
    RESOLUTION_HEADING = "決議"
    DECLARATION_HEADING = "宣言"
    KI = "記"
    DATE = "date"
    TITLE = "title"
    LABEL = "label"
    DEMAND = "demand"
    TEXT = "text"


# Kinds prose may flow through (blank lines occur inside paragraphs in PDF extractions).
_FLOWING = frozenset({Kind.TEXT, Kind.BLANK})


@dataclass(frozen=True)
class Line:
    """One line with its classification. `text` is stripped; `indented` marks a paragraph start."""

    index: int
    text: str
    indented: bool
    kind: Kind
    date: dt.date | None = None


@dataclass(frozen=True)
class _Item:
    """A demand as found: the lines it spans and its raw (still wrapped) text."""

    first: int
    last: int
    raw: str


# --- line classification -------------------------------------------------------------------


def _split_at_date(line: str) -> str:
    """Cut a line before a date that follows a sentence end, if the rest reads as a date line."""
    for found in find_dates(line):
        head = line[: found.start].rstrip(" \t\u3000")
        if head.endswith("。") and _split_date_line(line[found.start :]) is not None:
            return f"{head}\n{line[found.start :]}"
    return line


def _relayout(line: str) -> list[str]:
    """One physical line → the logical lines it holds (see the module docstring)."""
    line = _MIDLINE_HEADING.sub(lambda m: f"\n{m.group(0).strip()}\n", line)
    line = _MIDLINE_KI.sub("\n記\n", line)
    line = _MIDLINE_MARKER.sub("\n", line)
    line = _MIDLINE_CLOSING.sub("\n", line)
    parts = [_split_at_date(part) for part in line.split("\n")]
    lines = "\n".join(parts).split("\n")
    # cutting a line never makes blank lines: those would read as paragraph gaps
    return lines if len(lines) == 1 else [part for part in lines if part.strip()]


def _is_running_header(text: str, counts: Counter[str]) -> bool:
    """A line printed on several pages (a running header or footer): it repeats, is not a
    sentence, and is none of the lines the parser needs (headings, 記, dates, demands)."""
    if counts[text] < 2 or "。" in text or _MARKER.match(text) or _split_date_line(text):
        return False
    patterns = (_RESOLUTION_HEADING, _DECLARATION_HEADING, _KI, _TITLE, _CLOSING)
    return not any(p.fullmatch(text) for p in patterns)


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    """(lines, set aside): one-paragraph layouts cut into lines; page numbers and running
    headers removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    counts = Counter(raw.strip() for raw in text.split("\n") if raw.strip())
    lines: list[str] = []
    pages: list[str] = []
    for raw in text.split("\n"):
        if raw.strip() and (PAGE_NUMBER.fullmatch(raw.strip())
                            or _is_running_header(raw.strip(), counts)):
            pages.append(raw.strip())
            continue
        lines += _relayout(raw) if raw.strip() else [raw]
    return lines, pages


def _is_indented(raw: str) -> bool:
    """A full-width space or two or more spaces before the text: a paragraph's first line."""
    lead = raw[: len(raw) - len(raw.lstrip(" \t\u3000"))]
    return "\u3000" in lead or len(lead) >= 2


def _split_date_line(text: str) -> tuple[dt.date, str, str] | None:
    """(date, body, rest) if the line is one date standing alone, optionally followed by a
    weekday and the name of the body that adopted the text (any body: 全国町村長大会 too) and,
    in one-paragraph layouts, a page footer; body and rest are "" when absent."""
    dates = find_dates(text)
    if len(dates) != 1 or text[: dates[0].start].strip(" \t\u3000"):
        return None
    after = text[dates[0].end :]
    rest = after[len(m.group(0)) :] if (m := _DATE_REST.match(after)) else after
    if not rest:
        return dates[0].date, "", ""
    if _TITLE.fullmatch(rest):
        return dates[0].date, rest, ""
    separated = rest != after or after[:1].isspace()
    first, *more = re.split(r"[ \t\u3000]+", rest, maxsplit=1)
    tail = more[0] if more else ""
    if (not separated or not _DATE_BODY.fullmatch(first) or "。" in rest
            or len(rest) > _DATE_LINE_MAX_REST):
        return None
    return dates[0].date, first, tail.strip(" \t\u3000")


def _classify(index: int, raw: str) -> Line:
    text = raw.strip()
    indented = _is_indented(raw)
    if not text:
        return Line(index, text, indented, Kind.BLANK)
    if _MARKER.match(text):
        return Line(index, text, indented, Kind.DEMAND)
    if _CLOSING.fullmatch(text):
        return Line(index, text, indented, Kind.CLOSING)
    dated = _split_date_line(text)
    if dated is not None:
        return Line(index, text, indented, Kind.DATE, dated[0])
    for kind, pattern in (
        (Kind.RESOLUTION_HEADING, _RESOLUTION_HEADING),
        (Kind.DECLARATION_HEADING, _DECLARATION_HEADING),
        (Kind.KI, _KI),
        (Kind.TITLE, _TITLE),
    ):
        if pattern.fullmatch(text):
            return Line(index, text, indented, kind)
    if text.startswith(_LABEL_START):
        return Line(index, text, indented, Kind.LABEL)
    return Line(index, text, indented, Kind.TEXT)


def _classified(text: str) -> tuple[list[Line], list[str]]:
    lines, pages = _split_lines(text)
    return [_classify(i, raw) for i, raw in enumerate(lines)], pages


def classify_lines(text: str) -> list[Line]:
    """Every line of `text` (after cutting one-paragraph layouts), classified. Exposed for
    debugging odd inputs."""
    return _classified(text)[0]


# --- demands -------------------------------------------------------------------------------


def _next_nonblank(lines: Sequence[Line], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].kind is not Kind.BLANK:
            return i
    return None


def _read_demand(lines: Sequence[Line], first: int) -> _Item:
    """The demand starting at `first`, continued over wrapped lines until it ends in 「。」.

    A blank line ends an unfinished demand only if its text already reads as complete
    (「…こと」 without the 「。」); any boundary line always ends it.
    """
    parts = [_MARKER.sub("", lines[first].text, count=1)]
    last = first
    while not _SENTENCE_END.search(parts[-1]):
        nxt = _next_nonblank(lines, last + 1)
        if nxt is None or lines[nxt].kind is not Kind.TEXT:
            break  # an indented line may be a hanging indent, so indentation does not end it
        after = _next_nonblank(lines, nxt + 1)
        if after is not None and _title_above(lines, after, last) == nxt:
            break  # the next demand's title
        if nxt > last + 1 and parts[-1].endswith("こと"):
            break
        parts.append(lines[nxt].text)
        last = nxt
    return _Item(first, last, "\n".join(parts))


def _title_above(lines: Sequence[Line], first: int, floor: int) -> int | None:
    """The line of the title (_ITEM_TITLE) right above the demand starting at `first`, blank
    lines aside, when it lies below line `floor`; None when the demand has none."""
    if lines[first].kind is not Kind.DEMAND:
        return None
    k = first - 1
    while k > floor and lines[k].kind is Kind.BLANK:
        k -= 1
    if k <= floor or lines[k].kind not in (Kind.TEXT, Kind.LABEL):
        return None
    text = lines[k].text
    return k if len(text) <= _ITEM_TITLE_MAX and _ITEM_TITLE.fullmatch(text) else None


def _demand_runs(lines: Sequence[Line]) -> list[list[_Item]]:
    """All demands, grouped into runs that only blank lines (or 記) separate.

    A demand's title on the line above it (「（国保総合システム）」) belongs to the demand: it
    starts the demand's text, and titled demands stay one list."""
    runs: list[list[_Item]] = []
    i = 0
    while i < len(lines):
        if lines[i].kind is not Kind.DEMAND:
            i += 1
            continue
        item = _read_demand(lines, i)
        previous = runs[-1][-1] if runs else None
        title = _title_above(lines, i, previous.last if previous else -1)
        if title is not None:
            item = _Item(title, item.last, lines[title].text + "\n" + item.raw)
        between = lines[previous.last + 1 : item.first] if previous else None
        if between is not None and all(ln.kind in (Kind.BLANK, Kind.KI) for ln in between):
            runs[-1].append(item)
        else:
            runs.append([item])
        i = item.last + 1
    return runs


# --- prose ---------------------------------------------------------------------------------


def _paragraphs(lines: Sequence[Line]) -> list[str]:
    """Split a region of prose lines into paragraphs (display form).

    Indented lines start paragraphs when the region uses indents at all; otherwise blank lines
    separate paragraphs, unless blank lines separate every line, in which case a line ending in
    「。」 ends its paragraph.
    """
    texts = [ln for ln in lines if ln.kind is not Kind.BLANK]
    if not texts:
        return []
    use_indent = any(ln.indented for ln in texts)
    gaps = [b.index - a.index > 1 for a, b in itertools.pairwise(texts)]
    blank_separates = any(gaps) and not all(gaps)
    groups: list[list[str]] = [[texts[0].text]]
    for (prev, line), gap in zip(itertools.pairwise(texts), gaps, strict=True):
        if use_indent:
            new = line.indented
        elif blank_separates:
            new = gap
        else:
            new = bool(_SENTENCE_END.search(prev.text))
        if new:
            groups.append([line.text])
        else:
            groups[-1].append(line.text)
    return [display_form("\n".join(part)) for group in groups for part in _split_tail(group)]


def _split_tail(group: list[str]) -> list[list[str]]:
    """Cut unfinished lines off the end of a paragraph ("…である。" + "中央会所蔵" caption).

    A paragraph ends in 「。」; lines after its last sentence end that never finish a sentence
    are a caption or label that happened to sit under it without a new indent.
    """
    ends = [i for i, text in enumerate(group) if _SENTENCE_END.search(text)]
    if not ends or ends[-1] == len(group) - 1:
        return [group]
    cut = ends[-1] + 1
    return [group[:cut], group[cut:]]


def _is_prose(paragraph: str) -> bool:
    return bool(_SENTENCE_END.search(paragraph))


def _first_prose_run(paragraphs: list[str]) -> list[str]:
    """The first unbroken run of prose paragraphs (labels before it and after it dropped)."""
    run: list[str] = []
    for paragraph in paragraphs:
        if _is_prose(paragraph):
            run.append(paragraph)
        elif run:
            break
    return run


def _last_prose_run(paragraphs: list[str]) -> list[str]:
    return list(reversed(_first_prose_run(list(reversed(paragraphs)))))


def _region_after(lines: Sequence[Line], start: int) -> list[Line]:
    """Lines from `start` on while prose can flow (stops at any boundary)."""
    out: list[Line] = []
    for line in lines[start:]:
        if line.kind not in _FLOWING:
            break
        out.append(line)
    return out


def _region_before(lines: Sequence[Line], end: int, taken: set[int]) -> list[Line]:
    """Lines before `end` (exclusive), walking back while prose can flow and lines are free."""
    out: list[Line] = []
    for line in reversed(lines[:end]):
        if line.kind not in _FLOWING or line.index in taken:
            break
        out.append(line)
    return list(reversed(out))


def _declaration(lines: Sequence[Line]) -> tuple[list[str], list[Line]]:
    """Paragraphs of the 宣言 and the lines they came from.

    The body is after the heading when prose follows it directly, otherwise before it (PDF
    extraction often puts a heading after the block it titles).
    """
    for heading in (ln for ln in lines if ln.kind is Kind.DECLARATION_HEADING):
        nxt = _next_nonblank(lines, heading.index + 1)
        if nxt is not None and lines[nxt].kind is Kind.TEXT:
            region = _region_after(lines, heading.index + 1)
            paragraphs = _first_prose_run(_paragraphs(region))
        else:
            region = _region_before(lines, heading.index, set())
            paragraphs = _last_prose_run(_paragraphs(region))
        if paragraphs:
            return paragraphs, region
    return [], []


def _preamble(lines: Sequence[Line], first_demand: int, taken: set[int]) -> list[str]:
    """Prose paragraphs right before the first demand, skipping 記 and a 決議 heading."""
    end = first_demand
    skippable = (Kind.BLANK, Kind.KI, Kind.RESOLUTION_HEADING)
    while end > 0 and lines[end - 1].kind in skippable:
        end -= 1
    return _last_prose_run(_paragraphs(_region_before(lines, end, taken)))


# --- date, year, title ---------------------------------------------------------------------


def _document_date(lines: Sequence[Line], anchors: list[int]) -> tuple[dt.date | None, list[str]]:
    """The date line nearest to the 決議/宣言 blocks or the organisation line."""
    dated = [ln for ln in lines if ln.kind is Kind.DATE and ln.date is not None]
    if not dated:
        return None, []
    if not anchors:
        anchors = [0]
    best = min(dated, key=lambda ln: (min(abs(ln.index - a) for a in anchors), ln.index))
    warnings = []
    others = sorted({ln.date for ln in dated if ln.date != best.date and ln.date is not None})
    if others:
        listed = ", ".join(d.isoformat() for d in others)
        warnings.append(f"several dates stand alone on a line; used {best.date}, not {listed}")
    return best.date, warnings


def _title(lines: Sequence[Line]) -> str | None:
    """The 「…国保制度改善強化全国大会」 line, preferring one that names the year (令和５年度…)."""
    titles: list[str] = []
    for line in lines:
        if line.kind is Kind.TITLE:
            titles.append(display_form(line.text))
        elif line.kind is Kind.DATE:
            dated = _split_date_line(line.text)
            if dated is not None and dated[1]:
                titles.append(display_form(dated[1]))
    with_year = [t for t in titles if find_era_years(t) or re.search(r"[0-9０-９]{4}年", t)]
    chosen = with_year or titles
    return chosen[0] if chosen else None


def _conference(title: str | None) -> str | None:
    """The body's name without the year or number in front (令和５年度…, 第６６回…) or after."""
    if title is None:
        return None
    name = _TITLE_PREFIX.sub("", title)
    name = re.sub(r"[（(]?第?[0-9０-９一二三四五六七八九十]+回[）)]?$", "", name).strip()
    return name or None


def _set_aside(lines: Sequence[Line], used: set[int], kept: str, pages: list[str]) -> list[str]:
    """Non-blank lines no block took (and the page numbers), in their original characters."""
    out = [*pages]
    for line in lines:
        if line.index in used or line.kind is Kind.BLANK:
            continue
        if line.kind is Kind.DATE:
            dated = _split_date_line(line.text)
            if dated is not None and dated[2]:
                out.append(dated[2])
            continue
        if line.kind in (Kind.RESOLUTION_HEADING, Kind.DECLARATION_HEADING, Kind.KI, Kind.TITLE):
            continue
        if line.kind is Kind.TEXT and comparison_form(line.text) in kept:
            continue
        out.append(line.text)
    return out


def _title_year(title: str | None) -> int | None:
    if title is None:
        return None
    years = find_era_years(title)
    if years:
        return years[0].year
    western = re.search(r"([0-9０-９]{4})年", title)
    return int(western.group(1)) if western else None


# --- entry point ---------------------------------------------------------------------------


def parse_text(text: str) -> ParsedDocument:
    """Parse one conference text. Raises ParseError if it holds no 「一、」 demands."""
    lines, pages = _classified(text)
    runs = _demand_runs(lines)
    if not runs:
        raise ParseError(
            "no 「一、」 demands were found; the tool expects a resolution (決議) whose demands "
            "each start with 「一、」 at the beginning of a line"
        )
    warnings: list[str] = []
    items = max(runs, key=len)  # first of the longest runs
    if len(runs) > 1:
        skipped = sum(len(run) for run in runs) - len(items)
        warnings.append(f"{skipped} 「一、」 item(s) outside the main list were ignored")
    demands = [
        Demand(number, display_form(item.raw), comparison_form(item.raw))
        for number, item in enumerate(items, start=1)
    ]
    if not _SENTENCE_END.search(demands[-1].text):
        last = demands[-1]
        demands[-1] = Demand(last.number, last.text, last.comparison, cut_off=True)
        warnings.append(
            f"demand {last.number} does not end in 「。」 — the text may be cut off there "
            f"(「{last.text[-10:]}」); check the source"
        )

    declaration, declaration_lines = _declaration(lines)
    taken = {ln.index for ln in declaration_lines}
    preamble = _preamble(lines, items[0].first, taken)
    if not preamble:
        warnings.append("no preamble (本日ここに…) found before the demands")
    if any(ln.kind is Kind.DECLARATION_HEADING for ln in lines) and not declaration:
        warnings.append("a 宣言 heading was found but no declaration paragraphs next to it")

    anchors = [items[0].first, items[-1].last]
    anchors += [ln.index for ln in lines if ln.kind in (Kind.RESOLUTION_HEADING, Kind.TITLE)]
    anchors += [ln.index for ln in lines if ln.kind is Kind.DECLARATION_HEADING]
    if declaration_lines:
        anchors += [declaration_lines[0].index, declaration_lines[-1].index]
    date, date_warnings = _document_date(lines, anchors)
    warnings += date_warnings

    title = _title(lines)
    year = date.year if date else _title_year(title)
    used = {i for item in items for i in range(item.first, item.last + 1)}
    kept = comparison_form("\n".join([*preamble, *declaration]))
    return ParsedDocument(
        preamble="\n".join(preamble),
        demands=tuple(demands),
        declaration=tuple(declaration),
        date=date,
        year=year,
        title=title,
        warnings=tuple(warnings),
        conference=_conference(title),
        set_aside=tuple(_set_aside(lines, used, kept, pages)),
    )
