"""The documentation names every command, and every command's help ends with an example."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from khaldun.cli import cli

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))])


def commands(group: click.Group, prefix: str = "khaldun") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found += commands(command, path)
    return found


@pytest.mark.parametrize("path,command", commands(cli), ids=lambda value: value if isinstance(value, str) else "")
def test_every_command_is_documented_with_an_example(path: str, command: click.Command) -> None:
    assert path in DOCS, f"{path!r} is in no README or docs/*.md page"
    if not isinstance(command, click.Group):
        assert "Example" in (command.help or ""), f"{path} --help has no example"
