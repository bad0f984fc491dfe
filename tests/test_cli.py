"""The `pakn` command line, run as a newcomer would."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.commands import TOKEN_HELP
from tests.cli_helpers import run_pakn
from tests.constants import TEST_DIRECTORY


@pytest.mark.slow  # runs `pakn` in a new process
def test_missing_token_is_one_clear_line_without_traceback(tmp_path: Path) -> None:
    result = run_pakn("run", cwd=tmp_path, env={})
    assert result.returncode == 2
    assert result.stderr.strip() == f"pakn: {TOKEN_HELP}"
    assert "@BotFather" in result.stderr and ".env" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # runs `pakn` in a new process
def test_directory_check_accepts_the_sample_and_refuses_a_bad_file(tmp_path: Path) -> None:
    assert main(["directory", "check", str(TEST_DIRECTORY)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(TEST_DIRECTORY.read_text(encoding="utf-8").replace("route: SO-XD}", "route: SO-XXX}", 1))
    result = run_pakn("directory", "check", str(bad), cwd=tmp_path, env={})
    assert result.returncode == 1
    assert "(giao-thong).route" in result.stderr and "'SO-XXX'" in result.stderr


@pytest.mark.slow  # runs `pakn` in a new process
def test_bind_code_migrates_a_fresh_sqlite_file_and_prints_a_code(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DIRECTORY_FILE": str(TEST_DIRECTORY),
    }
    result = run_pakn("agency", "bind-code", "SO-NNMT", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "/bind " in result.stdout
    unknown = run_pakn("agency", "bind-code", "SO-KHONG-CO", cwd=tmp_path, env=env)
    assert unknown.returncode == 2 and "unknown agency code" in unknown.stderr


@pytest.mark.slow  # runs `pakn` in a new process
def test_agency_unbind_and_replacing_codes(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DIRECTORY_FILE": str(TEST_DIRECTORY),
    }
    replacing = run_pakn("agency", "bind-code", "SO-YT", "--replace", cwd=tmp_path, env=env)
    assert replacing.returncode == 0 and "/bind " in replacing.stdout, replacing.stderr
    not_bound = run_pakn("agency", "unbind", "SO-YT", cwd=tmp_path, env=env)
    assert not_bound.returncode == 2 and "has no group bound with /bind" in not_bound.stderr
    unknown = run_pakn("agency", "unbind", "SO-KHONG-CO", cwd=tmp_path, env=env)
    assert unknown.returncode == 2 and "unknown agency code" in unknown.stderr


@pytest.mark.slow  # runs `pakn` in a new process
def test_export_of_unknown_code_is_a_clear_error(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DIRECTORY_FILE": str(TEST_DIRECTORY),
    }
    assert run_pakn("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    result = run_pakn("item", "export", "PA-ZZZZZZ", cwd=tmp_path, env=env)
    assert result.returncode == 2 and "no item has the code" in result.stderr


@pytest.mark.parametrize("argv", [[], ["directory"]])
def test_no_command_prints_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: pakn" in capsys.readouterr().out
