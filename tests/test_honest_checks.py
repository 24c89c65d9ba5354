"""The suite cannot pass in CI by skipping: with ARCHIVE_TEST_REQUIRE_ALL=1 a missing real
component fails its test, and golden files cannot be rewritten there. Each case runs pytest on
a real test of this suite in a child process, with the environment CI would (not) have."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PG_TEST = "tests/test_store.py::test_db_commands[postgresql]"


def pytest_run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("ARCHIVE_TEST_POSTGRES_URL", "ARCHIVE_TEST_REQUIRE_ALL", "CI",
                          "UPDATE_GOLDEN", "UPDATE_SCREENSHOT")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp",
         str(tmp_path / "basetemp"), *args],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=300)


def test_postgresql_variant_is_skipped_with_a_reason_locally(tmp_path: Path) -> None:
    done = pytest_run(tmp_path, "-rs", PG_TEST)
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
    assert "PostgreSQL not available: set ARCHIVE_TEST_POSTGRES_URL" in done.stdout


def test_postgresql_variant_fails_when_everything_is_required(tmp_path: Path) -> None:
    done = pytest_run(tmp_path, PG_TEST, ARCHIVE_TEST_REQUIRE_ALL="1")
    assert done.returncode == 1, done.stdout
    assert "1 error" in done.stdout  # the fixture fails, so pytest counts an error
    assert "ARCHIVE_TEST_REQUIRE_ALL=1 makes it required" in done.stdout


def test_a_missing_program_fails_when_everything_is_required(tmp_path: Path) -> None:
    done = pytest_run(tmp_path, "tests/test_report_office.py", ARCHIVE_TEST_REQUIRE_ALL="1",
                      SOFFICE="", PATH=str(tmp_path))
    assert done.returncode == 1, done.stdout
    assert "LibreOffice (soffice) not available" in done.stdout


def golden_files() -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (ROOT / "tests" / "golden").rglob("*") if p.is_file()}


def test_update_golden_is_refused_in_ci(tmp_path: Path) -> None:
    golden = golden_files()
    for env in ({"CI": "true"}, {"ARCHIVE_TEST_REQUIRE_ALL": "1"}):
        done = pytest_run(tmp_path, "tests/test_report_golden.py", UPDATE_GOLDEN="1", **env)
        assert done.returncode == 4, done.stdout + done.stderr  # usage error: nothing ran
        assert "UPDATE_GOLDEN is refused in CI" in done.stderr
    assert golden_files() == golden
    done = pytest_run(tmp_path, "tests/test_report_golden.py", UPDATE_SCREENSHOT="1", CI="1")
    assert "UPDATE_SCREENSHOT is refused in CI" in done.stderr
