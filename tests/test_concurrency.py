"""Eight real processes importing and diffing at once against one archive, on each engine.

The archive starts empty, so the processes also race on creating the schema. Each process runs
the real CLI (`archive import`, `archive diff`) on an overlapping random subset of twelve
distinct texts in its own order. Afterwards: every year was imported exactly once (every other
attempt says "unchanged"), no other error, and the tables hold exactly one edition, revision,
source and two documents per year with the items the parser yields.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers_proc import check_archive, counts, run_concurrent

IMPORTED = re.compile(r"^(\d{4})-r1\.txt: imported (\d{4}) revision 1 — ")
UNCHANGED = re.compile(
    r"^(\d{4})-r1\.txt: (\d{4}) already in the archive with the same content \(revision 1\)")


def diff_engine_missing() -> str | None:
    try:
        from resolution_archive.diff import diff_items  # noqa: F401
    except ImportError as exc:
        return f"resolution_archive.diff.diff_items is not importable yet ({exc})"
    return None


@pytest.mark.slow
def test_eight_processes_import_and_diff(db_url: str, tmp_path: Path) -> None:
    from resolution_archive.importer import prepare

    missing = diff_engine_missing()
    run = run_concurrent(db_url, tmp_path, processes=8, years=12, per_process=9, seed=20241115,
                         diffs=0 if missing else 1)
    assert run["crashes"] == []
    records = run["records"]
    assert all(r.get("exception") is None for r in records), records

    imports = [r for r in records if r["cmd"] == "import"]
    assert len(imports) == 16
    attempts: Counter[int] = Counter()
    landed: Counter[int] = Counter()
    unchanged: Counter[int] = Counter()
    for record in imports:
        assert record["exit"] == 0, record["stderr"]
        assert record["stderr"] == ""
        lines = record["stdout"].splitlines()
        assert len(lines) == len(record["files"])
        for name in record["files"]:
            attempts[int(Path(name).name[:4])] += 1
        for line in lines:
            if m := IMPORTED.match(line):
                landed[int(m.group(2))] += 1
            elif m := UNCHANGED.match(line):
                unchanged[int(m.group(2))] += 1
            else:
                pytest.fail(f"unexpected outcome line: {line}")
    years = sorted(attempts)
    assert sum(attempts.values()) == 8 * 9
    assert all(landed[y] == 1 for y in years), landed  # every import landed exactly once
    assert all(landed[y] + unchanged[y] == attempts[y] for y in years)

    parsed = {int(p.name[:4]): prepare(p.read_bytes(), p.name).document for p in run["paths"]}
    n = len(years)
    items = sum(len(parsed[y].demands) + len(parsed[y].declaration) for y in years)
    assert counts(db_url) == {"series": 1, "edition": n, "revision": n, "source": n,
                              "document": 2 * n, "item": items}
    assert check_archive(db_url) == []

    if missing:
        pytest.skip(f"imports checked; diff part skipped: {missing}")
    diffs = [r for r in records if r["cmd"].startswith("diff")]
    assert len(diffs) == 8
    for record in diffs:
        assert record["exit"] == 0, record["stderr"]
        if record["cmd"] == "diff-cli":
            old, new = (int(y) for y in record["years"])
            data = json.loads(record["stdout"])
            assert (data["from"]["year"], data["to"]["year"]) == (old, new)
            olds = sorted(i for c in data["changes"] for i in c["old"])
            news = sorted(j for c in data["changes"] for j in c["new"])
            assert olds == list(range(1, len(parsed[old].demands) + 1))
            assert news == list(range(1, len(parsed[new].demands) + 1))
