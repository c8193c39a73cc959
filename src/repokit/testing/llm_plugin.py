"""The LLM test modes: one switch between a mock, recorded answers and the real providers.

``--llm-mode`` (or ``REPOKIT_LLM_MODE``, or the ini option ``llm_mode``; default
``cached``):

``mock``
    An emulator on loopback answers every LLM call; the SDKs are pointed at it through
    their base-URL variables (``OPENAI_BASE_URL``, ``GROQ_BASE_URL``,
    ``ANTHROPIC_BASE_URL``, and those the ini option ``llm_base_url_env`` names). A
    lookup of a provider's API host fails the test with the host named. Tests script the
    answers with the ``llm_mock`` fixture.
``cached``
    Each test's LLM calls are answered from its cassette (ini option ``llm_cassette_dir``,
    default ``tests/cassettes``); a call with no recording fails the test.
``real``
    The calls go to the providers; ``--llm-record`` stores them as cassettes.

In every mode the usage each answer reports goes into the ``llm_usage`` report, which
says the mode. Tests marked ``llm_real`` run only in the real mode.

This module is loaded into every pytest run of a project that installs repokit: it
imports the standard library and pytest only; the emulator and vcrpy are imported when a
mode needs them.
"""

from __future__ import annotations

import importlib.util
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from repokit.testing.llm_usage import usage_of_run

if TYPE_CHECKING:
    from repokit.testing.llm.dispatch import LazyCassette
    from repokit.testing.llm.emulator import LLMEmulator, LLMRequest

MODES = ("mock", "cached", "real")
DEFAULT_MODE = "cached"
ENV_MODE = "REPOKIT_LLM_MODE"
DEFAULT_CASSETTE_DIR = "tests/cassettes"
#: The base-URL variables the mock mode sets, and the provider each one points at.
BASE_URL_VARIABLES = {
    "OPENAI_BASE_URL": "openai",
    "GROQ_BASE_URL": "groq",
    "ANTHROPIC_BASE_URL": "anthropic",
}
#: Keys the mock mode provides when unset, so that the SDKs' clients can be built.
MOCK_KEYS = ("OPENAI_API_KEY", "GROQ_API_KEY", "ANTHROPIC_API_KEY")
MOCK_KEY_VALUE = "mock-llm-key"
_STATE = pytest.StashKey["LLMModeState"]()


@dataclass
class LLMModeState:
    mode: str
    record: bool
    cassette_dir: Path
    #: False when the mode cannot act here (cached by default, without vcrpy installed).
    active: bool = True
    note: str = ""
    emulator: LLMEmulator | None = None
    saved_env: dict[str, str | None] = field(default_factory=dict)
    guard: Callable[..., Any] | None = None
    #: The running test's cassette (cached and real mode).
    current: LazyCassette | None = None
    uninstall: Callable[[], None] | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("repokit-llm", "LLM test modes (repokit)")
    group.addoption(
        "--llm-mode",
        choices=MODES,
        default=None,
        help="mock: answer LLM calls from a local emulator; cached: replay the recorded "
        f"cassettes; real: call the providers (default: ${ENV_MODE}, ini llm_mode, "
        f"else {DEFAULT_MODE})",
    )
    group.addoption(
        "--llm-record",
        action="store_true",
        default=False,
        help="with --llm-mode real: store each test's LLM calls as its cassette",
    )
    parser.addini("llm_mode", f"default LLM mode: {', '.join(MODES)}", default="")
    parser.addini(
        "llm_cassette_dir",
        f"where the cassettes of the LLM calls live (default {DEFAULT_CASSETTE_DIR})",
        default=DEFAULT_CASSETTE_DIR,
    )
    parser.addini(
        "llm_base_url_env",
        "more base-URL variables the mock mode points at the emulator, as VARIABLE=provider "
        "(e.g. DEEPSEEK_BASE_URL=deepseek), one a line",
        type="linelist",
        default=[],
    )


def resolve_mode(config: pytest.Config) -> tuple[str, bool]:
    """The mode, and whether it was chosen (by option, variable or ini) or is the default."""
    chosen = config.getoption("--llm-mode")
    if chosen:
        return str(chosen), True
    for where, value in (
        (f"${ENV_MODE}", os.environ.get(ENV_MODE, "")),
        ("ini llm_mode", str(config.getini("llm_mode") or "")),
    ):
        value = value.strip().lower()
        if not value:
            continue
        if value not in MODES:
            raise pytest.UsageError(
                f"{where} is {value!r}: the LLM mode is one of {', '.join(MODES)}"
            )
        return value, True
    return DEFAULT_MODE, False


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "llm_real: calls the real LLM providers; real mode only")
    mode, chosen = resolve_mode(config)
    record = bool(config.getoption("--llm-record"))
    if record and mode != "real":
        raise pytest.UsageError(
            f"--llm-record records real LLM calls, and this run's mode is {mode}: "
            "add --llm-mode real"
        )
    directory = Path(str(config.getini("llm_cassette_dir") or DEFAULT_CASSETTE_DIR))
    if not directory.is_absolute():
        directory = config.rootpath / directory
    state = LLMModeState(mode=mode, record=record, cassette_dir=directory)
    config.stash[_STATE] = state
    usage_of_run(config).mode = mode
    if mode == "mock":
        if not _is_xdist_controller(config):  # the workers run the tests, each its emulator
            _start_mock(config, state)
        return
    if importlib.util.find_spec("vcr") is None:  # imported at the first test, not here
        if chosen:
            raise pytest.UsageError(
                f"the {mode} LLM mode needs vcrpy: pip install 'repokit[testing]'"
            )
        state.active = False
        state.note = "inactive: vcrpy is not installed (pip install 'repokit[testing]')"
        return
    if mode == "cached":  # a replay needs no key, but the SDKs want one to build a client
        _set_env(state, {})


def _is_xdist_controller(config: pytest.Config) -> bool:
    return getattr(config.option, "dist", "no") != "no" and not hasattr(config, "workerinput")


def _start_mock(config: pytest.Config, state: LLMModeState) -> None:
    from repokit.testing.llm.emulator import LLMEmulator

    usage = usage_of_run(config)
    emulator = LLMEmulator(on_usage=usage.record).start()
    state.emulator = emulator
    variables = dict(BASE_URL_VARIABLES)
    for line in config.getini("llm_base_url_env"):
        name, sep, provider = str(line).partition("=")
        if not sep or not name.strip() or not provider.strip():
            emulator.stop()
            raise pytest.UsageError(
                f"ini llm_base_url_env: {line!r} is not VARIABLE=provider "
                "(e.g. DEEPSEEK_BASE_URL=deepseek)"
            )
        variables[name.strip()] = provider.strip()
    _set_env(state, {name: emulator.base_url(provider) for name, provider in variables.items()})
    state.guard = socket.getaddrinfo
    socket.getaddrinfo = _guarded(socket.getaddrinfo)


def _set_env(state: LLMModeState, values: dict[str, str]) -> None:
    """Set ``values`` and the placeholder keys the SDKs need to build a client, until the end."""
    values = {**values, **{key: os.environ.get(key) or MOCK_KEY_VALUE for key in MOCK_KEYS}}
    for name, value in values.items():
        state.saved_env[name] = os.environ.get(name)
        os.environ[name] = value


def _guarded(getaddrinfo: Callable[..., Any]) -> Callable[..., Any]:
    """``socket.getaddrinfo`` that fails the test on a provider's API host."""
    from repokit.testing.llm.hosts import is_provider_host

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        if is_provider_host(name):
            pytest.fail(
                f"mock LLM mode: a request to {name} would leave the machine; point the client "
                "at the emulator through its base-URL variable (ini llm_base_url_env), "
                "or mark the test llm_real",
                pytrace=False,
            )
        return getaddrinfo(host, *args, **kwargs)

    return lookup


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    if state.guard is not None:
        socket.getaddrinfo = state.guard
    if state.uninstall is not None:
        state.uninstall()
    if state.emulator is not None:
        state.emulator.stop()
    for name, value in state.saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_report_header(config: pytest.Config) -> str:
    state = config.stash[_STATE]
    details = {
        "mock": f"emulator at {state.emulator.url}" if state.emulator else "emulator per worker",
        "cached": f"cassettes in {state.cassette_dir}",
        "real": "calls the providers" + (", recording cassettes" if state.record else ""),
    }[state.mode]
    return f"LLM mode: {state.mode} ({state.note or details})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mode = config.stash[_STATE].mode
    if mode == "real":
        return
    skip = pytest.mark.skip(reason=f"calls the real LLM providers; this run's LLM mode is {mode}")
    for item in items:
        if item.get_closest_marker("llm_real"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def llm_mode(pytestconfig: pytest.Config) -> str:
    """This run's LLM mode: ``"mock"``, ``"cached"`` or ``"real"``."""
    return pytestconfig.stash[_STATE].mode


@pytest.fixture(autouse=True)
def _llm_cassette(request: pytest.FixtureRequest) -> Iterator[None]:
    """In cached and real mode: the test's LLM calls, replayed or observed (and recorded).

    The cassette itself is opened at the test's first LLM call (see ``llm.dispatch``).
    """
    state = request.config.stash[_STATE]
    if state.mode == "mock" or not state.active:
        yield
        return
    from repokit.testing.llm.cassettes import cassette_path
    from repokit.testing.llm.dispatch import LazyCassette, install

    if state.uninstall is None:
        state.uninstall = install(lambda: state.current)

    usage = usage_of_run(request.config)
    path = cassette_path(state.cassette_dir, request.node.nodeid)
    state.current = LazyCassette(path, mode=state.mode, record=state.record, on_usage=usage.record)
    try:
        yield
    finally:
        tape, state.current = state.current, None
        tape.close()


class MockLLM:
    """The test's handle on the emulator: script the answers, read the requests."""

    def __init__(self, emulator: LLMEmulator) -> None:
        self._emulator = emulator
        self._first = len(emulator.requests)

    @property
    def url(self) -> str:
        return self._emulator.url

    def base_url(self, provider: str) -> str:
        return self._emulator.base_url(provider)

    def reply(self, *answers: str | Callable[[LLMRequest], str]) -> MockLLM:
        """Answer the next calls with these texts (or functions of the request), in order."""
        with self._emulator.script.lock:
            self._emulator.script.queued.extend(answers)
        return self

    def answer_with(self, function: Callable[[LLMRequest], str]) -> MockLLM:
        """Answer every call not scripted by :meth:`reply` with ``function(request)``."""
        with self._emulator.script.lock:
            self._emulator.script.function = function
        return self

    def load(self, path: str | os.PathLike[str]) -> MockLLM:
        """Canned answers from a JSON file: ``[{"when": "text in the prompt", "reply": ...}]``."""
        from repokit.testing.llm.emulator import load_canned

        answers = load_canned(Path(path))
        with self._emulator.script.lock:
            self._emulator.script.canned.extend(answers)
        return self

    @property
    def requests(self) -> list[LLMRequest]:
        """The LLM calls this test made, in order."""
        return self._emulator.requests[self._first :]


@pytest.fixture
def llm_mock(request: pytest.FixtureRequest) -> Iterator[MockLLM]:
    """Script the mock mode's answers (skips the test in the other modes)."""
    state = request.config.stash[_STATE]
    if state.emulator is None:
        pytest.skip(f"scripts the mock LLM mode; this run's LLM mode is {state.mode}")
    handle = MockLLM(state.emulator)
    try:
        yield handle
    finally:
        state.emulator.script.reset()
