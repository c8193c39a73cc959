"""Flakes: a test that passed and failed on the same commit."""

from __future__ import annotations

from pathlib import Path

from repokit.monitoring.flakes import flakes, junit_files, read_run


def junit(path: Path, commit: str, failing: set[str]) -> None:
    cases = []
    for name in ("test_a", "test_b", "test_c"):
        failure = '<failure message="boom"/>' if name in failing else ""
        cases.append(f'<testcase classname="tests.test_x" name="{name}">{failure}</testcase>')
    properties = f'<properties><property name="commit" value="{commit}"/></properties>'
    suite = f'<testsuite name="pytest">{properties}{"".join(cases)}</testsuite>'
    path.write_text(f"<testsuites>{suite}</testsuites>")


def test_the_test_that_failed_once_in_ten_runs_is_named(tmp_path: Path) -> None:
    for run in range(10):
        junit(tmp_path / f"run{run}.xml", "abc123", {"test_b"} if run == 4 else set())
    junit(tmp_path / "other.xml", "def456", {"test_c"})  # failed on another commit only: no flake
    outcomes = [o for f in junit_files([tmp_path]) for o in read_run(f)]
    per_test, flaky, runs = flakes(outcomes)
    rates = {f.test: (f.flaky_failures, f.runs) for f in per_test}
    assert rates["tests.test_x::test_b"] == (1, 11)
    assert rates["tests.test_x::test_c"] == (0, 11)
    assert (flaky, runs) == (1, 33)
