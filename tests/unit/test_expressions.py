"""``${{ }}`` expressions evaluate as on GitHub."""

from __future__ import annotations

from typing import Any

import pytest

from repokit.ci.expressions import Context, evaluate, evaluate_condition, interpolate
from repokit.errors import WorkflowError

VALUES: dict[str, Any] = {
    "github": {"ref": "refs/heads/main", "event_name": "push"},
    "matrix": {"python-version": "3.11", "os": "ubuntu-latest"},
    "env": {"EMPTY": "", "NAME": "World"},
    "steps": {"build": {"outputs": {"path": "dist/x.whl"}, "outcome": "success"}},
}


def ctx(status: str = "success") -> Context:
    return Context(values=VALUES, status=status)


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("github.ref == 'refs/heads/main'", True),
        ("github.ref != 'refs/heads/main'", False),
        ("matrix.python-version", "3.11"),
        ("matrix['os']", "ubuntu-latest"),
        ("steps.build.outputs.path", "dist/x.whl"),
        ("env.EMPTY || 'default'", "default"),
        ("env.NAME && 'yes'", "yes"),
        ("!env.EMPTY", True),
        ("'ABC' == 'abc'", True),  # strings compare case-insensitively
        ("1 == '1'", True),  # mixed types compare as numbers
        ("3 > 2 && 2 >= 2", True),
        ("contains(github.ref, 'main')", True),
        ("startsWith(github.ref, 'refs/heads/')", True),
        ("endsWith('file.yml', '.YML')", True),
        ("format('{0}-{1}', 'a', 1)", "a-1"),
        ("join(fromJSON('[1, 2]'), ' + ')", "1 + 2"),
        ("fromJSON('{\"a\": 1}').a", 1),
        ("unknown.thing", None),
        ("(1 == 2) || (2 == 2)", True),
        ("'it''s'", "it's"),
    ],
)
def test_evaluate(expression: str, value: Any) -> None:
    assert evaluate(expression, ctx()) == value


def test_conditions_follow_the_job_status() -> None:
    assert evaluate_condition(None, ctx()) is True
    assert evaluate_condition(None, ctx("failure")) is False
    assert evaluate_condition("failure()", ctx("failure")) is True
    assert evaluate_condition("${{ always() }}", ctx("failure")) is True
    # a condition without a status function runs only while the job succeeds
    assert evaluate_condition("github.event_name == 'push'", ctx("failure")) is False
    assert evaluate_condition("github.event_name == 'push'", ctx()) is True
    assert evaluate_condition("cancelled()", ctx()) is False


def test_interpolation() -> None:
    assert interpolate("Hello ${{ env.NAME }} on ${{ matrix.os }}!", ctx()) == (
        "Hello World on ubuntu-latest!"
    )
    assert interpolate("${{ 1 == 1 }}", ctx()) == "true"


@pytest.mark.parametrize("expression", ["github.ref ==", "(1", "nope(1)", "1 @ 2"])
def test_bad_expressions_are_workflow_errors(expression: str) -> None:
    with pytest.raises(WorkflowError):
        evaluate(expression, ctx())
