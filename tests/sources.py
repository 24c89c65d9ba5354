"""Source files in the layouts users bring, made from one labelled resolution with real tools.

Shared by the tests and benchmarks/parse_benchmark.py. A resolution is a dict as in
benchmarks/parse_cases/years.json: title, series, date (ISO), preamble / demands / declaration
(lists of display texts). Each `render_*` returns (file name, bytes). PDFs are printed by
headless Chromium (HTML → PDF) or converted by LibreOffice (DOCX → PDF); Word files are written
by python-docx. Nothing here imports pytest: callers decide what a missing tool means.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

Resolution = dict[str, Any]

CHROMIUM = os.environ.get("CHROMIUM", "chromium")
SOFFICE = os.environ.get("SOFFICE", "soffice")
FONT = "'Noto Serif CJK JP', 'Noto Sans CJK JP', serif"
FOOTER = "公益社団法人 国民健康保険中央会"


def missing_tool(name: str) -> str | None:
    """Why `name` cannot run here (None when it can)."""
    if shutil.which(name) is None:
        package = {"chromium": "chromium", "soffice": "libreoffice-writer-nogui",
                   "pdftoppm": "poppler-utils"}.get(name, name)
        return f"{name} not installed (apt-get install {package})"
    return None


# --- text -------------------------------------------------------------------------------------


def wareki(iso: str) -> str:
    """2024-11-15 → 令和6年11月15日 (平成 before May 2019)."""
    date = dt.date.fromisoformat(iso)
    if date >= dt.date(2019, 5, 1):
        return f"令和{date.year - 2018}年{date.month}月{date.day}日"
    return f"平成{date.year - 1988}年{date.month}月{date.day}日"


def wrap(text: str, width: int) -> list[str]:
    """Hard wrap at `width` characters, as PDF extraction and newsletter columns do."""
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def clean_text(r: Resolution) -> str:
    """The tidy layout: headings, one demand per line, date and body under the resolution."""
    lines = [r["title"], "", "決　議", ""]
    lines += [f"\u3000{p}" for p in r["preamble"]]
    lines += ["", "記", ""]
    lines += [f"一、{d}" for d in r["demands"]]
    lines += ["", wareki(r["date"]), r["series"], "", "宣　言", ""]
    lines += [f"\u3000{p}" for p in r["declaration"]]
    return "\n".join(lines) + "\n"


def one_paragraph(r: Resolution) -> str:
    """A newsletter page flattened to one paragraph (masthead … footer), declaration after."""
    demands = " ".join(f"一、{d}" for d in r["demands"])
    resolution = (f"○○県国保連だより 第218号 ―決 議 ― {''.join(r['preamble'])} 記 {demands} "
                  f"{wareki(r['date'])} {r['series']} ○○県国民健康保険団体連合会 ３")
    # paragraph breaks of the 宣言 survive (they are the newsletter's own paragraphs)
    declaration = "\n".join(["―宣 言―", *r["declaration"]])
    return f"{resolution}\n\n{declaration}\n"


def midline(r: Resolution) -> str:
    """Demands running on after the preamble's last 「。」 and after each other, no line breaks."""
    body = "".join(r["preamble"]) + "".join(f"一、{d}" for d in r["demands"])
    decl = "\n".join(r["declaration"])
    return f"【決議】\n{body}\n{wareki(r['date'])}　{r['series']}\n\n【宣言】\n{decl}\n"


def closing_words(r: Resolution) -> str:
    """Quoted on a web page: 「以上決議する。」 on the last demand's line, 「以上。」 after 宣言."""
    demands = [f"一、{d}" for d in r["demands"]]
    demands[-1] += "以上決議する。"
    decl = [f"\u3000{p}" for p in r["declaration"]]
    decl[-1] += "\u3000以上。"
    lines = ["決議", *[f"\u3000{p}" for p in r["preamble"]], *demands, "",
             "宣言", *decl, "", f"{wareki(r['date'])} {r['series']}"]
    return "\n".join(lines) + "\n"


def fullstop_markers(r: Resolution, marker: str = "一．") -> str:
    return clean_text(r).replace("一、", marker)


def wrapped_pages(r: Resolution) -> str:
    """Hard wraps at 22 characters, a page header and page numbers between pages."""
    out = ["国保制度改善強化全国大会資料", "決　議"]
    for p in r["preamble"]:
        out += ["\u3000" + line if i == 0 else line for i, line in enumerate(wrap(p, 22))]
    for number, d in enumerate(r["demands"], start=1):
        out += wrap(f"一、{d}", 22)
        if number == len(r["demands"]) // 2:
            out += ["- 1 -", "国保制度改善強化全国大会資料"]
    out += [wareki(r["date"]), r["series"], "- 2 -", "宣　言"]
    for p in r["declaration"]:
        out += ["\u3000" + line if i == 0 else line for i, line in enumerate(wrap(p, 22))]
    out += ["- 3 -"]
    return "\n".join(out) + "\n"


def cut_off(r: Resolution) -> tuple[str, Resolution]:
    """An excerpt that stops inside a demand: 「一、国民の」. Returns the text and its labels."""
    keep = max(2, len(r["demands"]) // 2)
    text = f"{r['title']}\n決議\n" + "\n".join(f"\u3000{p}" for p in r["preamble"]) + "\n"
    text += "\n".join(f"一、{d}" for d in r["demands"][:keep]) + "\n一、国民の\n"
    labels = {**r, "demands": [*r["demands"][:keep], "国民の"], "declaration": [], "date": None,
              "cut_off": True, "year": None if "年度" in r["title"] else int(r["date"][:4])}
    return text, labels


# --- HTML and PDF -----------------------------------------------------------------------------


def _page_html(body: str, charset: str = "utf-8", style: str = "") -> str:
    return (f'<!doctype html><html lang="ja"><head><meta charset="{charset}">'
            f"<title>決議</title><style>body{{font-family:{FONT};}}{style}</style></head>"
            f"<body>{body}</body></html>")


def handout_html(r: Resolution) -> str:
    """The conference handout: 決議 page, 宣言 page, the publisher in every page's footer."""
    e = html.escape
    resolution = "".join(f"<p>\u3000{e(p)}</p>" for p in r["preamble"])
    resolution += "<p style='text-align:center'>記</p>"
    resolution += "".join(f"<p>一、{e(d)}</p>" for d in r["demands"])
    resolution += f"<p style='text-align:right'>{e(wareki(r['date']))}<br>{e(r['series'])}</p>"
    declaration = "".join(f"<p>\u3000{e(p)}</p>" for p in r["declaration"])
    style = ("@page{size:A4;margin:20mm;@bottom-center{content:'" + FOOTER + "';"
             "font-size:9pt}} .page{page-break-after:always} p{margin:0 0 .4em;font-size:12pt}"
             " h1{text-align:center;font-size:16pt}")
    body = (f"<div class='page'><h1>決　議</h1>{resolution}</div>"
            f"<div><h1>宣　言</h1>{declaration}</div>")
    return _page_html(body, style=style)


def vertical_html(r: Resolution) -> str:
    """The same handout set in vertical writing (縦書き)."""
    return handout_html(r).replace("body{", "body{writing-mode:vertical-rl;", 1)


def web_page(r: Resolution, *, charset: str = "utf-8", demands_in: str = "li") -> bytes:
    """A municipal site's news page: navigation, breadcrumbs, report prose, the resolution
    (demands in <li>, <p> or one long paragraph), an aside and a footer."""
    e = html.escape
    if demands_in == "li":
        demands = "<ol class='kessgi'>" + "".join(f"<li>{e(d)}</li>" for d in r["demands"])
        demands += "</ol>"
    elif demands_in == "p":
        demands = "".join(f"<p>一、{e(d)}</p>" for d in r["demands"])
    else:
        demands = "<p>" + "".join(f"一、{e(d)}" for d in r["demands"]) + "</p>"
    body = (
        "<header><div class='logo'>○○市国民健康保険</div></header>"
        "<nav class='gnav'><ul><li><a href='/'>トップ</a></li><li><a href='/kokuho'>国保"
        "</a></li><li>各種申請</li></ul></nav>"
        "<div class='breadcrumb'>トップ ＞ 健康・福祉 ＞ 国民健康保険 ＞ 全国大会の決議</div>"
        "<main><h1>全国大会で決議が採択されました</h1>"
        f"<p>{e(r['series'])}が開催され、市長が出席しました。大会では次の決議が採択されました"
        "。当日は多くの関係者が参加し、活発な意見交換が行われました。</p>"
        "<h2>決議</h2>" + "".join(f"<p>{e(p)}</p>" for p in r["preamble"]) + "<p>記</p>"
        + demands + f"<p>{e(wareki(r['date']))}<br>{e(r['series'])}</p>"
        "<h2>宣言</h2>" + "".join(f"<p>{e(p)}</p>" for p in r["declaration"])
        + "<div class='contact'><p>このページに関するお問い合わせは保険年金課までご連絡ください"
        "。</p></div></main>"
        "<aside class='sidebar'><h3>関連情報</h3><p>保険料の納付について。</p></aside>"
        "<footer>Copyright ○○市 All rights reserved.</footer>"
    )
    return _page_html(body, charset=charset).encode("cp932" if charset == "shift_jis"
                                                    else charset)


def chromium_pdf(page: str, workdir: Path, name: str = "page") -> bytes:
    """Print an HTML page to PDF with headless Chromium."""
    source = workdir / f"{name}.html"
    target = workdir / f"{name}.pdf"
    source.write_text(page, encoding="utf-8")
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={target}", source.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return target.read_bytes()


def soffice_pdf(data: bytes, workdir: Path, name: str = "doc") -> bytes:
    """Convert a .docx to PDF with LibreOffice (a private profile, so runs do not collide)."""
    source = workdir / f"{name}.docx"
    source.write_bytes(data)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=workdir))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(workdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return (workdir / f"{name}.pdf").read_bytes()


def encrypted_pdf(data: bytes, workdir: Path, password: str = "secret") -> bytes:
    """A .docx exported by LibreOffice as a password-protected PDF."""
    source = workdir / "locked.docx"
    source.write_bytes(data)
    outdir = workdir / "locked"
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=workdir))
    options = ('{"EncryptFile":{"type":"boolean","value":"true"},'
               f'"DocumentOpenPassword":{{"type":"string","value":"{password}"}}}}')
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         f"pdf:writer_pdf_Export:{options}", "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return (outdir / "locked.pdf").read_bytes()


def scanned_pdf(pdf: bytes, workdir: Path) -> bytes:
    """A PDF with no text layer: the first page rendered to an image (pdftoppm), printed."""
    source = workdir / "to-scan.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(workdir / "scan")], check=True, capture_output=True,
                   timeout=120)
    page = f"<img src='{(workdir / 'scan.png').as_uri()}' style='width:100%'>"
    return chromium_pdf(f"<!doctype html><html><body>{page}</body></html>", workdir, "scan")


# --- Word -------------------------------------------------------------------------------------


def word_file(r: Resolution, *, numbered: bool = True, table: bool = False) -> bytes:
    """A .docx as passed between offices: header and footer text, the demands as an
    automatically numbered list (no 「一、」 typed) or in a two-column table."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "○○県国保連合会 内部資料"
    section.footer.paragraphs[0].text = FOOTER + "　1"
    document.styles["Normal"].font.size = Pt(11)
    document.add_paragraph(r["title"])
    document.add_paragraph("決　議")
    for p in r["preamble"]:
        document.add_paragraph(f"\u3000{p}")
    document.add_paragraph("記")
    if table:
        grid = document.add_table(rows=len(r["demands"]), cols=1)
        for row, d in zip(grid.rows, r["demands"], strict=True):
            row.cells[0].text = f"一、{d}"
    else:
        for d in r["demands"]:
            if numbered:
                document.add_paragraph(d, style="List Number")
            else:
                document.add_paragraph(f"一、{d}")
    document.add_paragraph(wareki(r["date"]))
    document.add_paragraph(r["series"])
    document.add_paragraph("宣　言")
    for p in r["declaration"]:
        document.add_paragraph(f"\u3000{p}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


#: Text layouts: name → function of a resolution.
TEXT_LAYOUTS: dict[str, Callable[[Resolution], str]] = {
    "clean": clean_text,
    "one-paragraph newsletter": one_paragraph,
    "mid-line 一、": midline,
    "以上 endings": closing_words,
    "一． markers": fullstop_markers,
    "一. markers": lambda r: fullstop_markers(r, "一."),
    "hard wraps + page numbers": wrapped_pages,
}
