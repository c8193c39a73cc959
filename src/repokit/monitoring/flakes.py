"""Flaky tests: from JUnit XML of several runs, the tests that both passed and failed on a commit.

Each XML file is one run. Its commit is the testsuite property ``commit`` (pytest:
``-o junit_suite_name=...`` plus a ``record_testsuite_property("commit", sha)`` fixture, or
any tool that writes properties), else the ``--commit`` given for the run, else the file's
own name up to the first ``--`` (``<sha>--run3.xml``). A test's flake rate is the share of
its runs that failed on commits where it also passed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from repokit.monitoring.inputs import InputError


@dataclass(frozen=True)
class Outcome:
    test: str
    commit: str
    passed: bool


@dataclass(frozen=True)
class Flake:
    test: str
    runs: int
    flaky_failures: int

    @property
    def rate(self) -> float:
        return self.flaky_failures / self.runs if self.runs else 0.0


def junit_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.xml"))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(
                f"{path}: no such file or folder", hint="give JUnit XML files or a folder"
            )
    if not files:
        raise InputError("no JUnit XML files found", hint="run pytest with --junit-xml=...")
    return files


def read_run(path: Path, commit: str | None = None) -> list[Outcome]:
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - the project's own test reports
    except ET.ParseError as error:
        raise InputError(
            f"{path}: not XML ({error})", hint="give pytest's --junit-xml output"
        ) from None
    prop = root.find(".//properties/property[@name='commit']")
    run_commit = (
        (prop.get("value") if prop is not None else None) or commit or path.stem.split("--")[0]
    )
    outcomes = []
    for case in root.iter("testcase"):
        if case.find("skipped") is not None:
            continue
        failed = case.find("failure") is not None or case.find("error") is not None
        name = "::".join(p for p in (case.get("classname"), case.get("name")) if p)
        outcomes.append(Outcome(name, run_commit, not failed))
    return outcomes


def flakes(outcomes: list[Outcome]) -> tuple[list[Flake], int, int]:
    """(per-test flakes, flaky failures in all, runs of tests in all)."""
    by_test: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for outcome in outcomes:
        by_test[outcome.test][outcome.commit].append(outcome.passed)
    result = []
    for test, commits in sorted(by_test.items()):
        runs = sum(len(results) for results in commits.values())
        flaky = sum(
            results.count(False)
            for results in commits.values()
            if True in results and False in results
        )
        result.append(Flake(test, runs, flaky))
    total_runs = sum(f.runs for f in result)
    return result, sum(f.flaky_failures for f in result), total_runs
