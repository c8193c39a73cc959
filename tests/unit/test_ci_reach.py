"""The host a step's output says could not be reached, from the messages tools print."""

from __future__ import annotations

import pytest

from repokit.ci.reach import needs_sudo, unreachable_host


@pytest.mark.parametrize(
    ("line", "host"),
    [
        # git, as pre-commit shows it when it clones a hook's repository
        (
            "    fatal: unable to access 'https://github.com/Lucas-C/pre-commit-hooks/':"
            " Could not resolve host: github.com",
            "github.com",
        ),
        ("curl: (6) Could not resolve host: codecov.io", "codecov.io"),
        (
            "NameResolutionError(\"HTTPSConnection(host='api.github.com', port=443): Failed to"
            " resolve 'api.github.com' ([Errno -2] Name or service not known)\")",
            "api.github.com",
        ),
        (
            "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='coveralls.io',"
            " port=443): Max retries exceeded with url: /api/v1/jobs (Caused by"
            " NewConnectionError(': Failed to establish a new connection: [Errno -3]"
            " Temporary failure in name resolution'))",
            "coveralls.io",
        ),
        ("Error: getaddrinfo ENOTFOUND github.com", "github.com"),
        ("urllib.error.URLError: <urlopen error [Errno -2] Name or service not known>", "a host"),
        # uv, as nox's tests install nox from github.com (wntrblm/nox at 2026.08.17)
        ("  Caused by: failed to lookup address information: Name or service not known", "a host"),
        # safety check (tartley/colorama's lint_python job at 0.4.6)
        ("\x1b[31mCheck your network connection, unable to reach the server.\x1b[0m", "a host"),
    ],
)
def test_the_host_a_line_says_could_not_be_reached(line: str, host: str) -> None:
    assert unreachable_host(line) == host


@pytest.mark.parametrize(
    "line",
    [
        "FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2",
        "error: could not resolve the version of package x",
        "Successfully installed pre-commit-4.0.1",
        # names no resolver answers, on GitHub's runner either: a project's own test of an
        # unreachable host fails there too, so its failure is the project's
        "fatal: unable to access 'https://hooks.invalid/x/': Could not resolve host: hooks.invalid",
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.example', port=443):"
        " Failed to establish a new connection: [Errno -2] Name or service not known",
        "Error: getaddrinfo ENOTFOUND db.localhost",
    ],
)
def test_other_lines_name_no_host(line: str) -> None:
    assert unreachable_host(line) is None


def test_a_step_that_needed_sudo_says_so() -> None:
    # python-humanize/humanize's "Install gettext" as root in a container with no sudo
    assert needs_sudo("/tmp/r/work/_temp/step-1.sh: line 1: sudo: command not found")
    assert needs_sudo("sudo: a terminal is required to read the password")
    assert needs_sudo("step-1.sh: line 1: sudo: not found")
    assert not needs_sudo("Reading package lists... Done")
