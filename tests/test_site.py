"""`archive site OUTDIR` end to end: the files it writes, rebuilds that touch only what changed,
refusals that leave the archive and the folder as they were, hostile text kept as text, and the
127.0.0.1 preview server. The pages in a real browser are tested in test_site_browser.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape

from resolution_archive.site.model import source_name, thread_dir
from resolution_archive.site.output import MANIFEST, write_site
from resolution_archive.site.progress import TerminalProgress
from resolution_archive.site.serve import make_server, url_of
from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, ROOT, SEED, Cli, snapshot

BUNDLED = (SEED, EXAMPLE_2023, EXAMPLE_2022)
SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_NAME = '"><img src=x onerror=alert(2)>.txt'


def hostile_text() -> bytes:
    """The 2024 text as a 2025 one whose demands and declaration carry markup."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("令和6年１１月１5日", "令和7年11月14日")
    text = text.replace(
        "一、国民健康保険組合の健全な運営を確保すること。",
        f"一、{SCRIPT}を廃止すること。\n一、{IMG}の財源を確保すること。",
    )
    text = text.replace("我々国保関係者は", f"我々国保関係者は{SCRIPT}", 1)
    return text.encode("utf-8")


def import_ok(cli: Cli, *paths: Path) -> None:
    result = cli("import", *map(str, paths))
    assert result.exit_code == 0, result.output


def build(cli: Cli, outdir: Path, *args: str) -> str:
    result = cli("site", str(outdir), *args)
    assert result.exit_code == 0, result.output
    return result.output


def manifest(outdir: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))["files"]
    return data


def written(output: str) -> int:
    match = re.search(r"(\d+) files? written, (\d+) unchanged, (\d+) removed", output)
    assert match, output
    return int(match.group(1))


@pytest.fixture
def bundled(cli: Cli) -> Cli:
    import_ok(cli, *BUNDLED)
    return cli


def test_site_of_the_bundled_years(bundled: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    output = build(bundled, out)
    assert "3 years, 2 comparisons" in output and "0 removed" in output
    files = manifest(out)
    for page in ("index.html", "2022/index.html", "2023/index.html", "2024/index.html",
                 "2022-2023/index.html", "2023-2024/index.html", "assets/site.css",
                 "assets/search.js", "assets/search-index.js"):
        assert page in files and (out / page).is_file()
    threads = [name for name in files if name.startswith("thread/")]
    assert "thread/2022-1/index.html" in threads and len(threads) >= 13
    for name, digest in files.items():  # the manifest tells the truth about every file
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    # the original bytes, downloadable, identical to what was imported (2022 is Shift_JIS)
    for path in BUNDLED:
        year = path.stem
        assert (out / year / "source" / "r1" / path.name).read_bytes() == path.read_bytes()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in home and "例示" in home and "公式" in home
    assert 'href="2023-2024/index.html"' in home and 'href="thread/2022-1/index.html"' in home
    year = (out / "2024" / "index.html").read_text(encoding="utf-8")
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() in year
    assert 'href="../2024/source/r1/2024.txt"' in year and 'href="../2023-2024/index.html"' in year
    assert "子ども・子育て支援金制度" in year
    pair = (out / "2023-2024" / "index.html").read_text(encoding="utf-8")
    assert "改正後（2024年）" in pair and 'href="../2023/index.html"' in pair
    assert "公立病院等の医療提供体制" in pair
    # nothing in any page points off the site
    for name in files:
        if name.endswith((".html", ".css", ".js")):
            text = (out / name).read_text(encoding="utf-8")
            assert not re.search(r"(?:src|href)=\"(?:https?:)?//", text), name
            assert "@import" not in text and "url(http" not in text, name


def test_pair_page_shows_the_same_table_as_the_html_export(bundled: Cli, tmp_path: Path) -> None:
    build(bundled, tmp_path / "site")
    exported = bundled("export", "2023", "2024", "--format", "html", "-o", "-")
    assert exported.exit_code == 0

    def tables(text: str) -> list[str]:
        return re.findall(r'<table class="taisho">.*?</table>', text, flags=re.S)

    page = (tmp_path / "site" / "2023-2024" / "index.html").read_text(encoding="utf-8")
    assert tables(page) and tables(page) == tables(exported.output)


def test_search_index_names_year_and_thread_pages(bundled: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(bundled, out)
    script = (out / "assets" / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.ARCHIVE_SEARCH_INDEX = "
    assert script.startswith(prefix) and script.endswith(";\n")
    entries = json.loads(script[len(prefix):-2])["entries"]
    hits = [e for e in entries if "子育て" in e["f"]]
    assert [(e["y"], e["k"], e["n"]) for e in hits] == [(2024, "d", 7)]
    assert hits[0]["u"] == "2024/index.html#d-7"
    assert (out / hits[0]["h"]).is_file() and hits[0]["h"].startswith("thread/")
    assert 'id="d-7"' in (out / "2024" / "index.html").read_text(encoding="utf-8")
    # the comparison form, so ＫＤＢ in the text is found as KDB
    assert any("KDB" in e["f"] and "ＫＤＢ" in e["t"] for e in entries)


def test_rebuild_without_changes_writes_nothing(bundled: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(bundled, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    output = build(bundled, out)
    assert written(output) == 0 and " 0 removed" in output
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != MANIFEST}
    assert all(before[p] == mtime for p, mtime in after.items())


def test_rebuild_after_one_import_rewrites_only_what_changed(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    import_ok(cli, EXAMPLE_2022, EXAMPLE_2023)
    build(cli, out)
    first = manifest(out)
    import_ok(cli, SEED)
    output = build(cli, out)
    second = manifest(out)
    changed = {name for name in second if first.get(name) != second[name]}
    assert written(output) == len(changed)
    new = {"2024/index.html", "2023-2024/index.html", "2024/source/r1/2024.txt"}
    assert new <= changed
    # the home page, the index and 2023 (which now links on to 2024) change ...
    assert {"index.html", "assets/search-index.js", "2023/index.html"} <= changed
    # ... while 2022, the old comparison and the static assets are left alone
    for same in ("2022/index.html", "2022-2023/index.html", "assets/site.css",
                 "assets/search.js", "2022/source/r1/2022.txt"):
        assert same not in changed
    # a thread that had already ended (dropped before 2023) keeps its page byte for byte
    ended = [name for name in first if name.startswith("thread/")
             and "2022年まで（以後削除）" in (out / name).read_text(encoding="utf-8")]
    assert ended and not set(ended) & changed
    assert set(first) <= set(second)  # URLs stay: nothing that existed was removed


def test_rebuild_removes_pages_that_are_gone(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    import_ok(cli, *BUNDLED)
    build(cli, out)
    other = Cli(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    import_ok(other, SEED, EXAMPLE_2023)
    output = build(other, out)
    assert not (out / "2022").exists() and not (out / "2022-2023").exists()
    assert re.search(r"[1-9]\d* removed", output)
    assert set(manifest(out)) == {str(p.relative_to(out)) for p in out.rglob("*")
                                  if p.is_file() and p.name != MANIFEST}


def test_hostile_text_is_shown_as_text_on_every_page(bundled: Cli, tmp_path: Path) -> None:
    source = tmp_path / HOSTILE_NAME
    source.write_bytes(hostile_text())
    import_ok(bundled, source)
    out = tmp_path / "site"
    build(bundled, out)
    pages = [name for name in manifest(out) if name.endswith(".html")]
    shown_in = set()
    for name in pages:
        text = (out / name).read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, name
        if escape("<script>") in text or escape('"><img') in text:
            shown_in.add(name)
    assert {"2025/index.html", "2024-2025/index.html", "index.html"} <= shown_in
    assert any(name.startswith("thread/") for name in shown_in)
    # the file name becomes a safe download path; the page still shows the name as imported
    safe = source_name(HOSTILE_NAME)
    assert "/" not in safe and "<" not in safe and '"' not in safe
    assert (out / "2025" / "source" / "r1" / safe).read_bytes() == hostile_text()
    year = (out / "2025" / "index.html").read_text(encoding="utf-8")
    assert escape(HOSTILE_NAME) in year
    # the index is JavaScript, not HTML: it keeps the text as it is, for textContent to show
    assert SCRIPT in (out / "assets" / "search-index.js").read_text(encoding="utf-8")


def test_outdir_that_is_not_a_site_is_refused(bundled: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")
    before = snapshot(bundled.url)
    result = bundled("site", str(folder))
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {folder} is not empty and holds no site built by "
                                     "`archive site`; give a new or empty folder (nothing was "
                                     "written)")
    assert [p.name for p in folder.iterdir()] == ["letter.txt"]
    assert snapshot(bundled.url) == before


def test_outdir_that_is_a_file_is_refused(bundled: Cli, tmp_path: Path) -> None:
    target = tmp_path / "site.html"
    target.write_text("x")
    result = bundled("site", str(target))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {target} is a file, not a folder;")
    assert target.read_text() == "x"


def test_unknown_series_and_empty_archive(cli: Cli, tmp_path: Path) -> None:
    result = cli("site", str(tmp_path / "a"))
    # a reading command never creates an archive: on SQLite the file is missing, on PostgreSQL
    # the (empty) database has no series yet
    expected = "no archive at" if cli.url.startswith("sqlite") else "is not in the archive"
    assert result.exit_code == 1 and expected in result.output, result.output
    assert not (tmp_path / "a").exists()
    import_ok(cli, SEED)
    before = snapshot(cli.url)
    result = cli("site", str(tmp_path / "b"), "--series", "nosuch")
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: series 'nosuch' is not in the archive "
                                     "(series: kokuho-taikai)")
    assert snapshot(cli.url) == before
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())


def test_wrong_arguments_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    assert cli("site").exit_code == 2
    assert cli("site", str(tmp_path / "x"), "--port", "99999").exit_code == 2


def test_damaged_manifest_is_reported(bundled: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(bundled, out)
    (out / MANIFEST).write_text("{not json")
    result = bundled("site", str(out))
    assert result.exit_code == 1 and "is damaged" in result.output
    assert (out / MANIFEST).read_text() == "{not json"


def test_two_builds_are_byte_identical(bundled: Cli, tmp_path: Path) -> None:
    build(bundled, tmp_path / "a")
    build(bundled, tmp_path / "b")
    a, b = manifest(tmp_path / "a"), manifest(tmp_path / "b")
    assert a == b


def test_write_site_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    for name in ("../escape.html", "/etc/passwd", "a/../../b", MANIFEST, ""):
        with pytest.raises(ValueError):
            write_site(tmp_path / "out", {name: b"x"})
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "out").exists()


def test_thread_dir_names() -> None:
    assert thread_dir("2022:7") == "thread/2022-7"
    with pytest.raises(ValueError):
        thread_dir("宣言2022:3")
    assert source_name("C:\\Users\\x\\令和6年 決議.txt") == "令和6年_決議.txt"
    assert source_name("..") == "source.txt" and source_name(".hidden") == "hidden"


def test_progress_is_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.stage("rendering", 3)
    progress.advance(3)
    progress.close()
    assert stream.getvalue() == ""


# --- preview server ----------------------------------------------------------------------------


@pytest.fixture
def served(bundled: Cli, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    out = tmp_path / "site"
    build(bundled, out)
    server = make_server(out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url_of(server), out
    finally:
        server.shutdown()
        server.server_close()


def test_preview_server_is_loopback_only(served: tuple[str, Path]) -> None:
    url, out = served
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(url + "2024/index.html") as response:
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.read() == (out / "2024" / "index.html").read_bytes()
    with urllib.request.urlopen(url + "assets/search.js") as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(url + "../../etc/passwd")
    assert missing.value.code == 404


def test_port_in_use_is_reported(served: tuple[str, Path], bundled: Cli, tmp_path: Path) -> None:
    port = served[0].rstrip("/").rsplit(":", 1)[1]
    result = bundled("site", str(tmp_path / "site2"), "--serve", "--port", port)
    assert result.exit_code == 1
    assert f"Error: cannot serve on 127.0.0.1:{port}:" in result.output
    assert "--port" in result.output


def test_cli_serve_runs_until_interrupted(bundled: Cli, tmp_path: Path) -> None:
    """The real command in a child process: it prints the URL, serves, and stops on SIGINT."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "resolution_archive", "--db", bundled.url, "site",
         str(tmp_path / "site"), "--serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(2)]
        match = re.match(r"serving (http://127\.0\.0\.1:\d+/) ", lines[1])
        assert match, lines
        with urllib.request.urlopen(match.group(1)) as response:
            assert "決議・宣言アーカイブ" in response.read().decode("utf-8")
    finally:
        process.send_signal(2)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopped" in out and err == ""


def test_reviewer_decisions_on_thread_and_pair_pages(bundled: Cli, tmp_path: Path) -> None:
    note = "支援金は少子化対策の財源確保の後継 <b>確認</b>"
    assert bundled("link", "2023:8", "2024:7", "--as", "reworded", "--note", note,
                   "--by", "山田").exit_code == 0
    assert bundled("unlink", "2023:13", "2024:11", "--note", "別の要望", "--by", "佐藤"
                   ).exit_code == 0
    out = tmp_path / "site"
    build(bundled, out)
    linked = (out / "thread" / "2023-8" / "index.html").read_text(encoding="utf-8")
    decisions = linked.split('<section id="decisions">', 1)[1].split("</section>", 1)[0]
    assert "同じ要望として結びつける（変更）" in decisions and "山田" in decisions
    assert str(escape(note)) in decisions
    assert 'href="../../2023/index.html#d-8"' in decisions
    assert "確認済み" in linked.split('<section id="versions"', 1)[1].split("</section>", 1)[0]
    # the unlinked demand starts a thread of its own; both threads show the decision
    assert (out / "thread" / "2024-11" / "index.html").is_file()
    for thread in ("2022-11", "2024-11"):
        page = (out / "thread" / thread / "index.html").read_text(encoding="utf-8")
        assert "別の要望として切り離す" in page and "佐藤" in page
    unrelated = (out / "thread" / "2022-1" / "index.html").read_text(encoding="utf-8")
    assert "この要望について記録された判断はありません" in unrelated
    # the 新旧対照表 applies the decisions exactly as `archive export` does
    pair = (out / "2023-2024" / "index.html").read_text(encoding="utf-8")
    exported = bundled("export", "2023", "2024", "--format", "html", "-o", "-").output
    assert "確認済み" in pair
    tables = re.compile(r'<table class="taisho">.*?</table>', flags=re.S)
    assert tables.findall(pair) == tables.findall(exported)


def test_year_with_two_revisions_offers_both_sources(bundled: Cli, tmp_path: Path) -> None:
    revised = tmp_path / "2024-revised.txt"
    text = SEED.read_text(encoding="utf-8").replace(
        "国民健康保険組合の健全な運営を確保すること。",
        "国民健康保険組合の健全な運営を確保し、支援を講じること。")
    revised.write_bytes(text.encode("utf-8"))
    assert bundled("import", str(revised), "--revise").exit_code == 0
    out = tmp_path / "site"
    build(bundled, out)
    page = (out / "2024" / "index.html").read_text(encoding="utf-8")
    assert "第2版（全2版）" in page and "支援を講じること。" in page
    assert (out / "2024" / "source" / "r1" / "2024.txt").read_bytes() == SEED.read_bytes()
    assert (out / "2024" / "source" / "r2" / "2024-revised.txt").read_bytes() == \
        revised.read_bytes()
    assert 'href="../2024/source/r1/2024.txt"' in page
    assert hashlib.sha256(revised.read_bytes()).hexdigest() in page


def test_read_only_archive_still_builds(bundled: Cli, tmp_path: Path) -> None:
    if not bundled.url.startswith("sqlite"):
        pytest.skip("a read-only URL is an SQLite feature")
    path = bundled.url.removeprefix("sqlite:///")
    bundled("list")  # the archive exists and is migrated
    before = snapshot(bundled.url)
    read_only = Cli(f"sqlite:///file:{path}?mode=ro&uri=true")
    output = build(read_only, tmp_path / "site")
    assert "3 years" in output
    assert snapshot(bundled.url) == before
