"""Drift checks: every command is documented in the README and has help text."""

from __future__ import annotations

import click

from resolution_archive.cli import main
from tests.conftest import ROOT


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
