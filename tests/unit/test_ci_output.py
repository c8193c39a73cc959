"""What ``inv ci`` prints: a line per job and step state change, heartbeats, the summary."""

from __future__ import annotations

import io
from pathlib import Path

from repokit.ci.cells import fit, width, wrap
from repokit.ci.output import TAIL_LINES, Printer, elapsed
from repokit.ci.plan import JobResult
from repokit.ci.summary import COLUMNS, Section, summary


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def printer(verbose: bool = False) -> tuple[Printer, list[str], Clock]:
    lines: list[str] = []
    clock = Clock()
    return Printer(lines.append, ("s3cret-token",), verbose=verbose, clock=clock), lines, clock


def test_a_passing_step_shows_its_start_and_end_and_none_of_its_output() -> None:
    shown, lines, clock = printer()
    shown.step_started("tests", "Run pytest")
    shown.step_output("tests", "collected 250 items")
    clock.now += 12.4
    assert shown.step_finished("tests", "success") == "Run pytest: passed (12s)"
    assert lines == ["[tests] step Run pytest", "[tests] Run pytest: passed (12s)"]


def test_a_failed_step_shows_its_last_lines_masked_and_its_exit_code() -> None:
    shown, lines, clock = printer()
    shown.step_started("tests", "Run pytest")
    for number in range(TAIL_LINES + 20):
        shown.step_output("tests", f"line {number} s3cret-token")
    shown.step_exit("tests", 2)
    clock.now += 130
    shown.step_finished("tests", "failure")
    assert lines[1] == (
        "[tests] Run pytest: failed (exit 2, 2m10s); its last 50 line(s) (all of them in the log):"
    )
    assert lines[2:] == [f"[tests] line {n} ***" for n in range(20, TAIL_LINES + 20)]


def test_verbose_shows_each_output_line_as_it_comes_and_no_tail() -> None:
    shown, lines, _ = printer(verbose=True)
    shown.step_started("lint", "ruff")
    shown.step_output("lint", "x.py:1: E501 s3cret-token")
    shown.step_finished("lint", "failure")
    assert lines == ["[lint] step ruff", "[lint] x.py:1: E501 ***", "[lint] ruff: failed (0s)"]


def test_a_silent_step_gets_a_heartbeat_every_30_seconds() -> None:
    shown, lines, clock = printer()
    shown.step_started("tests", "Run pytest")
    clock.now += 29
    shown.tick()
    assert lines == ["[tests] step Run pytest"]
    clock.now += 1
    shown.tick()
    clock.now += 100
    shown.tick()
    assert lines[1:] == [
        "[tests] Run pytest: still running, 30s",
        "[tests] Run pytest: still running, 2m10s",
    ]


def test_a_line_shown_for_the_step_puts_its_heartbeat_off() -> None:
    shown, lines, clock = printer(verbose=True)
    shown.step_started("tests", "Run pytest")
    clock.now += 25
    shown.step_output("tests", "50%")
    clock.now += 25
    shown.tick()
    assert not any("still running" in line for line in lines)
    clock.now += 5
    shown.tick()
    assert lines[-1] == "[tests] Run pytest: still running, 55s"


def test_a_composite_actions_inner_step_is_the_one_named() -> None:
    shown, lines, clock = printer()
    shown.step_started("build", "uses ./.github/actions/setup")
    shown.step_started("build", "Install")
    clock.now += 40
    shown.tick()
    shown.step_finished("build", "success")
    shown.step_finished("build", "success")
    assert lines[2] == "[build] Install: still running, 40s"
    assert lines[-1] == "[build] uses ./.github/actions/setup: passed (40s)"


def test_the_status_line_names_the_running_jobs_and_is_cleared() -> None:
    lines: list[str] = []
    status = io.StringIO()
    shown = Printer(lines.append, ("s3cret-token",), status)
    shown.started("unit-tests")
    shown.line("[unit-tests] using s3cret-token")
    assert lines == ["[unit-tests] using ***"]  # output lines stay plain, secrets masked
    assert status.getvalue().endswith("running: unit-tests 0s")
    shown.finished("unit-tests")
    assert status.getvalue().endswith("\r\x1b[K")  # nothing running: the line is cleared


def test_elapsed_reads_as_a_person_says_it() -> None:
    assert [elapsed(s) for s in (0.4, 59.9, 130, 3725)] == ["0s", "59s", "2m10s", "1h02m"]


def test_emoji_and_wide_characters_take_two_cells_marks_none() -> None:
    assert width("tests") == 5
    assert width("🧪 tests") == 8
    assert width("✅") == 2
    assert width("⚠️") == 2  # a narrow symbol drawn as an emoji
    assert width("e\u0301") == 1  # a combining accent
    assert width("👩‍💻") == 2  # joined into one glyph
    assert width("テスト") == 6
    assert fit("🧪🧪🧪", 5) == "🧪🧪…"
    lines = wrap("🧪 build and test 🐍", 6)
    assert all(width(line) <= 6 for line in lines) and " ".join(lines) == "🧪 build and test 🐍"
    assert wrap(".ci-artifacts/17335/logs/x.log", 10) == [".ci-artifa", "cts/17335/", "logs/x.log"]


def result(title: str, verdict: str, reason: str | None = None, log: str = "") -> JobResult:
    path = Path("/repo/.ci-artifacts/1733580000000/logs") / log if log else None
    return JobResult(title, verdict, 12.3, path, reason, title=title)


def test_the_summary_fits_100_columns_however_long_its_cells() -> None:
    reason = (
        "if: github.event_name == 'push' &&\n  contains(github.event.head_commit.message, "
        "'[release]') is false"
    )
    rows = [
        result("🧪 tests (ubuntu-latest, 3.12, with-extras, postgres-16)", "passed", log="t.log"),
        result("🐍 lint", "partial", "not mirrored: uses codecov/codecov-action@v5", "lint.log"),
        result("deploy", "skipped", reason),
        result("docs", "failed", "step failed: Build the documentation with sphinx", "docs.log"),
    ]
    lines = summary([Section("PR", rows)], Path("/repo"), strict=False)
    assert all(width(line) <= COLUMNS for line in lines), "\n".join(lines)
    text = " ".join(" ".join(lines).split())
    assert "if: github.event_name == 'push' && contains(" in text  # one line, then wrapped
    assert "not mirrored: uses codecov/codecov-action@v5" in text
    assert "jobs: 1 passed, 1 failed, 1 partial, 1 skipped" in lines[-1]
    header = lines[1]
    assert header.startswith("job ") and header.endswith("log / reason")
    # the result column starts at the same cell on every row, emoji or not
    verdicts = ("passed", "partial", "skipped", "failed")
    rows = [line for line in lines[2:-2] if not line.startswith(" ")]
    starts = {width(line[: line.index(v)]) for line in rows for v in verdicts if v in line}
    assert starts == {width(header[: header.index("result")])}


def test_a_run_of_several_workflows_heads_each_ones_rows() -> None:
    lines = summary(
        [
            Section("PR Validation (pr.yml)", [result("quality", "passed")]),
            Section("Docs (docs.yml)", [result("build", "passed")]),
        ],
        Path("/repo"),
        strict=True,
    )
    assert lines[2:6] == [
        "PR Validation (pr.yml)",
        "quality  passed  12.3s",
        "Docs (docs.yml)",
        "build    passed  12.3s",
    ]
    assert lines[-1].endswith("(--strict: partial and skipped fail)")


def test_repokits_own_lines_about_a_step_always_show_and_count_as_shown() -> None:
    shown, lines, clock = printer()
    shown.step_started("py", "uses actions/setup-python@v5")
    clock.now += 29
    shown.job_line("py", "actions/setup-python@v5: Python 3.11, s3cret-token")
    clock.now += 29
    shown.tick()
    assert lines == [
        "[py] step uses actions/setup-python@v5",
        "[py] actions/setup-python@v5: Python 3.11, ***",
    ]
