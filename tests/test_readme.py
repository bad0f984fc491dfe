"""The README stays true: its two commands are the ones CI runs, and it documents every setting."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def environment_names() -> list[str]:
    """Return every environment variable the settings read."""
    return [name.upper() for name in Settings.model_fields]


def test_the_readme_names_every_environment_variable() -> None:
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", README))
    assert [name for name in environment_names() if name not in documented] == []


def test_env_example_names_every_environment_variable() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert [name for name in environment_names() if not re.search(rf"\b{name}=", example)] == []


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    commands = re.findall(r"```bash\n(.+?)\n```", README)
    run_command, test_command = commands[0], commands[1]
    assert run_command.endswith("&& .venv/bin/pakn run") and "-c constraints.txt" in run_command
    assert test_command.endswith("&& .venv/bin/python -m pytest")
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
