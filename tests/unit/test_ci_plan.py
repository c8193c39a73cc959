"""The local CI plan: job order, matrix reduced to this machine, services not provided."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import pytest

from repokit.ci.model import load_workflow
from repokit.ci.plan import plan
from repokit.errors import WorkflowError

HERE = f"{sys.version_info.major}.{sys.version_info.minor}"


def workflow(tmp_path: Path, jobs: str) -> Path:
    path = tmp_path / "w.yml"
    path.write_text("on: workflow_dispatch\njobs:\n" + jobs)
    return path


def test_jobs_come_after_what_they_need(tmp_path: Path) -> None:
    path = workflow(
        tmp_path,
        "  c: {needs: [a, b], steps: []}\n  b: {needs: a, steps: []}\n  a: {steps: []}\n"
        "  d: {steps: []}\n",
    )
    planned = plan(load_workflow(path))
    assert [p.key for p in planned] == ["a", "b", "c", "d"]
    assert [p.key for p in plan(load_workflow(path), only="b")] == ["a", "b"]


def test_a_cycle_is_refused(tmp_path: Path) -> None:
    path = workflow(tmp_path, "  a: {needs: b, steps: []}\n  b: {needs: a, steps: []}\n")
    with pytest.raises(WorkflowError) as info:
        plan(load_workflow(path))
    assert "cycle" in info.value.message


def test_matrix_is_reduced_to_this_machine_or_the_choice(tmp_path: Path) -> None:
    path = workflow(
        tmp_path,
        "  t:\n    strategy:\n      matrix:\n        os: [windows-latest, ubuntu-latest]\n"
        f"        python-version: ['3.9', '{HERE}']\n    steps: []\n",
    )
    (job,) = plan(load_workflow(path))
    if sys.platform.startswith("linux"):
        assert job.matrix == {"os": "ubuntu-latest", "python-version": HERE}
    (chosen,) = plan(load_workflow(path), matrix_choice={"python-version": "3.9"})
    assert chosen.matrix["python-version"] == "3.9"
    with pytest.raises(WorkflowError):
        plan(load_workflow(path), matrix_choice={"python-version": "2.7"})


def test_a_service_nobody_provided_skips_the_job(tmp_path: Path) -> None:
    path = workflow(
        tmp_path,
        "  db:\n    services: {postgres: {image: postgres}}\n"
        "    env: {DATABASE_URL: 'postgres://localhost:5432/test'}\n    steps: []\n",
    )
    (job,) = plan(load_workflow(path), environ={})
    assert job.skip_reason is not None
    assert "postgres" in job.skip_reason and "DATABASE_URL" in job.skip_reason
    (provided,) = plan(load_workflow(path), environ={"DATABASE_URL": "postgres://mine/db"})
    assert provided.skip_reason is None


def test_matrix_reduction_finds_python_and_os_however_deep(tmp_path: Path) -> None:
    path = workflow(
        tmp_path,
        "  t:\n    runs-on: ${{ matrix.cfg.os }}\n    strategy:\n      matrix:\n"
        "        include:\n"
        "          - {cfg: {os: macos-14, interpreter: '3.12'}}\n"
        "          - {cfg: {os: ubuntu-24.04-arm, interpreter: '3.12'}}\n"
        "          - {cfg: {os: ubuntu-24.04, interpreter: '3.99'}}\n"
        f"          - {{cfg: {{os: ubuntu-24.04, interpreter: '{HERE}'}}}}\n"
        "    steps:\n      - uses: actions/setup-python@v5\n"
        "        with: {python-version: '${{ matrix.cfg.interpreter }}'}\n",
    )
    (job,) = plan(load_workflow(path))
    if sys.platform.startswith("linux") and platform.machine() == "x86_64":
        assert job.matrix == {"cfg": {"os": "ubuntu-24.04", "interpreter": HERE}}
        assert job.skip_reason is None and "combination 4 of 4" in job.why
    every = plan(load_workflow(path), every_combination=True)
    reasons = [p.skip_reason or "" for p in every]
    assert "runs on macos-14" in reasons[0]
    assert "Python 3.99 is not installed here" in reasons[2]


def test_a_container_job_and_a_remote_call_are_skipped_with_the_reason(tmp_path: Path) -> None:
    path = workflow(
        tmp_path,
        "  c:\n    container: python:3.12\n    steps: [{run: echo}]\n"
        "  r:\n    uses: octo/repo/.github/workflows/ci.yml@v1\n",
    )
    c, r = plan(load_workflow(path))
    assert c.skip_reason == "runs in the container python:3.12, which is not started here"
    assert r.skip_reason is not None and "of another repository" in r.skip_reason


def test_the_service_hint_names_only_the_variables_that_point_at_it(tmp_path: Path) -> None:
    path = workflow(
        tmp_path,
        "  db:\n    services:\n      postgres: {image: postgres, ports: ['5432:5432']}\n"
        "    env:\n      NO_PROXY: localhost\n      REDIS_URL: 'redis://localhost:6379'\n"
        "      DATABASE_URL: 'postgres://u@localhost:5432/test'\n    steps: []\n",
    )
    (job,) = plan(load_workflow(path), environ={})
    assert (
        job.skip_reason == "service postgres is not started here; set DATABASE_URL to use your own"
    )


def test_an_empty_container_or_service_image_from_the_matrix_means_none(tmp_path: Path) -> None:
    path = workflow(
        tmp_path,
        "  t:\n    container: ${{ matrix.container }}\n"
        "    services:\n      redis: {image: '${{ matrix.redis }}'}\n"
        "    strategy:\n      matrix:\n        include:\n"
        "          - {container: 'python:3.12', redis: ''}\n"
        "          - {container: '', redis: ''}\n"
        "          - {container: '', redis: 'redis:7'}\n"
        "    steps: [{run: echo}]\n",
    )
    every = plan(load_workflow(path), every_combination=True, environ={})
    reasons = [p.skip_reason for p in every]
    assert reasons[0] == "runs in the container python:3.12, which is not started here"
    assert reasons[1] is None  # no container, no service: it runs here
    assert reasons[2] is not None and "service redis is not started here" in reasons[2]
    (chosen,) = plan(load_workflow(path), environ={})
    assert chosen.matrix == {"container": "", "redis": ""} and chosen.skip_reason is None


def test_a_strategy_computed_whole_waits_for_its_needs(tmp_path: Path) -> None:
    path = workflow(
        tmp_path,
        "  a: {steps: []}\n"
        "  t:\n    needs: a\n    strategy: ${{ fromJSON(needs.a.outputs.strategy) }}\n"
        "    runs-on: ${{ needs.a.outputs.os }}\n    steps: []\n",
    )
    _, computed = plan(load_workflow(path))
    assert computed.computed and computed.skip_reason is None
    assert computed.job.matrix == "${{ (fromJSON(needs.a.outputs.strategy)).matrix }}"


MATRIX_STEPS = (
    "  t:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n"
    "        os: [ubuntu-latest, windows-latest]\n        task: [test, lint]\n"
    "    steps:\n"
    "      - run: common\n"
    "      - if: matrix.task == 'lint'\n        run: ruff check\n"
    "      - if: matrix.os == 'windows-latest'\n        name: Windows only\n        run: dir\n"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the matrix runs on Linux")
def test_the_default_choice_runs_the_fewest_combinations_that_reach_every_step(
    tmp_path: Path,
) -> None:
    path = workflow(tmp_path, MATRIX_STEPS)
    (lint,) = plan(load_workflow(path))
    assert lint.matrix == {"os": "ubuntu-latest", "task": "lint"}  # the test one lacks a step
    assert lint.why.startswith("combination 2 of 4: it runs here and reaches every step")
    assert "not reached here: Windows only (only in combinations that cannot run here)" in (
        lint.why
    )
    (first,) = plan(load_workflow(path), first=True)
    assert first.matrix == {"os": "ubuntu-latest", "task": "test"}
    assert first.why == "combination 1 of 4: the first that runs here"
    both = workflow(tmp_path, MATRIX_STEPS + "      - if: matrix.task == 'test'\n        run: t\n")
    planned = plan(load_workflow(both))
    assert [p.key for p in planned] == ["t (ubuntu-latest, test)", "t (ubuntu-latest, lint)"]
    assert planned[0].why.startswith(
        "combinations 1, 2 of 4: the fewest that run here and together reach every step"
    )


def test_every_mirrored_action_has_its_handler_and_its_description() -> None:
    from repokit.ci.action_names import MIRRORED, describe_action
    from repokit.ci.actions import REGISTRY

    assert set(REGISTRY) == set(MIRRORED)
    assert describe_action("actions/checkout@v4") == MIRRORED["actions/checkout"]
    assert "no local equivalent" in describe_action("extractions/setup-just@v2")


DATA = Path(__file__).parent.parent / "data" / "workflows"


def test_a_tab_between_a_key_and_its_value_is_read_as_github_reads_it(tmp_path: Path) -> None:
    lint = load_workflow(DATA / "tzlocal-lint.yml")
    assert [step.run for step in lint.jobs["test"].steps][-1] == "pyroma -d ."
    # a tab inside a block scalar stays as it is
    path = tmp_path / "w.yml"
    path.write_text(
        "on: push\njobs:\n  a:\n    steps:\n      - run:\tpyroma\n"
        "      - run: |\n          printf 'a:\\tb'\n          x:\ty\n"
    )
    steps = load_workflow(path).jobs["a"].steps
    assert [s.run for s in steps] == ["pyroma", "printf 'a:\\tb'\nx:\ty\n"]
