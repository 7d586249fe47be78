"""README.md stays true to the CLI: every command and option it documents exists, and the Quick start is two commands.

Docs that drift from the code are worse than none (sqlite-utils tests its docs against its commands the same way).
"""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from pipeline.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def cli_reference_rows() -> list[str]:
    """The usage cell of each row of the CLI reference table."""
    section = README.split("## CLI reference", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(councilplans [^`]+)` \|", section, flags=re.M)


def options_of(command: click.Command) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)}


def test_quick_start_is_two_commands():
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert len(commands) == 2, commands
    assert "councilplans extract" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_quick_start_tests():
    """TEST_COMMAND (what .ci/run executes) installs and runs what the Quick start's second command does."""
    test_command = re.search(r"^TEST_COMMAND: `(.*)`$", README, flags=re.M).group(1)
    assert "pip install -q -e '.[test,ocr,dask]'" in test_command and test_command.endswith("pytest -q")


@pytest.mark.parametrize("usage", cli_reference_rows())
def test_cli_reference_matches_commands(usage):
    words = usage.split()
    command = main.commands.get(words[1])
    assert command is not None, f"README documents a command that does not exist: {words[1]}"
    documented = set(re.findall(r"--?[a-z][a-z-]*", usage.split(" ", 2)[2] if len(words) > 2 else ""))
    missing = documented - options_of(command)
    assert not missing, f"{words[1]}: README documents options the command lacks: {sorted(missing)}"


def test_every_command_is_in_the_cli_reference():
    documented = {usage.split()[1] for usage in cli_reference_rows()}
    assert set(main.commands) <= documented, sorted(set(main.commands) - documented)
