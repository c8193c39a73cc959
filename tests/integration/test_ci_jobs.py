"""Job semantics as GitHub has them: if:, needs, outputs, computed matrices, time limits."""

from __future__ import annotations

from pathlib import Path

from ci_project import ci, project, summary_row, tiny_package


def test_job_if_needs_outputs_and_results(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  build:\n    outputs: {version: '${{ steps.v.outputs.version }}'}\n    steps:\n"
        "      - id: v\n        run: echo version=1.2.3 >> $GITHUB_OUTPUT\n"
        "  release:\n    needs: build\n"
        "    if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/')\n"
        "    steps: [{run: echo RELEASING}]\n"
        "  report:\n    needs: [build, release]\n    if: always()\n    steps:\n"
        '      - run: echo "got ${{ needs.build.outputs.version }}'
        ' ${{ needs.build.result }} ${{ needs.release.result }}"\n'
        "  on-failure:\n    needs: build\n    if: failure()\n    steps: [{run: echo NEVER}]\n",
    )
    result = ci(root)  # a pull request: the release job does not run
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RELEASING" not in result.stdout and "NEVER" not in result.stdout
    assert "[report] got 1.2.3 success skipped" in result.stdout
    assert summary_row(result.stdout, "release")[1] == "skipped"
    assert "if: github.event_name == 'push'" in " ".join(summary_row(result.stdout, "release"))


def test_a_matrix_computed_from_outputs_waits_for_them(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  setup:\n    outputs: {envs: '${{ steps.m.outputs.envs }}'}\n    steps:\n"
        '      - id: m\n        run: echo \'envs=["lint", "docs"]\' >> $GITHUB_OUTPUT\n'
        "  tox:\n    needs: setup\n    strategy:\n"
        "      matrix:\n        env: ${{ fromJSON(needs.setup.outputs.envs) }}\n"
        "    steps:\n      - run: echo TOX ${{ matrix.env }}\n",
    )
    listed = ci(root, "--list")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "tox (computed at run time)" in listed.stdout
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[tox] TOX lint" in result.stdout
    every = ci(root, "--matrix", "all")
    assert "TOX lint" in every.stdout and "TOX docs" in every.stdout
    assert summary_row(every.stdout, "tox (docs)")[1] == "passed"


def test_continue_on_error_and_fail_fast(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  flaky:\n    continue-on-error: true\n    steps: [{run: exit 1}]\n"
        "  after:\n    needs: flaky\n    steps: [{run: echo AFTER}]\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary_row(result.stdout, "flaky")[1:3] == ["failed", "(allowed)"]
    assert "[after] AFTER" in result.stdout


def test_timeout_minutes_stops_the_job_and_its_processes(tmp_path: Path) -> None:
    marker = tmp_path / "still-running"
    root = project(
        tmp_path,
        "jobs:\n  slow:\n    timeout-minutes: 0.03\n    steps:\n"
        f"      - run: (sleep 4 && touch {marker}) & sleep 30\n"
        "      - run: echo NEXT\n",
    )
    result = ci(root)
    assert result.returncode == 1
    assert "timed out" in " ".join(summary_row(result.stdout, "slow"))
    assert "[slow] NEXT" not in result.stdout
    import time

    time.sleep(4.5)
    assert not marker.exists()  # the background process was killed with the job


def test_another_os_is_skipped_with_the_reason(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  win:\n    runs-on: windows-latest\n    steps: [{run: echo NO}]\n"
        "  lin:\n    runs-on: ubuntu-latest\n    steps: [{run: echo YES}]\n",
    )
    result = ci(root)
    assert result.returncode == 0
    assert "NO" not in result.stdout.replace("NOT", "") and "[lin] YES" in result.stdout
    assert "runs on windows-latest" in " ".join(summary_row(result.stdout, "win"))
    assert ci(root, "--strict").returncode == 1


def test_default_shells_are_githubs(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "defaults:\n  run:\n    working-directory: sub\n"
        "jobs:\n  shells:\n    steps:\n"
        "      - run: false | true; echo NO-PIPEFAIL $(basename $PWD)\n"
        "      - shell: bash\n        id: piped\n        continue-on-error: true\n"
        "        run: false | true; echo NEVER\n"
        "      - shell: python\n"
        "        run: import sys; print('PY', sys.prefix != sys.base_prefix)\n"
        "      - run: echo ${{ steps.piped.outcome }}\n"
        "      - working-directory: missing\n        run: echo never\n",
    )
    (root / "sub").mkdir()
    (root / "sub" / "keep").write_text("")
    from ci_project import git

    git(root, "add", "-A")
    git(root, "commit", "-qm", "sub")
    result = ci(root)
    assert "[shells] NO-PIPEFAIL sub" in result.stdout
    assert "[shells] NEVER" not in result.stdout
    assert "[shells] PY True" in result.stdout  # python is the job's own environment
    assert "[shells] failure" in result.stdout
    assert "working-directory missing does not exist" in result.stdout
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_alls_green_gives_no_verdict_over_a_job_that_did_not_run_in_full(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  tests:\n    steps:\n      - run: echo TESTED\n"
        "      - uses: codecov/codecov-action@v5\n"
        "  unit:\n    steps: [{run: echo UNIT}]\n"
        "  green:\n    needs: [tests, unit]\n    if: always()\n    steps:\n"
        "      - uses: re-actors/alls-green@release/v1\n"
        "        with: {jobs: '${{ toJSON(needs) }}'}\n"
        "  green-unit:\n    needs: [unit]\n    steps:\n"
        "      - uses: re-actors/alls-green@release/v1\n"
        "        with: {jobs: '${{ toJSON(needs) }}'}\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary_row(result.stdout, "tests")[1] == "partial"
    assert summary_row(result.stdout, "green")[1] == "skipped"  # never passed over a partial
    assert summary_row(result.stdout, "green-unit")[1] == "passed"


def test_build_and_inspect_feeds_a_matrix_and_the_packages_artifact(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  build:\n    outputs:\n"
        "      versions: ${{ steps.b.outputs.supported_python_classifiers_json_array }}\n"
        "    steps:\n      - uses: hynek/build-and-inspect-python-package@v2\n        id: b\n"
        "  test:\n    needs: build\n    strategy:\n      matrix:\n"
        "        python-version: ${{ fromJSON(needs.build.outputs.versions) }}\n"
        "    steps:\n      - uses: actions/download-artifact@v4\n"
        "        with: {name: Packages, path: dist}\n"
        "      - run: ls dist\n",
    )
    tiny_package(root, readme="# tiny\n", readme_type="text/markdown", pythons=("3.11", "3.99"))
    result = ci(root, "--matrix", "all")
    assert "[test (3.11)] tiny-1.0-py3-none-any.whl" in result.stdout, result.stdout
    assert "[test (3.11)] tiny-1.0.tar.gz" in result.stdout
    missing = " ".join(summary_row(result.stdout, "test (3.99)"))
    assert "Python 3.99 is not installed here" in missing
    assert result.returncode == 0


def test_fail_fast_stops_the_other_combinations(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  m:\n    strategy:\n      matrix:\n        n: [bad, slow]\n    steps:\n"
        "      - run: if [ ${{ matrix.n }} = bad ]; then exit 1; fi; sleep 20; echo SLOW-DONE\n",
    )
    result = ci(root, "--matrix", "all", "--jobs", "2")
    assert result.returncode == 1
    assert "[m (slow)] SLOW-DONE" not in result.stdout  # stopped, not left to finish
    row = summary_row(result.stdout, "m (slow)")
    assert row[1] == "failed" and "cancelled (fail-fast)" in " ".join(row)


def test_runs_on_and_container_from_needs_are_judged_when_the_job_starts(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  pick:\n    outputs: {os: '${{ steps.p.outputs.os }}'}\n    steps:\n"
        "      - id: p\n        run: echo os=windows-latest >> $GITHUB_OUTPUT\n"
        "  elsewhere:\n    needs: pick\n    runs-on: ${{ needs.pick.outputs.os }}\n"
        "    steps: [{run: echo NEVER}]\n"
        "  here:\n    needs: pick\n    container: ${{ needs.pick.outputs.none }}\n"
        "    steps: [{run: echo HERE}]\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    row = " ".join(summary_row(result.stdout, "elsewhere"))
    assert "skipped" in row and "runs on windows-latest" in row
    assert "[here] HERE" in result.stdout and "NEVER" not in result.stdout


def test_a_job_skipped_for_its_needs_names_them_and_an_if_fits_one_line(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  build:\n    steps: [{run: exit 1}]\n"
        "  docs:\n    if: github.event_name == 'push'\n    steps: [{run: echo}]\n"
        "  test:\n    needs: build\n    steps: [{run: echo}]\n"
        "  deploy:\n    needs: [build, docs]\n    if: github.event_name == 'pull_request'\n"
        "    steps: [{run: echo}]\n"
        "  notify:\n    needs: build\n    if: >-\n      always() &&\n"
        "      github.event_name == 'push'\n    steps: [{run: echo}]\n",
    )
    result = ci(root)
    assert result.returncode == 1
    assert " ".join(summary_row(result.stdout, "test")[3:]).endswith("needs build, which failed")
    deploy = " ".join(summary_row(result.stdout, "deploy"))
    assert deploy.endswith("needs build (failed), docs (was skipped)")
    notify = " ".join(summary_row(result.stdout, "notify"))
    assert notify.endswith("if: always() && github.event_name == 'push' is false")


def test_a_step_failing_for_want_of_a_host_or_a_secret_makes_its_job_partial(
    tmp_path: Path,
) -> None:
    # the shapes of hukkin/tomli's linters job (tests.yaml at 2.4.0: pre-commit clones its
    # hooks from GitHub, and git says what it says on a machine that cannot resolve
    # github.com) and msiemens/tinydb's coverage upload (ci-workflow.yml at v4.8.2: coveralls
    # asks for GITHUB_TOKEN, which every GitHub runner has); a host of the reserved .invalid
    # domain resolves nowhere, GitHub's runner included: that failure is the project's own
    root = project(
        tmp_path,
        "jobs:\n"
        "  linters:\n    steps:\n"
        "      - name: run linters\n"
        "        run: |\n"
        "          echo \"fatal: unable to access 'https://github.com/pre-commit/pre-commit-hooks/':"
        ' Could not resolve host: github.com" >&2\n'
        "          exit 128\n"
        "  nowhere:\n    steps:\n"
        "      - {name: clone, run: git ls-remote https://hooks.invalid/pre-commit-hooks}\n"
        "  build:\n    steps:\n"
        "      - name: Upload coverage result\n"
        "        env: {GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}'}\n"
        '        run: test -n "$GITHUB_TOKEN"\n'
        "  gettext:\n    steps:\n"
        "      - run: |\n          mkdir bin && printf '%s\\n' '#!/bin/sh' "
        "'echo sudo: a password is required >&2' 'exit 1' > bin/sudo\n"
        "          chmod +x bin/sudo && echo $PWD/bin >> $GITHUB_PATH\n"
        "      - {name: Install gettext, run: sudo apt-get install gettext}\n"
        "  tests:\n    steps: [{name: Test, run: exit 1}]\n"
        "  allgood:\n    needs: [linters]\n    steps: [{run: echo}]\n",
    )
    result = ci(root, env={"GITHUB_TOKEN": ""})
    # python-humanize/humanize's test job (test.yml at 4.16.0) installs gettext with sudo
    gettext = " ".join(summary_row(result.stdout, "gettext")[1:])
    assert gettext.startswith("partial") and gettext.endswith(
        "step failed: Install gettext, which needs sudo, not given to a job here (it would"
        " change this machine)"
    )
    assert result.returncode == 1  # tests failed; the partial jobs alone would not fail it
    linters = summary_row(result.stdout, "linters")
    assert linters[1] == "partial"
    assert " ".join(linters[3:]).endswith(
        "step failed: run linters, which could not reach github.com from here"
    )
    assert summary_row(result.stdout, "nowhere")[1] == "failed"
    build = summary_row(result.stdout, "build")
    assert build[1] == "partial"
    assert " ".join(build[3:]).endswith(
        "step failed: Upload coverage result, which reads secrets.GITHUB_TOKEN, not set here"
    )
    assert summary_row(result.stdout, "tests")[1:2] == ["failed"]
    assert " ".join(summary_row(result.stdout, "allgood")).endswith(
        "needs linters, which was partial here"
    )
    given = ci(root, "--job", "build", env={"GITHUB_TOKEN": "a-token-of-ours"})
    assert given.returncode == 0 and summary_row(given.stdout, "build")[1] == "passed"


def test_a_login_shell_keeps_the_steps_path_as_on_githubs_runner(tmp_path: Path) -> None:
    # pytoolz/toolz's build-artifacts job (publish_pypi.yml at 1.1.0): `shell: bash -l {0}`,
    # then `python -m pip install build`; Debian's /etc/profile sets PATH anew, GitHub's does not
    root = project(
        tmp_path,
        "jobs:\n  build:\n    defaults: {run: {shell: 'bash -l {0}'}}\n    steps:\n"
        "      - run: echo ~/from-a-step >> $GITHUB_PATH\n"
        '      - run: python -c "import sys; print(\'prefix\', sys.prefix)"; echo "path $PATH"\n'
        '      - run: echo "leaked=${REPOKIT_STEP_PATH-none}"\n',
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout
    prefix = next(line for line in result.stdout.splitlines() if "] prefix " in line)
    path = next(line for line in result.stdout.splitlines() if "] path " in line)
    assert prefix.split()[-1] == path.split()[-1].split(":")[1].removesuffix("/bin")
    assert path.split()[-1].split(":")[0].endswith("/from-a-step")
    assert "[build] leaked=none" in result.stdout


def test_an_env_computed_whole_from_the_matrix_is_set(tmp_path: Path) -> None:
    # scrapy/parsel's tests job (tests-ubuntu.yml at v1.11.0): `env: ${{ matrix.env }}`,
    # then `tox`, which runs only the TOXENV it names
    root = project(
        tmp_path,
        "jobs:\n  tests:\n    strategy:\n      matrix:\n        include:\n"
        "          - {python-version: '3.11', env: {TOXENV: py}}\n"
        "    env: ${{ matrix.env }}\n    steps:\n"
        "      - env: ${{ matrix.env }}\n"
        '        run: echo "step sees TOXENV=$TOXENV"\n'
        '      - run: echo "job sees ${{ env.TOXENV }}"\n',
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout
    assert "] step sees TOXENV=py" in result.stdout
    assert "] job sees py" in result.stdout
