"""The llm_usage fixture writes the run's usage, also when pytest-xdist splits the run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = """\
import pytest

@pytest.mark.parametrize("n", range(6))
def test_calls(llm_usage, n):
    llm_usage.record("openai", "gpt-4o", input_tokens=100, output_tokens=10)
    if n % 2:
        llm_usage.record("groq", "llama-3.1-8b-instant", 50, 5)
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_usage_is_counted_and_merged(tmp_path: Path, workers: list[str]) -> None:
    (tmp_path / "test_llm.py").write_text(TESTS)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *workers],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    report = json.loads((tmp_path / "test-reports" / "llm-usage.json").read_text())
    assert report["usage"] == [
        {
            "provider": "groq",
            "model": "llama-3.1-8b-instant",
            "calls": 3,
            "input_tokens": 150,
            "output_tokens": 15,
        },
        {
            "provider": "openai",
            "model": "gpt-4o",
            "calls": 6,
            "input_tokens": 600,
            "output_tokens": 60,
        },
    ]
    assert report["totals"]["calls"] == 9


def test_nothing_is_written_when_nothing_was_recorded(tmp_path: Path) -> None:
    (tmp_path / "test_plain.py").write_text("def test_nothing():\n    assert True\n")
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert not (tmp_path / "test-reports").exists()


LIGHT = """\
import json, sys

HEAVY = ("vcr", "httpx", "httpx2", "openai", "anthropic", "yaml", "repokit.testing.llm.emulator",
         "repokit.testing.llm.cassettes", "repokit.monitoring.costs", "genai_prices", "github")

def pytest_collection_finish(session):
    with open("imported.json", "w") as out:
        json.dump([name for name in HEAVY if name in sys.modules], out)
"""


@pytest.mark.parametrize("mode", ["cached", "mock", "real"])
def test_the_plugin_imports_nothing_heavy_before_the_tests_run(tmp_path: Path, mode: str) -> None:
    """The plugin is in every pytest run of a project that installs repokit."""
    (tmp_path / "conftest.py").write_text(LIGHT)
    (tmp_path / "test_plain.py").write_text("def test_nothing():\n    assert True\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--llm-mode", mode],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # the mock mode starts its emulator (standard library only) before the tests are imported
    expected = ["repokit.testing.llm.emulator"] if mode == "mock" else []
    assert json.loads((tmp_path / "imported.json").read_text()) == expected
