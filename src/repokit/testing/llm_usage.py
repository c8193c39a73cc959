"""The ``llm_usage`` fixture: count the LLM calls and tokens of a test run.

The LLM test modes (:mod:`repokit.testing.llm_plugin`) record the usage each answer
reports; tests, or a project's LLM client wrapper, may add their own with
``llm_usage.record(provider, model, input_tokens, output_tokens)``. At the end of the
session the counts are written to ``test-reports/llm-usage.json`` (ini option
``llm_usage_report`` or ``--llm-usage-report``), per provider and model, with the LLM mode
of the run. Under pytest-xdist each worker sends its counts to the controller, which
writes the merged file. Nothing is written when nothing was recorded.

``--llm-budget USD`` prices the report once it is written and fails the run (exit 1) when
a real run cost more.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

SCHEMA = 1
_KEY = pytest.StashKey["LLMUsage"]()
_VERDICT = pytest.StashKey[str]()


class LLMUsage:
    """Counts per (provider, model): calls, input tokens, output tokens."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], list[int]] = {}
        #: The LLM mode that produced the traffic ("mock", "cached", "real"), when known.
        self.mode: str | None = None
        self._lock = threading.Lock()

    def record(
        self,
        provider: str,
        model: str,
        input_tokens: int = 0,
        output_tokens: int = 0,
        calls: int = 1,
    ) -> None:
        if min(input_tokens, output_tokens, calls) < 0:
            raise ValueError("LLM usage counts cannot be negative")
        with self._lock:
            entry = self.counts.setdefault((provider, model), [0, 0, 0])
            entry[0] += calls
            entry[1] += input_tokens
            entry[2] += output_tokens

    def merge(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.record(
                row["provider"],
                row["model"],
                row["input_tokens"],
                row["output_tokens"],
                row["calls"],
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"provider": p, "model": m, "calls": c, "input_tokens": i, "output_tokens": o}
            for (p, m), (c, i, o) in sorted(self.counts.items())
        ]

    def report(self) -> dict[str, Any]:
        rows = self.rows()
        totals = {k: sum(r[k] for r in rows) for k in ("calls", "input_tokens", "output_tokens")}
        report: dict[str, Any] = {"schema": SCHEMA}
        if self.mode:
            report["mode"] = self.mode
        return {**report, "usage": rows, "totals": totals}


def usage_of_run(config: pytest.Config) -> LLMUsage:
    """The run's recorder (made on first use, whichever plugin asks first)."""
    usage = config.stash.get(_KEY, None)
    if usage is None:
        usage = config.stash[_KEY] = LLMUsage()
    return usage


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "llm_usage_report",
        "where llm_usage writes its report",
        default="test-reports/llm-usage.json",
    )
    parser.addoption("--llm-usage-report", default=None, help="where llm_usage writes its report")
    parser.addoption(
        "--llm-budget",
        type=float,
        default=None,
        metavar="USD",
        help="fail the run (after the report is written) when a real run's LLM calls cost more",
    )


def pytest_configure(config: pytest.Config) -> None:
    usage_of_run(config)
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistMerge(config), "repokit-llm-usage-xdist")


class _XdistMerge:
    """On the controller: fold each worker's counts in as the worker finishes."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        rows = getattr(node, "workeroutput", {}).get("repokit_llm_usage")
        if rows:
            self.config.stash[_KEY].merge(rows)


@pytest.fixture(scope="session")
def llm_usage(pytestconfig: pytest.Config) -> LLMUsage:
    """The session's LLM usage recorder: ``llm_usage.record(provider, model, in, out)``."""
    return pytestconfig.stash[_KEY]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    usage = config.stash.get(_KEY, None)
    if usage is None:
        return
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # a worker: the controller writes the file
        workeroutput["repokit_llm_usage"] = usage.rows()
        return
    if not usage.counts:
        return
    target = config.getoption("--llm-usage-report") or config.getini("llm_usage_report")
    path = Path(str(target))
    if not path.is_absolute():
        path = Path(str(config.rootpath)) / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(usage.report(), indent=2) + "\n", encoding="utf-8")
    budget = config.getoption("--llm-budget")
    if budget is not None:
        from repokit.testing.llm.budget import check

        verdict = check(usage, path, budget, config.rootpath)
        config.stash[_VERDICT] = verdict.line
        if verdict.over:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    line = config.stash.get(_VERDICT, None)
    if line:
        terminalreporter.write_line(line)
