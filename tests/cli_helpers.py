"""Run the `pakn` command line in a clean environment, as a newcomer would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.constants import ROOT


def run_pakn(*arguments: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the console script's module with only the given environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
