"""Drift checks: every command is documented in the README and has help text, and the README's
session prints what it shows."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from resolution_archive.cli import main
from tests.conftest import ROOT, Cli


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"`archive {prefix}{name}` is listed but cannot be loaded"
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += all_commands(command, f"{prefix}{name} ")
    return found


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = all_commands(main)
    assert {"import", "list", "show", "diff", "export", "dump", "restore", "verify"} <= {
        name for name, _ in commands}
    for name, command in commands:
        assert (command.help or "").strip(), f"`archive {name}` has no help text"
        top = name.split()[0]
        assert f"`archive {top}" in readme, f"`archive {top}` is not in README.md"


def test_readme_names_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "./scripts/demo.sh" in readme and "./scripts/test.sh" in readme
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "bash scripts/test.sh" in ci


def readme_session() -> list[tuple[list[str], list[str]]]:
    """(argv after `archive`, shown output lines) for each `$ archive …` of the README session."""
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("## A session", 1)[1].split("```\n", 2)[1]
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:].split(), []))
        elif steps:
            steps[-1][1].append(line)
    return [(argv[1:], shown) for argv, shown in steps if argv[0] == "archive"]


def test_readme_session_runs_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each command of the README session, run on a fresh archive from the checkout, prints what
    the README shows. `…` stands for omitted text; a line that is only `…` ends the comparison
    for that command."""
    monkeypatch.chdir(ROOT)
    cli = Cli(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    steps = readme_session()
    assert [argv[0] for argv, _ in steps] == ["import", "list", "diff", "export"]
    for argv, shown in steps:
        if argv[0] == "export":
            monkeypatch.chdir(tmp_path)  # it writes into the current folder
        result = cli(*argv)
        assert result.exit_code == 0, result.output
        actual = result.output.splitlines()
        shown = [line for line in shown if line.strip()] if argv[0] != "diff" else shown
        while shown and not shown[-1].strip():
            shown.pop()
        for i, expected in enumerate(shown):
            if expected == "…":
                break
            pattern = ".*".join(re.escape(part) for part in expected.split("…"))
            assert i < len(actual) and re.fullmatch(pattern, actual[i]), (
                f"archive {' '.join(argv)}: line {i + 1} is {actual[i:i + 1]}, README shows "
                f"{expected!r}")
        else:
            assert len(actual) == len(shown), f"archive {' '.join(argv)} prints more lines"
