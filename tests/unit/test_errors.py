"""The error boundary: a line and a hint, the right exit code, no secrets, bugs with tracebacks."""

from __future__ import annotations

import pytest

from repokit.errors import (
    EXIT_BUG,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    ConfigError,
    StepError,
    UsageError,
    run_guarded,
)


def fail(error: BaseException) -> None:
    raise error


def test_user_error_prints_message_and_hint_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_guarded(fail, ConfigError("pyproject.toml: no version", hint="add one"))
    assert exit_info.value.code == EXIT_FAILED
    assert capsys.readouterr().err == "error: pyproject.toml: no version\nhint: add one\n"


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_guarded(fail, UsageError("--bump: 'huge' is not a bump"))
    assert exit_info.value.code == EXIT_USAGE
    assert "Traceback" not in capsys.readouterr().err


def test_step_error_names_the_step() -> None:
    error = StepError("push", "remote rejected", hint="see the hook's message")
    assert str(error) == "push: remote rejected"
    assert error.step == "push"


def test_interrupt_exits_130(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_guarded(fail, KeyboardInterrupt())
    assert exit_info.value.code == EXIT_INTERRUPTED
    assert "interrupted" in capsys.readouterr().err


def test_bug_keeps_its_traceback_and_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_guarded(fail, ZeroDivisionError("oops"))
    assert exit_info.value.code == EXIT_BUG
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError: oops" in err


def test_secrets_never_reach_the_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_supersecretvalue123")
    with pytest.raises(SystemExit):
        run_guarded(fail, ConfigError("token ghp_supersecretvalue123 refused", hint="x"))
    with pytest.raises(SystemExit):
        run_guarded(fail, RuntimeError("bug with ghp_supersecretvalue123 inside"))
    err = capsys.readouterr().err
    assert "ghp_supersecretvalue123" not in err
    assert err.count("***") == 2


def test_success_returns_the_value() -> None:
    assert run_guarded(lambda: 42) == 42
